package ui_test

import (
	"net/http"
	"testing"

	"github.com/ladder-crm/ladder/internal/testenv"
)

// Every screen renders for an administrator, in both languages.
func TestEveryScreenRenders(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция по работе с госсектором")
	env.CreateUser(t, "ivanov", nil, d.ID)
	b := loggedIn(t, env, "admin", env.AdminPassword)
	for _, lang := range []string{"ru", "en"} {
		mustStatus(t, b.post("/lang", form("lang", lang, "next", "/")), http.StatusSeeOther)
		for _, path := range []string{"/", "/projects", "/projects/new", "/admin/users", "/admin/users/new",
			"/admin/users/1", "/admin/users/1?tab=history", "/admin/users/1/edit",
			"/admin/directorates", "/admin/directorates/new", "/admin/directorates/1", "/admin/directorates/1/edit",
			"/admin/products", "/admin/products/new", "/admin/audit", "/profile", "/profile/password", "/profile/tokens",
			"/projects?deleted=1", "/admin/users?sort=email&desc=1"} {
			p := b.get(path)
			if p.Status != http.StatusOK {
				t.Errorf("%s %s: status %d\n%s", lang, path, p.Status, excerpt(p.Body))
			}
		}
	}
}
