// Package web assembles Ladder's HTTP server: middleware, the UI, the API and the operational
// endpoints. The UI and the API are thin skins over internal/app.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/web/api"
	"github.com/ladder-crm/ladder/internal/web/static"
	"github.com/ladder-crm/ladder/internal/web/ui"
	"github.com/ladder-crm/ladder/internal/web/websession"
)

// Options configure the server.
type Options struct {
	Log           *slog.Logger
	SecureCookies bool          // Secure flag on cookies: on unless serving plain http on loopback
	Demo          bool          // show demo accounts on the login page
	DemoUsers     []ui.DemoUser // the accounts to show
	Version       string
	TrustProxy    bool // take the client IP from X-Forwarded-For
}

// Server is Ladder's http.Handler with the pieces tests reach into.
type Server struct {
	Handler  http.Handler
	Sessions *scs.SessionManager
	app      *app.App
	opts     Options
	metrics  *metrics
}

// NewServer wires everything. sessions is the store's scs.CtxStore.
func NewServer(a *app.App, sessions scs.CtxStore, opts Options) *Server {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	s := &Server{app: a, opts: opts, Sessions: websession.NewManager(sessions, opts.SecureCookies)}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.metrics = newMetrics(reg)

	// The application: the API and the UI, behind CSRF protection, sessions and authentication.
	appMux := http.NewServeMux()
	appMux.Handle("/api/", api.New(a, api.Options{Version: opts.Version, Log: opts.Log}))
	ui.New(a, s.Sessions, ui.Options{Demo: opts.Demo, DemoUsers: opts.DemoUsers, Version: opts.Version, Log: opts.Log}).Register(appMux)
	var protected http.Handler = appMux
	protected = s.authenticate(protected)
	protected = s.Sessions.LoadAndSave(protected)
	protected = csrf(protected)

	// Operational endpoints and static files carry no session: no database work per asset, and
	// no session cookie on a response that a shared cache may keep.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	staticFS, _ := fs.Sub(static.FS, ".")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(staticFS))))
	mux.Handle("/", protected)

	var h http.Handler = mux
	h = securityHeaders(h)
	h = s.observe(h)
	h = s.requestMeta(h)
	s.Handler = h
	return s
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.app.Ready(ctx); err != nil {
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// authenticate puts the actor into the request context: from a bearer token when the request
// carries one, else from the session. Anonymous requests go on without one; the UI and the
// API decide what an anonymous caller may see.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		// Bearer tokens are for the API; a browser page is reached through its session only.
		if h := r.Header.Get("Authorization"); h != "" && strings.HasPrefix(r.URL.Path, "/api/") {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				secret = "" // an Authorization header of another kind is a failed login, not anonymous
			}
			act, err := s.app.AuthenticateToken(ctx, strings.TrimSpace(secret))
			if err != nil {
				api.WriteUnauthorized(w, r)
				return
			}
			noteUser(ctx, act)
			next.ServeHTTP(w, r.WithContext(app.WithActor(ctx, act)))
			return
		}
		if uid, epoch, ok := websession.User(ctx, s.Sessions); ok {
			act, err := s.app.UserFromSession(ctx, uid, epoch)
			if err == nil {
				noteUser(ctx, act)
				ctx = app.WithActor(ctx, act)
			} else {
				_ = websession.LogOut(ctx, s.Sessions)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requestMeta gives each request an id (kept from X-Request-Id when sane) and records the
// client IP for the audit log.
func (s *Server) requestMeta(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if len(id) == 0 || len(id) > 64 || strings.ContainsAny(id, " \r\n\t") {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		ctx := app.WithRequestMeta(r.Context(), app.RequestMeta{IP: clientIP(r, s.opts.TrustProxy), RequestID: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientIP is the peer's address, or behind a trusted reverse proxy the last X-Forwarded-For
// hop: the proxy appends the address it saw, while everything left of it is the client's to
// invent.
func clientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			hops := strings.Split(f, ",")
			if ip := strings.TrimSpace(hops[len(hops)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// csrf refuses cross-origin state-changing browser requests (Go's CrossOriginProtection reads
// Sec-Fetch-Site and Origin). Requests without those headers (API clients, curl) pass; they
// carry a bearer token, not a cookie, so they cannot be forged by a third-party page.
func csrf(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			api.WriteProblem(w, r, http.StatusForbidden, "err.csrf")
			return
		}
		http.Error(w, "Forbidden: cross-origin request refused", http.StatusForbidden)
	}))
	return p.Handler(next)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/api/docs") {
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-eval'; frame-ancestors 'none'; form-action 'self'")
		}
		next.ServeHTTP(w, r)
	})
}

func cacheForever(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}
