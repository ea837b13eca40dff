// Package ui is the server-rendered web interface (html/template + htmx + Alpine + Tabler).
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
	app  *app.App
	sm   *scs.SessionManager
	opts Options
}

// New makes the UI.
func New(a *app.App, sm *scs.SessionManager, opts Options) *UI { return &UI{app: a, sm: sm, opts: opts} }

// Register adds the UI routes to mux.
func (u *UI) Register(mux *http.ServeMux) {}
