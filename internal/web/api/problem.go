package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// statusOf is the one table from domain error codes to HTTP statuses.
var statusOf = map[string]int{
	crm.EUnauthorized: http.StatusUnauthorized,
	crm.EForbidden:    http.StatusForbidden,
	crm.ENotFound:     http.StatusNotFound,
	crm.EConflict:     http.StatusConflict,
	crm.EInvalid:      http.StatusUnprocessableEntity,
	crm.ETooMany:      http.StatusTooManyRequests,
	crm.EInternal:     http.StatusInternalServerError,
}

// codeOf answers the reverse question for errors that huma raises itself (validation,
// unknown route, bad JSON), so that every problem carries a stable machine-readable code.
func codeOf(status int) string {
	for code, s := range statusOf {
		if s == status {
			return code
		}
	}
	if status == http.StatusBadRequest {
		return crm.EInvalid
	}
	return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
}

// keyOf is the catalogue key of the detail text of a problem huma raises itself.
func keyOf(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "api.err.bad_request"
	case http.StatusUnauthorized:
		return "err.unauthorized"
	case http.StatusForbidden:
		return "err.forbidden"
	case http.StatusNotFound:
		return "err.not_found"
	case http.StatusMethodNotAllowed:
		return "api.err.method_not_allowed"
	case http.StatusNotAcceptable:
		return "api.err.not_acceptable"
	case http.StatusConflict:
		return "err.stale_version"
	case http.StatusRequestEntityTooLarge:
		return "api.err.too_large"
	case http.StatusUnsupportedMediaType:
		return "api.err.media_type"
	case http.StatusUnprocessableEntity:
		return "err.validation"
	case http.StatusTooManyRequests:
		return "err.too_many"
	}
	return "err.internal"
}

// problemTypeBase is where the API reference explains each problem code; RFC 9457 lets
// "type" be a URI reference, and this one resolves on every Ladder server.
const problemTypeBase = "/api/docs#problem-"

// Problem is an RFC 9457 problem document. Title is the fixed English status text; Detail is
// translated into the caller's language.
type Problem struct {
	Type   string         `json:"type" format:"uri-reference" doc:"URI reference naming the problem type; it points at the explanation in the API reference." example:"/api/docs#problem-not_found"`
	Title  string         `json:"title" doc:"Short summary of the problem type (HTTP status text, in English)." example:"Not Found"`
	Status int            `json:"status" doc:"HTTP status code." example:"404"`
	Detail string         `json:"detail" doc:"What went wrong, in the caller's language (Accept-Language or the user's locale)." example:"Record not found."`
	Code   string         `json:"code" doc:"Stable machine-readable problem code: unauthorized, forbidden, not_found, conflict, invalid, too_many, internal." example:"not_found"`
	Errors []FieldProblem `json:"errors,omitempty" doc:"Problems with single fields, mostly on 422."`
}

// FieldProblem names one invalid input value.
type FieldProblem struct {
	Location string `json:"location" doc:"Where the value is: body.<field>, query.<name> or path.<name>." example:"body.name"`
	Message  string `json:"message" doc:"What is wrong with it, in the caller's language." example:"Required."`
	Value    any    `json:"value,omitempty" doc:"The value sent, echoed back (never for passwords)."`
}

func (p *Problem) Error() string  { return p.Detail }
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send application/problem+json for this body.
func (p *Problem) ContentType(string) string { return "application/problem+json" }

func newProblem(lang string, status int, code, key string) *Problem {
	if code == "" {
		code = codeOf(status)
	}
	return &Problem{
		Type:   problemTypeBase + code,
		Title:  http.StatusText(status),
		Status: status,
		Detail: i18n.Default().T(lang, key, nil),
		Code:   code,
	}
}

// installHumaErrors makes huma's own errors (schema validation, bad JSON, unknown content
// type) the same translated problems as the domain's. huma keeps this hook in package
// variables; Ladder has one API, so setting them once is safe.
func installHumaErrors() {
	huma.NewError = func(status int, _ string, errs ...error) huma.StatusError {
		return humaProblem(i18n.Languages[0], status, errs)
	}
	huma.NewErrorWithContext = func(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		if status >= http.StatusInternalServerError {
			// Only handlers that bypass fail() get here: log what they said, tell the client nothing.
			slog.Default().ErrorContext(ctx.Context(), "api: unhandled error", "msg", msg, "errs", errs)
		}
		return humaProblem(languageFrom(ctx.Context()), status, errs)
	}
	// "Roles" must not sneak past a schema that only knows "roles".
	huma.ValidateStrictCasing = true
	// Lists are always sent as arrays, never null.
	huma.DefaultArrayNullable = false
}

