package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
	"github.com/ladder-crm/ladder/internal/web/api"
)

// client calls the API as an outside program would: JSON over HTTP with a bearer token.
type client struct {
	t     testing.TB
	base  string
	token string
	lang  string
}

func newClient(t testing.TB, env *testenv.Env, token string) *client {
	return &client{t: t, base: env.URL, token: token}
}

// response is one answer, decoded as far as it is JSON.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	JSON   map[string]any
}

func (c *client) do(method, path string, body any) *response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &response{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if len(raw) > 0 && strings.Contains(res.Header.Get("Content-Type"), "json") {
		_ = json.Unmarshal(raw, &out.JSON)
	}
	return out
}

func (c *client) get(path string) *response             { return c.do(http.MethodGet, path, nil) }
func (c *client) post(path string, body any) *response  { return c.do(http.MethodPost, path, body) }
func (c *client) patch(path string, body any) *response { return c.do(http.MethodPatch, path, body) }
func (c *client) del(path string) *response             { return c.do(http.MethodDelete, path, nil) }

// want fails the test unless the status is code; it shows the body, which says why.
func (r *response) want(t testing.TB, code int, what string) *response {
	t.Helper()
	if r.Status != code {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.Status, code, r.Raw)
	}
	return r
}

func (r *response) id() int64      { return int64(r.JSON["id"].(float64)) }
func (r *response) version() int64 { return int64(r.JSON["version"].(float64)) }
func (r *response) str(k string) string {
	s, _ := r.JSON[k].(string)
	return s
}

// wantProblem checks that r is an RFC 9457 problem of status code.
func (r *response) wantProblem(t testing.TB, code int, what string) *response {
	t.Helper()
	r.want(t, code, what)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("%s: content type %q, want application/problem+json", what, ct)
	}
	if got := r.JSON["status"]; got != float64(code) {
		t.Fatalf("%s: problem status %v, want %d", what, got, code)
	}
	if r.str("title") != http.StatusText(code) {
		t.Fatalf("%s: title %q, want %q", what, r.str("title"), http.StatusText(code))
	}
	if typ := r.str("type"); typ == "" || !strings.Contains(typ, "#problem-"+r.str("code")) {
		t.Fatalf("%s: type %q does not name code %q", what, typ, r.str("code"))
	}
	if r.str("detail") == "" {
		t.Fatalf("%s: empty detail: %s", what, r.Raw)
	}
	return r
}

// fieldErrors maps each location of a 422's errors to its message.
func (r *response) fieldErrors() map[string]string {
	out := map[string]string{}
	list, _ := r.JSON["errors"].([]any)
	for _, e := range list {
		m, _ := e.(map[string]any)
		loc, _ := m["location"].(string)
		msg, _ := m["message"].(string)
		out[loc] = msg
	}
	return out
}

// snapshot dumps every table that holds business data, in id order, as text: two equal
// snapshots mean a call changed nothing. Sessions are left out (a browser test's own).
func snapshot(t testing.TB, env *testenv.Env) string {
	t.Helper()
	db := env.DB.Writer()
	ctx := context.Background()
	tables := tableNames(t, env)
	var b strings.Builder
	for _, name := range tables {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+name) // names come from the catalogue, not from input
		if err != nil {
			t.Fatalf("snapshot %s: %v", name, err)
		}
		lines := dumpRows(t, rows)
		sort.Strings(lines)
		fmt.Fprintf(&b, "== %s (%d)\n%s\n", name, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

func tableNames(t testing.TB, env *testenv.Env) []string {
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if env.DB.Dialect() == "postgres" {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	rows, err := env.DB.Writer().QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == "sessions" || strings.HasPrefix(n, "goose") {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func dumpRows(t testing.TB, rows *sql.Rows) []string {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, 0, len(cols))
		for i, v := range vals {
			if cols[i] == "last_used_at" {
				continue // advisory, written at most once a minute by any authenticated call
			}
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			parts = append(parts, fmt.Sprintf("%s=%v", cols[i], v))
		}
		lines = append(lines, strings.Join(parts, " "))
	}
	return lines
}

func itoa(n int64) string { return fmt.Sprint(n) }

func hasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 'А' && r <= 'я' {
			return true
		}
	}
	return false
}

// diffLines shows the lines of after that before lacks and the other way round.
func diffLines(before, after string) string {
	b, a := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(before, "\n") {
		b[l] = true
	}
	for _, l := range strings.Split(after, "\n") {
		a[l] = true
	}
	var out []string
	for l := range b {
		if !a[l] {
			out = append(out, "- "+l)
		}
	}
	for l := range a {
		if !b[l] {
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// registeredOperations lists what huma registered (method, full path).
func registeredOperations(t testing.TB, env *testenv.Env) []struct{ Method, Path, ID string } {
	var out []struct{ Method, Path, ID string }
	for _, o := range api.RegisteredOperations(env.App) {
		out = append(out, struct{ Method, Path, ID string }{o.Method, o.Path, o.OperationID})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path+out[i].Method < out[j].Path+out[j].Method })
	return out
}

func profileLocale(t testing.TB, env *testenv.Env, u *crm.User, locale string) app.ProfilePatch {
	cur, err := env.App.User(env.Ctx(u), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return app.ProfilePatch{Version: cur.Version, Locale: &locale}
}
