// Package ui is the server-rendered web interface (html/template + htmx + Alpine + Tabler).
//
// One handler file per screen; the shared patterns every screen copies live in list.go (lists
// with filters, sort, keyset pages, column chooser, saved filters, trash), card.go (tabs and the
// activity timeline), form.go (inline errors, optimistic locking) and render.go (layout, toasts,
// error pages). No business rule lives here: every call goes to internal/app.
package ui

import (
	"log/slog"
	"net/http"

	"github.com/alexedwards/scs/v2"

	"github.com/ladder-crm/ladder/internal/app"
)

// DemoUser is an account shown on the login page in demo mode.
type DemoUser struct {
	Login    string
	Password string
	Role     string
}

// Options configure the UI.
type Options struct {
	Demo      bool
	DemoUsers []DemoUser
	Version   string
	Log       *slog.Logger
}

// UI holds the handlers of every screen.
type UI struct {
	app    *app.App
	sm     *scs.SessionManager
	opts   Options
	log    *slog.Logger
	tmpl   *templates
	logins *loginLimiter
}

// New makes the UI. Templates are parsed here, once; a broken template is a programming error
// caught by the package's tests, so it panics rather than serving half a UI.
func New(a *app.App, sm *scs.SessionManager, opts Options) *UI {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	t, err := parseTemplates()
	if err != nil {
		panic(err)
	}
	return &UI{app: a, sm: sm, opts: opts, log: opts.Log, tmpl: t, logins: newLoginLimiter()}
}

// pageFunc registers a handler that needs a logged-in user.
type pageFunc func(pattern string, h http.HandlerFunc)

// Register adds the UI routes to mux.
func (u *UI) Register(mux *http.ServeMux) {
	// Anonymous pages.
	mux.HandleFunc("GET /login", u.loginPage)
	mux.HandleFunc("POST /login", u.loginSubmit)
	mux.HandleFunc("POST /logout", u.logout)
	mux.HandleFunc("POST /lang", u.switchLang)

	// Pages that need a logged-in user; the app decides what each may see.
	var page pageFunc = func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, u.authed(h)) }
	page("GET /{$}", u.home)

	page("GET /profile", u.profilePage)
	page("POST /profile", u.profileSubmit)
	page("GET /profile/password", u.passwordPage)
	page("POST /profile/password", u.passwordSubmit)
	page("GET /profile/tokens", u.tokensPage)
	page("POST /profile/tokens", u.tokenCreate)
	page("POST /profile/tokens/{id}/revoke", u.tokenRevoke)

	page("POST /lists/{list}/columns", u.saveColumns)
	page("POST /lists/{list}/views", u.saveView)
	page("POST /lists/{list}/views/{id}/delete", u.deleteView)

	page("GET /projects", u.projectList)
	page("GET /projects/new", u.projectNew)
	page("POST /projects/new", u.projectCreate)
	page("GET /projects/{id}", u.projectCard)
	page("GET /projects/{id}/edit", u.projectEdit)
	page("POST /projects/{id}/edit", u.projectUpdate)
	page("POST /projects/{id}/delete", u.projectDelete)
	page("POST /projects/{id}/restore", u.projectRestore)

	page("GET /admin/users", u.userList)
	page("GET /admin/users/new", u.userNew)
	page("POST /admin/users/new", u.userCreate)
	page("GET /admin/users/{id}", u.userCard)
	page("GET /admin/users/{id}/edit", u.userEdit)
	page("POST /admin/users/{id}/edit", u.userUpdate)
	page("POST /admin/users/{id}/password", u.userResetPassword)
	page("POST /admin/users/{id}/delete", u.userDelete)
	page("POST /admin/users/{id}/restore", u.userRestore)

	page("GET /admin/directorates", u.directorateList)
	page("GET /admin/directorates/new", u.directorateNew)
	page("POST /admin/directorates/new", u.directorateCreate)
	page("GET /admin/directorates/{id}", u.directorateCard)
	page("GET /admin/directorates/{id}/edit", u.directorateEdit)
	page("POST /admin/directorates/{id}/edit", u.directorateUpdate)
	page("POST /admin/directorates/{id}/delete", u.directorateDelete)
	page("POST /admin/directorates/{id}/restore", u.directorateRestore)

	page("GET /admin/products", u.productList)
	page("GET /admin/products/new", u.productNew)
	page("POST /admin/products/new", u.productCreate)
	page("GET /admin/products/{id}", u.productCard)
	page("GET /admin/products/{id}/edit", u.productEdit)
	page("POST /admin/products/{id}/edit", u.productUpdate)
	page("POST /admin/products/{id}/delete", u.productDelete)
	page("POST /admin/products/{id}/restore", u.productRestore)

	page("GET /admin/audit", u.auditList)

	// The sales core, one file (or a few) per screen; each slice registers its own routes.
	u.registerConfig(page)  // choice lists (Types), custom fields, sales topics and stages
	u.registerParties(page) // companies, contacts, consents, duplicates and merge
	u.registerDeals(page)   // deals, kanban, contracts
	u.registerWork(page)    // tasks and reminders, files, notes
	u.registerImport(page)  // import, export, group actions
	u.registerSearch(page)  // the global search box

	// Everything else is a 404 page in the user's language (the more specific /api/,
	// /static/ and operational routes of the server win over this one).
	mux.HandleFunc("/", u.notFound)
}
