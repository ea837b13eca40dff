package ui_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/testenv"
)

// browser is a logged-in (or anonymous) client of the UI, as a person's browser would be:
// cookies kept, redirects not followed so that tests can check where they lead.
type browser struct {
	t    *testing.T
	env  *testenv.Env
	c    *http.Client
	lang string
}

func newBrowser(t *testing.T, env *testenv.Env) *browser {
	return &browser{t: t, env: env, c: env.Browser(t), lang: "ru-RU,ru;q=0.9"}
}

func loggedIn(t *testing.T, env *testenv.Env, login, password string) *browser {
	b := newBrowser(t, env)
	env.LogIn(t, b.c, login, password)
	return b
}

type page struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{Status: res.StatusCode, Body: string(body), Location: res.Header.Get("Location"), Header: res.Header}
}

func (b *browser) get(path string, headers ...string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.env.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

// post submits a form the way a browser on the same site does (Origin set).
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.env.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.env.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func mustStatus(t *testing.T, p page, want int) {
	t.Helper()
	if p.Status != want {
		t.Fatalf("status %d, want %d; location %q; body:\n%s", p.Status, want, p.Location, excerpt(p.Body))
	}
}

func mustContain(t *testing.T, p page, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.Body, s) {
			t.Fatalf("page does not contain %q:\n%s", s, excerpt(p.Body))
		}
	}
}

func mustNotContain(t *testing.T, p page, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if strings.Contains(p.Body, s) {
			t.Fatalf("page contains %q:\n%s", s, excerpt(p.Body))
		}
	}
}

var tagRE = regexp.MustCompile(`(?s)<script.*?</script>|<[^>]+>`)
var spaceRE = regexp.MustCompile(`\s+`)

// excerpt is the visible text of a page, short enough for a failure message.
func excerpt(body string) string {
	s := spaceRE.ReplaceAllString(tagRE.ReplaceAllString(body, " "), " ")
	if len(s) > 3000 {
		s = s[:3000] + "…"
	}
	return s
}

// form builds url.Values from name/value pairs.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
