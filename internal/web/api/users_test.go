package api_test

import (
	"net/http"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// A role named twice is a mistake of the caller, not a server error: 422 naming roles, and
// nothing is written.
func TestDuplicateRolesAreRefused(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция")
	seller, _ := env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, d.ID)
	admin := newClient(t, env, env.Token(t, env.Admin, false))
	admin.lang = "en"

	before := snapshot(t, env)
	r := admin.post("/api/v1/users", map[string]any{"login": "twice", "email": "twice@example.ru", "full_name": "Дважды",
		"password": "long-enough-password", "roles": []string{"crm_sales", "crm_sales"}, "directorates": []int64{d.ID}}).
		wantProblem(t, http.StatusUnprocessableEntity, "POST /users with a role twice")
	if fe := r.fieldErrors(); fe["body.roles"] == "" {
		t.Fatalf("POST: field errors %v, want one at body.roles", fe)
	}
	r = admin.patch("/api/v1/users/"+itoa(seller.ID), map[string]any{"version": seller.Version,
		"roles": []string{"crm_manager", "crm_sales", "crm_manager"}}).
		wantProblem(t, http.StatusUnprocessableEntity, "PATCH /users with a role twice")
	if fe := r.fieldErrors(); fe["body.roles"] == "" {
		t.Fatalf("PATCH: field errors %v, want one at body.roles", fe)
	}
	if after := snapshot(t, env); after != before {
		t.Fatalf("refused role lists changed the database:\n%s", diffLines(before, after))
	}

	// The document says so, for clients that validate before sending.
	doc := newClient(t, env, "").get("/api/openapi.json").want(t, 200, "openapi.json")
	schemas := doc.JSON["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range []string{"User", "UserCreate", "UserPatch"} {
		roles := schemas[name].(map[string]any)["properties"].(map[string]any)["roles"].(map[string]any)
		if roles["uniqueItems"] != true {
			t.Errorf("%s.roles: %v, want uniqueItems", name, roles)
		}
	}
}
