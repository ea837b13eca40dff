package crm

import "errors"

// RenameField returns err with the problem of field from reported under to, for a skin whose
// input is named differently from the domain's (the form's "price" for price_minor). The
// result is a copy: errors can be shared (package variables, one error shown twice), so the
// original's Fields map is never changed. Errors without that field come back as they are.
func RenameField(err error, from, to string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	if _, found := e.Fields[from]; !found {
		return err
	}
	fields := make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		if k == from {
			k = to
		}
		fields[k] = v
	}
	return &Error{Code: e.Code, Message: e.Message, Fields: fields}
}
