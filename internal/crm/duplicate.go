package crm

import "strconv"

// DuplicateError refuses a new company or contact that shares an INN, a phone or an e-mail
// with live records (R17), unless the caller confirms. It carries the records found so that
// the UI can offer them («Похожая запись уже есть: … Открыть / Всё равно создать») and the API
// can name their ids. Its code is EConflict (409).
type DuplicateError struct {
	Entity    string    // EntityCompany or EntityContact
	Companies []Company // matches of a company
	Contacts  []Contact // matches of a contact
}

func (e *DuplicateError) Error() string {
	return "conflict: possible duplicate of " + e.Entity + " " + joinIDs(e.IDs())
}

// Unwrap makes ErrorCode and ErrorMessage see a 409 with its catalogue text.
func (e *DuplicateError) Unwrap() error {
	return &Error{Code: EConflict, Message: "party.err.duplicate"}
}

// IDs are the ids of the matching records.
func (e *DuplicateError) IDs() []int64 {
	var out []int64
	for _, c := range e.Companies {
		out = append(out, c.ID)
	}
	for _, c := range e.Contacts {
		out = append(out, c.ID)
	}
	return out
}

func joinIDs(ids []int64) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ","
		}
		s += strconv.FormatInt(id, 10)
	}
	return s
}
