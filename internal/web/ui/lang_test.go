package ui_test

import (
	"net/http"
	"testing"

	"github.com/ladder-crm/ladder/internal/testenv"
)

func TestLanguageOfAnonymousVisitors(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	for accept, want := range map[string]string{
		"":                      "Вход в Ladder",
		"de-DE,de;q=0.9":        "Вход в Ladder",
		"en-US,en;q=0.9":        "Log in to Ladder",
		"fr-FR,en;q=0.5,ru;q=0": "Log in to Ladder",
		"ru-RU,ru;q=0.9,en":     "Вход в Ladder",
	} {
		b := newBrowser(t, env)
		b.lang = accept
		p := b.get("/login")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, want)
	}
	// The switch on the login page keeps the choice in a cookie, over the browser's wish.
	b := newBrowser(t, env)
	b.lang = "ru"
	p := b.post("/lang", form("lang", "en", "next", "/login"))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/login" {
		t.Fatalf("back to %q", p.Location)
	}
	p = b.get("/login")
	mustContain(t, p, "Log in to Ladder", `<html lang="en">`)
	mustContain(t, b.post("/login", form("login", "admin", "password", "nope")), "Wrong login or password")
	mustStatus(t, b.post("/lang", form("lang", "de")), http.StatusUnprocessableEntity)
}

func TestLanguageSwitchFollowsTheUser(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b := loggedIn(t, env, "admin", env.AdminPassword)
	b.lang = "ru"
	mustContain(t, b.get("/projects"), "Проекты", "Новый проект")
	p := b.post("/lang", form("lang", "en", "next", "/projects?status=active"))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/projects?status=active" {
		t.Fatalf("back to %q", p.Location)
	}
	mustContain(t, b.get(p.Location), "New project", "Sales directorate")
	me, err := env.App.User(env.AdminCtx(), env.Admin.ID)
	if err != nil || me.Locale != "en" {
		t.Fatalf("profile locale %q %v", me.Locale, err)
	}
	// Another browser of the same user, asking for Russian, gets the profile's English.
	other := loggedIn(t, env, "admin", env.AdminPassword)
	other.lang = "ru"
	mustContain(t, other.get("/"), "Hello, Administrator")
	mustStatus(t, b.post("/lang", form("lang", "ru", "next", "https://evil.example/")), http.StatusSeeOther)
	mustContain(t, b.get("/"), "Здравствуйте")
}

func TestErrorPagesSpeakTheUsersLanguage(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b := loggedIn(t, env, "admin", env.AdminPassword)
	p := b.get("/no/such/page")
	mustStatus(t, p, http.StatusNotFound)
	mustContain(t, p, "Страница не найдена", `id="error-status">404`)
	mustStatus(t, b.get("/projects/999999"), http.StatusNotFound)
	mustStatus(t, b.get("/projects/abc"), http.StatusNotFound)
	mustStatus(t, b.post("/lang", form("lang", "en")), http.StatusSeeOther)
	p = b.get("/admin/users/999999")
	mustStatus(t, p, http.StatusNotFound)
	mustContain(t, p, "Page not found", "Record not found.")

	anon := newBrowser(t, env)
	anon.lang = "en"
	mustContain(t, anon.get("/nothing-here"), "Page not found")
	// htmx requests of anonymous users are sent to the login page by htmx itself.
	p = anon.get("/projects", "HX-Request", "true")
	if p.Header.Get("HX-Redirect") == "" {
		t.Fatalf("htmx anonymous request: status %d, no HX-Redirect", p.Status)
	}
}