func humaProblem(lang string, status int, errs []error) *Problem {
	p := newProblem(lang, status, "", keyOf(status))
	for _, err := range errs {
		var d huma.ErrorDetailer
		if err == nil || !errors.As(err, &d) {
			continue
		}
		det := d.ErrorDetail()
		fp := FieldProblem{Location: det.Location, Message: translateHumaMessage(lang, det.Message), Value: det.Value}
		if status == http.StatusBadRequest || det.Message == validation.MsgUnexpectedProperty || strings.Contains(strings.ToLower(det.Location), "password") {
			// The value would be the whole body: it may hold a password and is no help.
			fp.Value = nil
		}
		p.Errors = append(p.Errors, fp)
	}
	return p
}

// humaMessageKeys maps the beginning of huma's validator messages to catalogue keys; any
// message not listed stays in huma's English.
var humaMessageKeys = []struct{ prefix, key string }{
	{validation.MsgUnexpectedProperty, "api.err.unknown_field"},
	{"expected required property", "err.required"},
	{"expected value to be one of", "err.choice"},
	{"expected string to be RFC 3339 date-time", "api.err.datetime_format"},
	{"expected string to be RFC 3339 date", "err.date_format"},
	{"expected length <=", "err.too_long"},
	{"expected length >=", "api.err.too_short"},
	{"expected number >", "err.range"},
	{"expected number <", "err.range"},
	{"expected number to be a multiple", "err.range"},
	{validation.MsgExpectedNumber, "api.err.type"},
	{validation.MsgExpectedInteger, "api.err.type"},
	{validation.MsgExpectedBoolean, "api.err.type"},
	{validation.MsgExpectedString, "api.err.type"},
	{validation.MsgExpectedArray, "api.err.type"},
	{validation.MsgExpectedObject, "api.err.type"},
	{validation.MsgExpectedArrayItemsUnique, "err.duplicate"},
	{"expected array length <=", "err.too_long"},
	{"expected string to be RFC 5322 email", "err.email_format"},
	{"invalid integer", "err.number_format"},
	{"invalid boolean", "api.err.type"},
	{"invalid date/time", "api.err.datetime_format"},
}

func translateHumaMessage(lang, msg string) string {
	for _, m := range humaMessageKeys {
		if strings.HasPrefix(msg, m.prefix) {
			return i18n.Default().T(lang, m.key, nil)
		}
	}
	return msg
}

// fail turns an error of the app layer into a problem in the caller's language. body is the
// request body the error may name fields of (nil for reads); its values are echoed back.
// Internal errors are logged here and never shown.
func fail(ctx context.Context, err error, body any) error {
	code := crm.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status, code = http.StatusInternalServerError, crm.EInternal
	}
	key := crm.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		logFrom(ctx).ErrorContext(ctx, "api: internal error", "err", err)
		key = "err.internal"
	}
	lang := languageFrom(ctx)
	p := newProblem(lang, status, code, key)
	fields := crm.ErrorFields(err)
	if len(fields) == 0 {
		return p
	}
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	sort.Strings(names)
	values := bodyValues(body)
	for _, f := range names {
		fp := FieldProblem{Location: locate(f, body != nil), Message: i18n.Default().T(lang, fields[f], nil)}
		if !strings.Contains(f, "password") {
			fp.Value = values[f]
		}
		p.Errors = append(p.Errors, fp)
	}
	return p
}

// locate says where a field the app layer named came from: ids are in the path, the rest in
// the body when there is one, else in the query (list parameters such as after and sort).
func locate(field string, hasBody bool) string {
	switch {
	case field == "id":
		return "path.id"
	case hasBody:
		return "body." + field
	}
	return "query." + field
}

func bodyValues(body any) map[string]any {
	if body == nil {
		return nil
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

// WriteUnauthorized answers 401 with an RFC 9457 body (missing or bad bearer token).
func WriteUnauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="ladder"`)
	WriteProblem(w, r, http.StatusUnauthorized, "err.unauthorized")
}

// WriteProblem answers an RFC 9457 problem whose detail is the catalogue text of key, in the
// language the request asks for.
func WriteProblem(w http.ResponseWriter, r *http.Request, status int, key string) {
	writeProblem(w, newProblem(requestLanguage(r), status, "", key))
}

func writeProblem(w http.ResponseWriter, p *Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
