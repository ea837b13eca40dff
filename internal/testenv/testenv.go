// Package testenv starts the whole of Ladder in-process for tests: a fresh migrated database,
// the app, and the real HTTP wiring on an httptest server.
package testenv

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
	"github.com/ladder-crm/ladder/internal/store/storetest"
	"github.com/ladder-crm/ladder/internal/web"
	"github.com/ladder-crm/ladder/internal/web/ui"
)

// Options configure an environment.
type Options struct {
	// DBURL picks the database; empty = a fresh SQLite file. Use storetest.NewPostgresURL(t)
	// for PostgreSQL.
	DBURL     string
	Demo      bool
	DemoUsers []ui.DemoUser
	// Verbose sends server logs to the test output (default: discarded).
	Verbose bool
}

// Env is a running Ladder.
type Env struct {
	URL           string
	Server        *httptest.Server
	Web           *web.Server
	App           *app.App
	DB            *store.DB
	Admin         *crm.User
	AdminPassword string
}

// AdminPasswordDefault is the password of the first admin in every test environment.
const AdminPasswordDefault = "admin-password-1"

// Start starts Ladder for one test; everything is closed when the test ends.
func Start(t testing.TB, opts Options) *Env {
	t.Helper()
	app.SetPasswordCostForTests()
	url := opts.DBURL
	if url == "" {
		url = storetest.NewSQLiteURL(t)
	}
	db := storetest.Open(t, url)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if opts.Verbose {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	a := app.New(db, log)
	first, err := a.EnsureAdmin(context.Background(), "", AdminPasswordDefault)
	if err != nil {
		t.Fatalf("first admin: %v", err)
	}
	w := web.NewServer(a, db.Sessions(), web.Options{Log: log, Demo: opts.Demo, DemoUsers: opts.DemoUsers, Version: "test"})
	srv := httptest.NewServer(w.Handler)
	t.Cleanup(srv.Close)
	return &Env{URL: srv.URL, Server: srv, Web: w, App: a, DB: db, Admin: first.User, AdminPassword: AdminPasswordDefault}
}

// AdminCtx is a context acting as the first admin.
func (e *Env) AdminCtx() context.Context { return e.Ctx(e.Admin) }

// Ctx is a context acting as u.
func (e *Env) Ctx(u *crm.User) context.Context {
	return app.WithActor(context.Background(), &app.Actor{User: u})
}

var counter atomic.Int64

// CreateDirectorate makes a directorate as the admin.
func (e *Env) CreateDirectorate(t testing.TB, name string) *crm.Directorate {
	t.Helper()
	d, err := e.App.CreateDirectorate(e.AdminCtx(), app.DirectorateInput{Name: name, Active: true})
	if err != nil {
		t.Fatalf("create directorate %q: %v", name, err)
	}
	return d
}

// CreateUser makes an active user with roles and directorates (first = default) and returns
// it with its password. login may be empty for a generated one.
func (e *Env) CreateUser(t testing.TB, login string, roles crm.Roles, dirs ...int64) (*crm.User, string) {
	t.Helper()
	if login == "" {
		login = "user" + itoa(counter.Add(1))
	}
	pw := "password-" + login
	u, err := e.App.CreateUser(e.AdminCtx(), app.UserInput{Login: login, Email: login + "@example.ru",
		FullName: "Test " + login, Password: pw, Roles: roles, Directorates: dirs, Active: true})
	if err != nil {
		t.Fatalf("create user %q: %v", login, err)
	}
	return u, pw
}

// Token makes an API token for u and returns its secret.
func (e *Env) Token(t testing.TB, u *crm.User, readOnly bool) string {
	t.Helper()
	secret, _, err := e.App.CreateToken(e.Ctx(u), u.ID, "test", readOnly)
	if err != nil {
		t.Fatalf("token for %s: %v", u.Login, err)
	}
	return secret
}

// Browser is an http.Client with a cookie jar that does not follow redirects, for UI tests.
func (e *Env) Browser(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// LogIn logs client in through the login form and fails the test if that does not work.
func (e *Env) LogIn(t testing.TB, c *http.Client, login, password string) {
	t.Helper()
	form := "login=" + login + "&password=" + password
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/login", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.URL)
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		t.Fatalf("login as %s: status %d", login, res.StatusCode)
	}
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
