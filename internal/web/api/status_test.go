package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// Every /api/v1 endpoint refuses anonymous calls and bad tokens with a 401 problem.
func TestUnauthenticatedGets401Everywhere(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	anon := newClient(t, env, "")
	bad := newClient(t, env, "ldr_not-a-real-token")
	for _, o := range registeredOperations(t, env) {
		path := strings.ReplaceAll(o.Path, "{id}", "1")
		for _, c := range []*client{anon, bad} {
			r := c.do(o.Method, path, nil)
			r.wantProblem(t, http.StatusUnauthorized, o.Method+" "+path)
			if r.str("code") != crm.EUnauthorized {
				t.Errorf("%s %s: code %q", o.Method, path, r.str("code"))
			}
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s: no WWW-Authenticate challenge", o.Method, path)
			}
		}
	}
	// A path no operation serves is still refused before it could tell what exists.
	anon.get("/api/v1/nothing-here").wantProblem(t, http.StatusUnauthorized, "unknown path, anonymous")
}

// The status codes of the acceptance list, each an RFC 9457 problem with a translated detail.
func TestProblemStatusesAndLanguages(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	own := env.CreateDirectorate(t, "Дирекция А")
	sales, _ := env.CreateUser(t, "", crm.Roles{crm.RoleSales}, own.ID)
	admin := newClient(t, env, env.Token(t, env.Admin, false))
	seller := newClient(t, env, env.Token(t, sales, false))

	type check struct {
		name   string
		status int
		code   string
		call   func(c *client) *response
	}
	product := admin.post("/api/v1/products", map[string]any{"name": "Аудит", "kind": "service"}).want(t, 201, "create product")
	pid, pver := product.id(), product.version()
	checks := []check{
		{"wrong role", 403, crm.EForbidden, func(c *client) *response {
			c.token = seller.token
			return c.post("/api/v1/products", map[string]any{"name": "X", "kind": "product"})
		}},
		{"unknown id", 404, crm.ENotFound, func(c *client) *response { return c.get("/api/v1/products/999999") }},
		{"stale version", 409, crm.EConflict, func(c *client) *response {
			return c.patch("/api/v1/products/"+itoa(pid), map[string]any{"version": pver + 5, "name": "Y"})
		}},
		{"invalid body", 422, crm.EInvalid, func(c *client) *response {
			return c.post("/api/v1/products", map[string]any{"name": "", "kind": "product", "currency": "RU"})
		}},
		{"schema violation", 422, crm.EInvalid, func(c *client) *response {
			return c.post("/api/v1/products", map[string]any{"name": "Z", "kind": "gadget", "price_minor": "ten"})
		}},
		{"bad cursor", 422, crm.EInvalid, func(c *client) *response { return c.get("/api/v1/products?after=bm90LWpzb24") }},
		{"unknown route", 404, "not_found", func(c *client) *response { return c.get("/api/v1/nothing-here") }},
		{"wrong method", 405, "method_not_allowed", func(c *client) *response { return c.do(http.MethodPut, "/api/v1/products", "{}") }},
		{"malformed JSON", 400, crm.EInvalid, func(c *client) *response { return c.post("/api/v1/products", `{"name": `) }},
	}
	details := map[string]map[string]string{}
	for _, lang := range []string{"ru", "en"} {
		for _, ch := range checks {
			c := &client{t: t, base: env.URL, token: admin.token, lang: lang}
			r := ch.call(c)
			r.wantProblem(t, ch.status, ch.name+" ("+lang+")")
			if r.str("code") != ch.code {
				t.Errorf("%s: code %q, want %q", ch.name, r.str("code"), ch.code)
			}
			if details[ch.name] == nil {
				details[ch.name] = map[string]string{}
			}
			details[ch.name][lang] = r.str("detail")
		}
	}
	for name, d := range details {
		if d["ru"] == d["en"] {
			t.Errorf("%s: the same detail in both languages: %q", name, d["ru"])
		}
		if !hasCyrillic(d["ru"]) || hasCyrillic(d["en"]) {
			t.Errorf("%s: ru %q / en %q", name, d["ru"], d["en"])
		}
	}

	// Deletion is version-checked too, and an unknown id is a 404 there as well.
	admin.del("/api/v1/products/"+itoa(pid)+"?version="+itoa(pver+5)).wantProblem(t, 409, "stale delete")
	admin.del("/api/v1/products/999999?version=1").wantProblem(t, 404, "delete unknown")
	admin.del("/api/v1/products/"+itoa(pid)).wantProblem(t, 422, "delete without version")
	admin.patch("/api/v1/users/999999", map[string]any{"version": 1, "full_name": "X"}).wantProblem(t, 404, "patch unknown user")
	admin.post("/api/v1/projects/999999/restore", nil).wantProblem(t, 404, "restore unknown")

	// A body that is not JSON is refused as a problem too.
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/api/v1/directorates", strings.NewReader("name=X"))
	req.Header.Set("Authorization", "Bearer "+admin.token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode < 400 || res.StatusCode >= 500 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("form body: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	// 422 names every bad field with a translated message and echoes the value sent.
	c := &client{t: t, base: env.URL, token: admin.token, lang: "en"}
	r := c.post("/api/v1/products", map[string]any{"name": "", "kind": "product", "currency": "RU"}).wantProblem(t, 422, "invalid product")
	fe := r.fieldErrors()
	if fe["body.name"] != "Required." || fe["body.currency"] == "" {
		t.Errorf("field errors: %v", fe)
	}
	if !strings.Contains(string(r.Raw), `"value":"RU"`) {
		t.Errorf("value not echoed: %s", r.Raw)
	}
	c.lang = "ru"
	fe = c.post("/api/v1/products", map[string]any{"name": "", "kind": "product"}).wantProblem(t, 422, "invalid product ru").fieldErrors()
	if !hasCyrillic(fe["body.name"]) {
		t.Errorf("ru field errors: %v", fe)
	}
	fe = c.post("/api/v1/products", map[string]any{"name": "Z", "kind": "gadget"}).wantProblem(t, 422, "bad enum").fieldErrors()
	if !hasCyrillic(fe["body.kind"]) {
		t.Errorf("schema error not translated: %v", fe)
	}

	// Passwords are never echoed back in a problem.
	r = c.post("/api/v1/users", map[string]any{"email": "p@example.ru", "full_name": "P", "password": "short-pw"}).wantProblem(t, 422, "short password")
	if strings.Contains(string(r.Raw), "short-pw") || r.fieldErrors()["body.password"] == "" {
		t.Errorf("password problem: %s", r.Raw)
	}

	// Without Accept-Language the user's own language decides.
	if _, err := env.App.UpdateProfile(env.Ctx(sales), profileLocale(t, env, sales, "en")); err != nil {
		t.Fatal(err)
	}
	r = seller.post("/api/v1/products", map[string]any{"name": "X", "kind": "product"}).wantProblem(t, 403, "403 in the user's language")
	if hasCyrillic(r.str("detail")) {
		t.Errorf("detail should be English for a user with locale en: %q", r.str("detail"))
	}
	anon := &client{t: t, base: env.URL, lang: "en"}
	if d := anon.get("/api/v1/me").wantProblem(t, 401, "401 en").str("detail"); hasCyrillic(d) {
		t.Errorf("401 detail in en: %q", d)
	}
}

// A read-only token reads but every write is refused, and nothing changes.
func TestReadOnlyTokenCannotWrite(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция")
	admin := newClient(t, env, env.Token(t, env.Admin, false))
	prod := admin.post("/api/v1/products", map[string]any{"name": "P", "kind": "product", "directorates": []int64{d.ID}}).want(t, 201, "product")
	proj := admin.post("/api/v1/projects", map[string]any{"name": "P", "directorate_id": d.ID}).want(t, 201, "project")
	ro := newClient(t, env, env.Token(t, env.Admin, true))
	ro.get("/api/v1/me").want(t, 200, "read-only token reads")
	tok := admin.post("/api/v1/me/tokens", map[string]any{"name": "victim"}).want(t, 201, "token")
	before := snapshot(t, env)
	writes := []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/v1/products", map[string]any{"name": "X", "kind": "product"}},
		{"PATCH", "/api/v1/products/" + itoa(prod.id()), map[string]any{"version": prod.version(), "name": "X"}},
		{"DELETE", "/api/v1/products/" + itoa(prod.id()) + "?version=" + itoa(prod.version()), nil},
		{"POST", "/api/v1/products/" + itoa(prod.id()) + "/restore", nil},
		{"POST", "/api/v1/directorates", map[string]any{"name": "X"}},
		{"PATCH", "/api/v1/directorates/" + itoa(d.ID), map[string]any{"version": d.Version, "name": "X"}},
		{"DELETE", "/api/v1/directorates/" + itoa(d.ID) + "?version=" + itoa(d.Version), nil},
		{"POST", "/api/v1/projects", map[string]any{"name": "X"}},
		{"PATCH", "/api/v1/projects/" + itoa(proj.id()), map[string]any{"version": proj.version(), "name": "X"}},
		{"DELETE", "/api/v1/projects/" + itoa(proj.id()) + "?version=" + itoa(proj.version()), nil},
		{"POST", "/api/v1/users", map[string]any{"email": "x@example.ru", "full_name": "X", "password": "long-enough-pw"}},
		{"PATCH", "/api/v1/users/" + itoa(env.Admin.ID), map[string]any{"version": env.Admin.Version, "full_name": "X"}},
		{"PATCH", "/api/v1/me", map[string]any{"version": env.Admin.Version, "full_name": "X"}},
		{"POST", "/api/v1/me/password", map[string]any{"current_password": env.AdminPassword, "new_password": "another-password"}},
		{"POST", "/api/v1/me/tokens", map[string]any{"name": "more"}},
		{"DELETE", "/api/v1/me/tokens/" + itoa(tok.id()), nil},
	}
	for _, w := range writes {
		ro.do(w.method, w.path, w.body).wantProblem(t, http.StatusForbidden, "read-only "+w.method+" "+w.path)
	}
	if after := snapshot(t, env); after != before {
		t.Fatalf("read-only token changed the database:\n%s", diffLines(before, after))
	}
}
