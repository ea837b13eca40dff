package api

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Companies (Контрагенты), contacts and private persons (Контактные лица, Физлица), their
// consents, duplicates and merges. Companies and contacts are directorate-scoped business
// records: every CRM role reads them, the business roles create them, members of the record's
// directorate edit, delete and merge them, crm_admin and admin everything.

// registerParties adds the operations of companies, contacts, consents, duplicates and merge.
func (h *handlers) registerParties(api huma.API) {
	h.registerCompanies(api)
	h.registerContacts(api)
}

// Phone is a telephone number as typed and normalised to E.164 (product.md R13).
type Phone struct {
	E164 string `json:"e164" doc:"The number in E.164." example:"+79161234567"`
	Raw  string `json:"raw" doc:"The number as it was typed." example:"8 (916) 123-45-67"`
	Ext  string `json:"ext,omitempty" doc:"Extension (доб.), if any." example:"12"`
}

func phonesOf(ps []crm.Phone) []Phone {
	out := make([]Phone, 0, len(ps))
	for _, p := range ps {
		out = append(out, Phone{E164: p.E164, Raw: p.Raw, Ext: p.Ext})
	}
	return out
}

// DuplicateRef names one existing record a new one seems to duplicate.
type DuplicateRef struct {
	ID   int64  `json:"id" doc:"Id of the existing record." example:"42"`
	Name string `json:"name" doc:"Its name (ФИО of a contact)." example:"ООО «Ромашка»"`
}

// DuplicateProblem is the 409 answer to creating a company or contact that shares an INN, a
// phone or an e-mail with live records: the problem document plus the records found. Send the
// request again with "allow_duplicate": true to create it anyway, or merge.
type DuplicateProblem struct {
	Type       string         `json:"type" format:"uri-reference" doc:"URI reference naming the problem type." example:"/api/docs#problem-conflict"`
	Title      string         `json:"title" doc:"Short summary of the problem type (HTTP status text, in English)." example:"Conflict"`
	Status     int            `json:"status" doc:"HTTP status code." example:"409"`
	Detail     string         `json:"detail" doc:"What went wrong, in the caller's language."`
	Code       string         `json:"code" doc:"Stable machine-readable problem code: conflict." example:"conflict"`
	Errors     []FieldProblem `json:"errors,omitempty" doc:"Unused on this problem."`
	Duplicates []DuplicateRef `json:"duplicates" doc:"The live records sharing an INN, a phone or an e-mail with the new one."`
}

func (p *DuplicateProblem) Error() string  { return p.Detail }
func (p *DuplicateProblem) GetStatus() int { return p.Status }

// ContentType makes huma send application/problem+json for this body.
func (p *DuplicateProblem) ContentType(string) string { return "application/problem+json" }

// partyFail is fail with the duplicate extension: a *crm.DuplicateError becomes a 409 that
// lists the records found; every other error is fail's.
func partyFail(ctx context.Context, err error, body any) error {
	var dup *crm.DuplicateError
	if !errors.As(err, &dup) {
		return fail(ctx, err, body)
	}
	p := newProblem(languageFrom(ctx), http.StatusConflict, crm.EConflict, crm.ErrorMessage(err))
	out := &DuplicateProblem{Type: p.Type, Title: p.Title, Status: p.Status, Detail: p.Detail, Code: p.Code, Duplicates: []DuplicateRef{}}
	for _, c := range dup.Companies {
		out.Duplicates = append(out.Duplicates, DuplicateRef{ID: c.ID, Name: c.Name})
	}
	for _, c := range dup.Contacts {
		out.Duplicates = append(out.Duplicates, DuplicateRef{ID: c.ID, Name: c.FullName()})
	}
	return out
}

// withDuplicateProblem documents the 409 of a create as a DuplicateProblem; the operation must
// not list 409 among its errors, which huma would document as a plain Problem.
func withDuplicateProblem(api huma.API, o huma.Operation) huma.Operation {
	schema := api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[DuplicateProblem](), true, "DuplicateProblem")
	if o.Responses == nil {
		o.Responses = map[string]*huma.Response{}
	}
	o.Responses["409"] = &huma.Response{
		Description: "A live record shares an INN, a phone or an e-mail with the new one (send allow_duplicate: true to create it anyway).",
		Content:     map[string]*huma.MediaType{"application/problem+json": {Schema: schema}},
	}
	return o
}

// MergeRequest merges another record into the one in the path.
type MergeRequest struct {
	DropID      int64    `json:"drop_id" minimum:"1" doc:"Id of the record merged in: its links move to this one, then it goes to the trash with merged_into set."`
	Version     int64    `json:"version,omitempty" minimum:"0" doc:"The version of this record last read (409 if changed since); 0 or absent: no check."`
	DropVersion int64    `json:"drop_version,omitempty" minimum:"0" doc:"The version of the dropped record last read; 0 or absent: no check."`
	FromDropped []string `json:"from_dropped,omitempty" maxItems:"30" doc:"Fields that take the dropped record's value; every other field keeps this record's value (an empty one is filled in from the dropped record). Phones, e-mails and tags are always united."`
}

type mergeInput struct {
	IDParam
	Body MergeRequest
}

// mergeHandler is the merge endpoint of companies and of contacts: drop_id goes into the
// record of the path, and the answer is the kept record as the merge left it.
func mergeHandler[R, T any](merge func(ctx context.Context, keepID, dropID int64, in app.MergeInput) (R, error), out func(R) T) func(context.Context, *mergeInput) (*bodyOutput[T], error) {
	return func(ctx context.Context, in *mergeInput) (*bodyOutput[T], error) {
		b := in.Body
		kept, err := merge(ctx, in.ID, b.DropID, app.MergeInput{KeepVersion: b.Version, DropVersion: b.DropVersion, FromDropped: b.FromDropped})
		if err != nil {
			return nil, fail(ctx, err, b)
		}
		return ok(out(kept)), nil
	}
}

// attrFilter reads "code:value" pairs of the attr query parameter.
func attrFilter(pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, p := range pairs {
		code, v, ok := strings.Cut(p, ":")
		if !ok || code == "" {
			return nil, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"attr": "api.err.bad_request"}}
		}
		out[code] = v
	}
	return out, nil
}

// createdRange reads the created_from / created_to days of a list ("" = open).
func createdRange(from, to string) (*crm.Date, *crm.Date, error) {
	p := crm.Problems{}
	day := func(name, s string) *crm.Date {
		if s == "" {
			return nil
		}
		d, err := crm.ParseDate(s)
		if err != nil {
			p.Add(name, "err.date_format")
			return nil
		}
		return &d
	}
	f, t := day("created_from", from), day("created_to", to)
	return f, t, p.Err()
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func attrsOut(a crm.Attributes) map[string]any {
	if a == nil {
		return map[string]any{}
	}
	return a
}
