package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/testenv"
)

func get(t *testing.T, url string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

func TestOperationalEndpointsAndHeaders(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	res, _ := get(t, env.URL+"/healthz", nil)
	if res.Header.Get("X-Request-Id") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
		res.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("headers: %v", res.Header)
	}
	res, _ = get(t, env.URL+"/healthz", map[string]string{"X-Request-Id": "abc-123"})
	if res.Header.Get("X-Request-Id") != "abc-123" {
		t.Fatal("request id not kept")
	}
	res, _ = get(t, env.URL+"/healthz", map[string]string{"X-Request-Id": "bad id\twith spaces"})
	if id := res.Header.Get("X-Request-Id"); id == "" || strings.ContainsAny(id, " \t") {
		t.Fatalf("unsafe request id echoed: %q", id)
	}
	_, body := get(t, env.URL+"/metrics", nil)
	if !strings.Contains(body, "ladder_http_requests_total") || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("metrics: %.300s", body)
	}
}

func TestBadBearerTokenIsUnauthorizedProblem(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	for _, auth := range []string{"Bearer ldr_nope", "Basic YWRtaW46eA==", "Bearer "} {
		res, body := get(t, env.URL+"/api/v1/projects", map[string]string{"Authorization": auth})
		if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Fatalf("%q: %d %s %s", auth, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/login", strings.NewReader("login=admin&password="+env.AdminPassword))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin login POST: %d", res.StatusCode)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	c := env.Browser(t)
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/login", strings.NewReader("login=admin&password="+env.AdminPassword))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name == "ladder_session" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
				t.Fatalf("session cookie flags: %+v", ck)
			}
		}
	}
	if !found {
		t.Fatalf("no session cookie after login (status %d)", res.StatusCode)
	}
}

// Static files and operational endpoints must not touch sessions: no Set-Cookie on a response a
// shared cache may keep.
func TestStaticAndOpsCarryNoSessionCookie(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	c := env.Browser(t)
	env.LogIn(t, c, "admin", env.AdminPassword)
	for _, path := range []string{"/static/css/app.css", "/healthz", "/readyz", "/metrics"} {
		res, err := c.Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: status %d, Set-Cookie %q", path, res.StatusCode, res.Header.Get("Set-Cookie"))
		}
	}
}
