package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// Internal errors are logged with their text and answered with a generic 500 that leaks
// nothing.
func TestInternalErrorsAreLoggedNotShown(t *testing.T) {
	var logged bytes.Buffer
	ctx := context.WithValue(context.Background(), logKey{}, slog.New(slog.NewTextHandler(&logged, nil)))
	ctx = context.WithValue(ctx, langKey{}, "en")
	for _, err := range []error{
		errors.New("pq: relation \"users\" does not exist: secret-detail"),
		crm.Errorf(crm.EInternal, "no permission policy for %q secret-detail", "x"),
		fmt.Errorf("wrapped: %w", errors.New("secret-detail")),
	} {
		logged.Reset()
		p := fail(ctx, err, nil).(*Problem)
		if p.Status != 500 || p.Code != crm.EInternal || strings.Contains(p.Detail, "secret") {
			t.Errorf("%v → %+v", err, p)
		}
		if p.Detail != i18n.Default().T("en", "err.internal", nil) {
			t.Errorf("detail %q", p.Detail)
		}
		if !strings.Contains(logged.String(), "secret-detail") {
			t.Errorf("not logged: %v", err)
		}
	}
	// Domain errors are not logged: they are the client's business.
	logged.Reset()
	if p := fail(ctx, crm.ErrForbidden, nil).(*Problem); p.Status != 403 || logged.Len() != 0 {
		t.Errorf("forbidden: %+v, log %q", p, logged.String())
	}
}

// Every domain error code has exactly one status, and every status maps back to its code.
func TestErrorTable(t *testing.T) {
	want := map[string]int{"unauthorized": 401, "forbidden": 403, "not_found": 404, "conflict": 409,
		"invalid": 422, "too_many": 429, "internal": 500}
	for code, status := range want {
		if statusOf[code] != status {
			t.Errorf("%s → %d, want %d", code, statusOf[code], status)
		}
		if codeOf(status) != code {
			t.Errorf("%d → %s, want %s", status, codeOf(status), code)
		}
		if key := keyOf(status); !i18n.Default().Has("ru", key) || !i18n.Default().Has("en", key) {
			t.Errorf("%d: key %q missing from the catalogue", status, key)
		}
	}
	if len(statusOf) != len(want) {
		t.Errorf("statusOf has %d codes", len(statusOf))
	}
	for _, m := range humaMessageKeys {
		if !i18n.Default().Has("ru", m.key) || !i18n.Default().Has("en", m.key) {
			t.Errorf("huma message key %q missing from the catalogue", m.key)
		}
	}
	// Field problems of a domain error say where the field was and echo non-secret values.
	err := &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"name": "err.required", "password": "err.password_short"}}
	ctx := context.WithValue(context.Background(), langKey{}, "en")
	p := fail(ctx, err, UserCreate{FullName: "", Password: "hunter2-secret"}).(*Problem)
	if len(p.Errors) != 2 || p.Errors[0].Location != "body.name" || p.Errors[1].Location != "body.password" || p.Errors[1].Value != nil {
		t.Errorf("field problems: %+v", p.Errors)
	}
	p = fail(ctx, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"after": "err.cursor"}}, nil).(*Problem)
	if p.Errors[0].Location != "query.after" {
		t.Errorf("list field: %+v", p.Errors)
	}
}

// The role enums in struct tags are crm.AllRoles, in order.
func TestRoleEnumsMatchTheDomain(t *testing.T) {
	_, hapi := build(nil, Options{})
	oapi := hapi.OpenAPI()
	want := make([]any, 0, len(crm.AllRoles))
	for _, r := range crm.AllRoles {
		want = append(want, string(r))
	}
	schemas := oapi.Components.Schemas.Map()
	for _, name := range []string{"User", "UserCreate", "UserPatch"} {
		roles := schemas[name].Properties["roles"]
		if roles == nil || roles.Items == nil || !slices.Equal(roles.Items.Enum, want) {
			t.Errorf("%s.roles enum differs from crm.AllRoles", name)
		}
	}
	for _, p := range oapi.Paths["/api/v1/users"].Get.Parameters {
		if p.Name == "role" && !slices.Equal(p.Schema.Enum, want) {
			t.Errorf("role filter enum differs from crm.AllRoles: %v", p.Schema.Enum)
		}
	}
	// Every request body refuses unknown fields.
	for name, s := range schemas {
		if s.Type == huma.TypeObject && s.AdditionalProperties != false {
			t.Errorf("schema %s allows unknown fields", name)
		}
	}
}

func TestRequestLanguage(t *testing.T) {
	for header, want := range map[string]string{"": "ru", "en-US,en;q=0.9": "en", "ru": "ru", "de-DE": "ru", "de, en;q=0.5": "en"} {
		r, _ := http.NewRequest("GET", "/api/v1/me", nil)
		if header != "" {
			r.Header.Set("Accept-Language", header)
		}
		if got := requestLanguage(r); got != want {
			t.Errorf("Accept-Language %q → %s, want %s", header, got, want)
		}
	}
}
