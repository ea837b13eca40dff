package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ladder-crm/ladder/internal/app"
)

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ladder_http_requests_total", Help: "HTTP requests by area, method and status class.",
		}, []string{"area", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ladder_http_request_duration_seconds", Help: "HTTP request latency by area.",
			Buckets: prometheus.DefBuckets,
		}, []string{"area"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush keeps server-sent events working through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and counts it. Labels are coarse (area, not path) so that the
// number of series stays bounded whatever the URLs.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		// authenticate runs further in; it records the user here for the log line.
		info := &requestInfo{}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		defer func() {
			if p := recover(); p != nil {
				s.opts.Log.Error("panic", "err", p, "path", r.URL.Path)
				if sw.status == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			area := areaOf(r.URL.Path)
			s.metrics.requests.WithLabelValues(area, r.Method, strconv.Itoa(sw.status/100)+"xx").Inc()
			s.metrics.duration.WithLabelValues(area).Observe(time.Since(start).Seconds())
			if area == "static" || area == "ops" {
				return
			}
			level := slog.LevelInfo
			if sw.status >= 500 {
				level = slog.LevelError
			}
			s.opts.Log.Log(r.Context(), level, "http", "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "ms", time.Since(start).Milliseconds(),
				"request_id", w.Header().Get("X-Request-Id"), "user", info.user)
		}()
		next.ServeHTTP(sw, r)
	})
}

func areaOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/"):
		return "api"
	case strings.HasPrefix(path, "/static/"):
		return "static"
	case path == "/healthz" || path == "/readyz" || path == "/metrics":
		return "ops"
	}
	return "ui"
}

type requestInfoKey struct{}

// requestInfo carries what inner middleware learns back out to the access log.
type requestInfo struct{ user string }

func noteUser(ctx context.Context, act *app.Actor) {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok && act != nil && act.User != nil {
		info.user = act.User.Login
	}
}
