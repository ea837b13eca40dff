package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// Mass-assignment probes: no endpoint lets a user set their own roles, directorates,
// created_by, id or version, and crm_admin cannot hand out admin. Unknown fields are refused
// with 422 naming the field, so that an attempt shows instead of being silently dropped.
func TestMassAssignmentIsRefused(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	own := env.CreateDirectorate(t, "Своя")
	other := env.CreateDirectorate(t, "Чужая")
	sales, _ := env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, own.ID)
	crmAdmin, _ := env.CreateUser(t, "crmadmin", crm.Roles{crm.RoleCRMAdmin}, own.ID)
	nobody, _ := env.CreateUser(t, "nobody", nil)
	seller := newClient(t, env, env.Token(t, sales, false))
	cadm := newClient(t, env, env.Token(t, crmAdmin, false))
	noRole := newClient(t, env, env.Token(t, nobody, false))
	for _, c := range []*client{seller, cadm, noRole} {
		c.lang = "en"
	}

	me := seller.get("/api/v1/me").want(t, 200, "me")
	ver := me.version()

	// PATCH /me: every field outside the profile is refused, alone or next to a legal change.
	probes := []map[string]any{
		{"version": ver, "roles": []string{"admin"}},
		{"version": ver, "full_name": "Ok", "roles": []string{"crm_admin"}},
		{"version": ver, "directorates": []int64{own.ID, other.ID}},
		{"version": ver, "created_by": 1},
		{"version": ver, "id": env.Admin.ID},
		{"version": ver, "active": true},
		{"version": ver, "login": "admin"},
		{"version": ver, "Roles": []string{"admin"}},       // a differently cased name is no way round
		{"version": ver, "password_hash": "x"},             // nor a storage column
		{"version": ver, "full_name": "Ok", "force": true}, // nor a version bypass flag
	}
	before := snapshot(t, env)
	for _, body := range probes {
		r := seller.patch("/api/v1/me", body).wantProblem(t, http.StatusUnprocessableEntity, "PATCH /me")
		var names []string
		for k := range body {
			if k != "version" && k != "full_name" {
				names = append(names, k)
			}
		}
		fe := r.fieldErrors()
		for _, n := range names {
			if fe["body."+n] != "Unknown field: it cannot be set here." {
				t.Errorf("PATCH /me %v: field errors %v", body, fe)
			}
		}
	}
	// Without a version there is no update at all.
	seller.patch("/api/v1/me", map[string]any{"full_name": "No version"}).wantProblem(t, 422, "PATCH /me without version")
	seller.patch("/api/v1/me", map[string]any{"version": 0, "full_name": "Zero"}).wantProblem(t, 422, "PATCH /me version 0")
	// Unknown query parameters are refused too.
	seller.get("/api/v1/me?user_id=1").wantProblem(t, 422, "GET /me?user_id")
	if after := snapshot(t, env); after != before {
		t.Fatalf("refused PATCH /me changed the database:\n%s", diffLines(before, after))
	}

	// The legal profile change works, and roles and directorates stay as they were.
	r := seller.patch("/api/v1/me", map[string]any{"version": ver, "full_name": "Продавец", "locale": "en"}).want(t, 200, "PATCH /me")
	if r.str("full_name") != "Продавец" || !sameRoles(r, "crm_sales") || !sameDirs(r, own.ID) {
		t.Fatalf("profile after change: %s", r.Raw)
	}
	// A user without any CRM role may still edit their own profile, but nothing else.
	nv := noRole.get("/api/v1/me").want(t, 200, "me without role").version()
	noRole.patch("/api/v1/me", map[string]any{"version": nv, "timezone": "Europe/Samara"}).want(t, 200, "profile without role")
	noRole.patch("/api/v1/users/"+itoa(nobody.ID), map[string]any{"version": nv + 1, "roles": []string{"crm_sales"}}).
		wantProblem(t, http.StatusForbidden, "no-role user grants themselves a role")

	// PATCH /users/{self} as a non-admin: the admin endpoint is closed to them.
	cur := seller.get("/api/v1/me").want(t, 200, "me").version()
	before = snapshot(t, env)
	for _, body := range []map[string]any{
		{"version": cur, "roles": []string{"crm_admin"}},
		{"version": cur, "directorates": []int64{other.ID}},
		{"version": cur, "full_name": "Via admin endpoint"},
	} {
		seller.patch("/api/v1/users/"+itoa(sales.ID), body).wantProblem(t, http.StatusForbidden, "PATCH /users/self")
	}
	seller.post("/api/v1/me/tokens", map[string]any{"name": "for admin", "user_id": env.Admin.ID}).
		wantProblem(t, 422, "token for someone else")
	if after := snapshot(t, env); after != before {
		t.Fatalf("refused PATCH /users/self changed the database:\n%s", diffLines(before, after))
	}

	// POST /projects: created_by, id, version and deleted_at cannot be sent; created_by is
	// always the caller.
	before = snapshot(t, env)
	for _, field := range []string{"created_by", "id", "version", "deleted_at", "updated_by"} {
		var v any = env.Admin.ID
		if field == "deleted_at" {
			v = "2020-01-01T00:00:00Z"
		}
		r := seller.post("/api/v1/projects", map[string]any{"name": "Чужое авторство", field: v}).
			wantProblem(t, 422, "POST /projects with "+field)
		if _, ok := r.fieldErrors()["body."+field]; !ok {
			t.Errorf("POST /projects with %s: errors %s", field, r.Raw)
		}
	}
	if after := snapshot(t, env); after != before {
		t.Fatalf("refused POST /projects changed the database:\n%s", diffLines(before, after))
	}
	p := seller.post("/api/v1/projects", map[string]any{"name": "Своё"}).want(t, 201, "POST /projects")
	if cb, _ := p.JSON["created_by"].(float64); int64(cb) != sales.ID {
		t.Fatalf("created_by %v, want %d", p.JSON["created_by"], sales.ID)
	}
	if d, _ := p.JSON["directorate_id"].(float64); int64(d) != own.ID {
		t.Fatalf("directorate_id %v, want the caller's first %d", p.JSON["directorate_id"], own.ID)
	}
	stored, err := env.App.Project(env.AdminCtx(), p.id())
	if err != nil || stored.CreatedBy == nil || *stored.CreatedBy != sales.ID {
		t.Fatalf("stored created_by: %+v %v", stored, err)
	}
	seller.patch("/api/v1/projects/"+itoa(p.id()), map[string]any{"version": p.version(), "created_by": env.Admin.ID}).
		wantProblem(t, 422, "PATCH /projects created_by")
	cadm.post("/api/v1/directorates", map[string]any{"name": "X", "created_by": env.Admin.ID}).
		wantProblem(t, 422, "POST /directorates created_by")

	// crm_admin manages users but cannot hand out admin, nor touch an admin.
	before = snapshot(t, env)
	cadm.post("/api/v1/users", map[string]any{"email": "boss@example.ru", "full_name": "Boss",
		"password": "long-enough-password", "roles": []string{"admin"}}).wantProblem(t, http.StatusForbidden, "crm_admin creates an admin")
	sv := cadm.get("/api/v1/users/"+itoa(sales.ID)).want(t, 200, "read seller").version()
	cadm.patch("/api/v1/users/"+itoa(sales.ID), map[string]any{"version": sv, "roles": []string{"crm_sales", "admin"}}).
		wantProblem(t, http.StatusForbidden, "crm_admin grants admin")
	cv := cadm.get("/api/v1/me").want(t, 200, "crm_admin me").version()
	cadm.patch("/api/v1/users/"+itoa(crmAdmin.ID), map[string]any{"version": cv, "roles": []string{"crm_admin", "admin"}}).
		wantProblem(t, http.StatusForbidden, "crm_admin grants themselves admin")
	av := cadm.get("/api/v1/users/"+itoa(env.Admin.ID)).want(t, 200, "read admin").version()
	cadm.patch("/api/v1/users/"+itoa(env.Admin.ID), map[string]any{"version": av, "full_name": "Demoted"}).
		wantProblem(t, http.StatusForbidden, "crm_admin changes an admin")
	cadm.del("/api/v1/users/"+itoa(env.Admin.ID)+"?version="+itoa(av)).
		wantProblem(t, http.StatusForbidden, "crm_admin deletes an admin")
	if after := snapshot(t, env); after != before {
		t.Fatalf("refused admin grants changed the database:\n%s", diffLines(before, after))
	}
	// What crm_admin may do still works.
	cadm.patch("/api/v1/users/"+itoa(sales.ID), map[string]any{"version": sv, "roles": []string{"crm_sales", "crm_manager"}}).
		want(t, 200, "crm_admin grants crm_manager")
}

func sameRoles(r *response, want ...string) bool {
	var got []string
	for _, x := range r.JSON["roles"].([]any) {
		got = append(got, x.(string))
	}
	return slices.Equal(got, want)
}

func sameDirs(r *response, want ...int64) bool {
	var got []int64
	for _, x := range r.JSON["directorates"].([]any) {
		got = append(got, int64(x.(float64)))
	}
	return slices.Equal(got, want)
}
