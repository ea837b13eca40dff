package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

const uniformLoginError = "Неверный логин или пароль, либо вход временно заблокирован."

func TestLoginSucceedsAndLandsOnTheAskedPage(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b := newBrowser(t, env)

	p := b.get("/projects?status=active")
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/login?next="+url.QueryEscape("/projects?status=active") {
		t.Fatalf("anonymous redirect to %q", p.Location)
	}
	p = b.post("/login", form("login", "admin", "password", env.AdminPassword, "next", "/projects?status=active"))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/projects?status=active" {
		t.Fatalf("after login: %q", p.Location)
	}
	p = b.get("/projects")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, "Administrator", `id="user-menu"`)

	// Logging out ends the session.
	mustStatus(t, b.post("/logout", nil), http.StatusSeeOther)
	mustStatus(t, b.get("/projects"), http.StatusSeeOther)
}

func TestLoginRejectsForeignNext(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		b := newBrowser(t, env)
		p := b.post("/login", form("login", "admin", "password", env.AdminPassword, "next", next))
		mustStatus(t, p, http.StatusSeeOther)
		if p.Location != "/" {
			t.Errorf("next=%q led to %q", next, p.Location)
		}
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	env.CreateUser(t, "petrov", crm.Roles{crm.RoleSales})
	b := newBrowser(t, env)
	wrong := b.post("/login", form("login", "admin", "password", "wrong-password"))
	unknown := b.post("/login", form("login", "nobody", "password", "whatever-password"))
	for _, p := range []page{wrong, unknown} {
		mustStatus(t, p, http.StatusUnauthorized)
		mustContain(t, p, uniformLoginError, `id="login-error"`)
	}
	// The login typed is kept; the password never comes back.
	mustContain(t, wrong, `value="admin"`)
	mustNotContain(t, wrong, "wrong-password")
}

func TestLoginRateLimitPerIP(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b := newBrowser(t, env)
	// Successful logins give their attempt back: an office behind one NAT is not locked out.
	for i := 0; i < 8; i++ {
		mustStatus(t, newBrowser(t, env).post("/login", form("login", "admin", "password", env.AdminPassword)), http.StatusSeeOther)
	}
	// Unknown logins, so that the app's account lockout does not take part.
	for i := 0; i < 5; i++ {
		mustStatus(t, b.post("/login", form("login", "nobody", "password", "guess")), http.StatusUnauthorized)
	}
	p := b.post("/login", form("login", "admin", "password", env.AdminPassword))
	mustStatus(t, p, http.StatusTooManyRequests)
	mustContain(t, p, uniformLoginError)
}

func TestUserWithoutRoleSeesOnlyTheProfile(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	_, pw := env.CreateUser(t, "norole", nil)
	b := newBrowser(t, env)
	p := b.post("/login", form("login", "norole", "password", pw))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/profile" {
		t.Fatalf("no-role user sent to %q", p.Location)
	}
	p = b.get("/profile")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `id="no-role"`)
	mustNotContain(t, p, `href="/projects"`)
	mustStatus(t, b.get("/projects"), http.StatusForbidden)
	mustStatus(t, b.get("/admin/users"), http.StatusForbidden)
	mustStatus(t, b.get("/"), http.StatusSeeOther)
}

func TestPasswordChangeKeepsThisSessionAndEndsOthers(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	_, pw := env.CreateUser(t, "sidorov", crm.Roles{crm.RoleSales})
	b := loggedIn(t, env, "sidorov", pw)
	other := loggedIn(t, env, "sidorov", pw)

	p := b.post("/profile/password", form("current_password", "wrong", "new_password", "new-password-1", "confirm_password", "new-password-1"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Текущий пароль введён неверно.")
	p = b.post("/profile/password", form("current_password", pw, "new_password", "new-password-1", "confirm_password", "other"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Пароли не совпадают.")
	p = b.post("/profile/password", form("current_password", pw, "new_password", "short", "confirm_password", "short"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Пароль должен быть не короче 10 символов.")

	mustStatus(t, b.post("/profile/password", form("current_password", pw, "new_password", "new-password-1", "confirm_password", "new-password-1")), http.StatusSeeOther)
	p = b.get("/profile")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, "Пароль изменён.")
	mustStatus(t, other.get("/profile"), http.StatusSeeOther)
	mustStatus(t, newBrowser(t, env).post("/login", form("login", "sidorov", "password", pw)), http.StatusUnauthorized)
	loggedIn(t, env, "sidorov", "new-password-1")
}

func TestAPITokensFromTheProfile(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b := loggedIn(t, env, "admin", env.AdminPassword)
	p := b.post("/profile/tokens", form("name", "Интеграция 1С", "read_only", "1"))
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `id="token-secret"`, "Интеграция 1С", "Только чтение")
	i := strings.Index(p.Body, `value="ldr_`)
	if i < 0 {
		t.Fatal("the secret is not shown")
	}
	secret := p.Body[i+len(`value="`):]
	secret = secret[:strings.Index(secret, `"`)]
	// The secret works against the API and is not shown again.
	req, _ := http.NewRequest(http.MethodGet, env.URL+"/api/v1/directorates", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("API with the new token: %d", res.StatusCode)
	}
	p = b.get("/profile/tokens")
	mustNotContain(t, p, secret)

	tokens, err := env.App.ListTokens(env.AdminCtx())
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens: %v %v", tokens, err)
	}
	mustStatus(t, b.post("/profile/tokens/"+itoa(tokens[0].ID)+"/revoke", nil), http.StatusSeeOther)
	mustContain(t, b.get("/profile/tokens"), "Токен отозван.", "Отозван ")
}
