package crm

import (
	"encoding/base64"
	"encoding/json"
)

// MaxPageSize bounds every list call.
const MaxPageSize = 200

// DefaultPageSize is used when a caller names none.
const DefaultPageSize = 50

// PageRequest asks for one keyset page: rows after the cursor, sorted by an allow-listed field.
type PageRequest struct {
	Limit int
	After string // opaque cursor from the previous page
	Sort  string // field name; the store allow-lists it
	Desc  bool
	// NoTotal skips the capped count (Total comes back -1): for callers that have the count
	// elsewhere (a kanban column's head) or do not show it (an export paging through a list).
	NoTotal bool
}

// Clamp fills defaults and bounds the limit.
func (p *PageRequest) Clamp() {
	if p.Limit <= 0 {
		p.Limit = DefaultPageSize
	}
	if p.Limit > MaxPageSize {
		p.Limit = MaxPageSize
	}
}

// Page is one page of a list with the cursor to the next one ("" at the end).
type Page[T any] struct {
	Items []T
	Next  string
	Total int // exact up to TotalCap, then TotalCap (shown as "10 000+")
}

// TotalCap is where counting stops: lists stay fast at a million rows.
const TotalCap = 10000

// Cursor is the position after the last row of a page: the sort value and the id.
type Cursor struct {
	Value any   `json:"v"`
	ID    int64 `json:"id"`
}

// EncodeCursor makes an opaque cursor.
func EncodeCursor(c Cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor; a malformed one is a client error.
func DecodeCursor(s string) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		return c, &Error{Code: EInvalid, Message: "err.validation", Fields: map[string]string{"after": "err.cursor"}}
	}
	return c, nil
}
