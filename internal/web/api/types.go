package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Meta is the bookkeeping every record carries (architecture.md, data rules). It is read-only:
// no request body accepts any of these fields.
type Meta struct {
	ID        int64      `json:"id" doc:"Record id." example:"42"`
	Version   int64      `json:"version" doc:"Optimistic-locking version: send it back with a change or deletion." example:"3"`
	CreatedAt time.Time  `json:"created_at" doc:"When the record was created (UTC)."`
	CreatedBy *int64     `json:"created_by,omitempty" doc:"Id of the user who created it (absent for system records)."`
	UpdatedAt time.Time  `json:"updated_at" doc:"When it was last changed (UTC)."`
	UpdatedBy *int64     `json:"updated_by,omitempty" doc:"Id of the user who changed it last."`
	DeletedAt *time.Time `json:"deleted_at,omitempty" doc:"Set when the record is in the trash (soft-deleted)."`
	DeletedBy *int64     `json:"deleted_by,omitempty" doc:"Id of the user who deleted it."`
}

func metaOf(m crm.Meta) Meta {
	return Meta{ID: m.ID, Version: m.Version, CreatedAt: m.CreatedAt, CreatedBy: m.CreatedBy,
		UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy, DeletedAt: m.DeletedAt, DeletedBy: m.DeletedBy}
}

// Page is one keyset page of a list.
type Page[T any] struct {
	Items []T    `json:"items" doc:"The rows of this page."`
	Next  string `json:"next" doc:"Cursor of the next page: pass it as after. Empty on the last page."`
	Total int    `json:"total" doc:"Rows matching the filter, counted up to 10 000."`
}

func pageOf[S, T any](p crm.Page[S], conv func(*S) T) Page[T] {
	out := Page[T]{Items: make([]T, 0, len(p.Items)), Next: p.Next, Total: p.Total}
	for i := range p.Items {
		out.Items = append(out.Items, conv(&p.Items[i]))
	}
	return out
}

type pageOutput[T any] struct {
	Body Page[T]
}

// ListParams are the query parameters every list shares; each list adds its own sort and
// filters. Embedded parameter structs must be exported: huma skips unexported ones.
type ListParams struct {
	Limit int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Rows per page, 1 to 200."`
	After string `query:"after" maxLength:"512" doc:"Cursor: the next value of the previous page. Empty for the first page."`
}

// pageRequest checks the cursor here rather than in the store, so that a bad one gets the
// same 422 on every backend, and splits "-field" into field and descending order.
func (l ListParams) pageRequest(sortParam string) (crm.PageRequest, error) {
	if l.After != "" {
		if _, err := crm.DecodeCursor(l.After); err != nil {
			return crm.PageRequest{}, err
		}
	}
	field, desc := strings.CutPrefix(sortParam, "-")
	return crm.PageRequest{Limit: l.Limit, After: l.After, Sort: field, Desc: desc}, nil
}

// triState reads an optional boolean filter given as "true" or "false".
func triState(s string) *bool {
	switch s {
	case "true":
		t := true
		return &t
	case "false":
		f := false
		return &f
	}
	return nil
}

// IDParam is the path parameter of one record.
type IDParam struct {
	ID int64 `path:"id" minimum:"1" doc:"Record id."`
}

// DeleteParams identify a record and the version the caller last read.
type DeleteParams struct {
	IDParam
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read: deleting a record someone changed since gets 409."`
}

// Nullable is a PATCH field that can be left out (keep), set to null (clear) or to a value.
type Nullable[T any] struct {
	Set   bool
	Value *T
}

// UnmarshalJSON is called only for fields present in the body, null included.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}

// MarshalJSON writes the value or null (problems echo the body back).
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.Value == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*n.Value)
}

// Schema describes the field as T or null.
func (n Nullable[T]) Schema(r huma.Registry) *huma.Schema {
	s := *huma.SchemaFromType(r, reflect.TypeFor[T]())
	s.Nullable = true
	return &s
}

// patch converts to the app layer's "pointer to optional" form: nil = leave unchanged.
func (n Nullable[T]) patch() **T {
	if !n.Set {
		return nil
	}
	v := n.Value
	return &v
}

// createdOutput answers a create with 201, the new record and where it lives.
type createdOutput[T any] struct {
	Location string `header:"Location" doc:"URL of the new record."`
	Body     T
}

func created[T any](path string, id int64, body T) *createdOutput[T] {
	return &createdOutput[T]{Location: fmt.Sprintf("%s/%d", path, id), Body: body}
}

type bodyOutput[T any] struct {
	Body T
}

func ok[T any](body T) *bodyOutput[T] { return &bodyOutput[T]{Body: body} }

// deleteHandler is every delete endpoint: the record moves to the trash if the version sent is
// the stored one, and the answer has no body.
func deleteHandler(del func(ctx context.Context, id, version int64) error) func(context.Context, *DeleteParams) (*struct{}, error) {
	return func(ctx context.Context, in *DeleteParams) (*struct{}, error) {
		if err := del(ctx, in.ID, in.Version); err != nil {
			return nil, fail(ctx, err, nil)
		}
		return nil, nil
	}
}

// restored answers a restore with the record as it reads once back from the trash: every
// restore endpoint returns the record, so that a client need not ask for it again.
func restored[R, T any](ctx context.Context, id int64, restore func(context.Context, int64) error,
	read func(context.Context, int64) (R, error), out func(R) T) (*bodyOutput[T], error) {
	if err := restore(ctx, id); err != nil {
		return nil, fail(ctx, err, nil)
	}
	rec, err := read(ctx, id)
	if err != nil {
		return nil, fail(ctx, err, nil)
	}
	return ok(out(rec)), nil
}

// op fills the parts every operation shares: tag, the problems it may answer, and an id
// taken from the summary's intent rather than huma's generated one.
func op(id, method, path, tag, summary, description string, errs ...int) huma.Operation {
	status := 0
	switch method {
	case http.MethodPost:
		status = http.StatusCreated
	case http.MethodDelete:
		status = http.StatusNoContent
	}
	errs = append([]int{http.StatusUnauthorized, http.StatusForbidden}, errs...)
	return huma.Operation{
		OperationID:   id,
		Method:        method,
		Path:          prefix + path,
		Tags:          []string{tag},
		Summary:       summary,
		Description:   description,
		DefaultStatus: status,
		Errors:        errs,
	}
}

// Date is a calendar day on the wire, "YYYY-MM-DD", with its own schema (string, format date).
// It keeps the wire format in this package: crm.Date embeds time.Time, whose promoted JSON
// methods once made it read and write full timestamps.
type Date struct{ day crm.Date }

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.day.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	day, err := crm.ParseDate(s)
	if err != nil {
		return err
	}
	d.day = day
	return nil
}

// Schema describes the day as a string in the date format.
func (Date) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "date", Examples: []any{"2025-03-31"}}
}

func dateOut(d *crm.Date) *Date {
	if d == nil {
		return nil
	}
	return &Date{day: *d}
}

func dateIn(d *Date) *crm.Date {
	if d == nil {
		return nil
	}
	day := d.day
	return &day
}

// datePatch is Nullable.patch for days.
func datePatch(n Nullable[Date]) **crm.Date {
	if !n.Set {
		return nil
	}
	day := dateIn(n.Value)
	return &day
}

// dateParam is one optional YYYY-MM-DD query parameter and the filter field it fills.
type dateParam struct {
	name string
	raw  string
	dst  **crm.Date
}

// parseDateParams fills the filter fields of the dates given; a blank one stays nil, a
// malformed one is a problem of its parameter, so that all bad dates are named at once.
func parseDateParams(pr crm.Problems, params ...dateParam) {
	for _, x := range params {
		if strings.TrimSpace(x.raw) == "" {
			continue
		}
		d, err := crm.ParseDate(x.raw)
		if err != nil {
			pr.Add(x.name, "err.date_format")
			continue
		}
		*x.dst = &d
	}
}
