// Package bench holds Ladder's performance benchmarks. They never run as timed tests: run them
// with `go test -bench . -run '^$' ./bench/` (never under -race) or `ladder bench`, and write
// the figures into docs/performance.md with the machine they were taken on.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/demo"
	"github.com/ladder-crm/ladder/internal/store"
	"github.com/ladder-crm/ladder/internal/web"
)

// Config says what the sales-core suite measures on.
type Config struct {
	// DBURL is the database: postgres://… or sqlite:PATH. It is filled with the large demo at
	// Size when it holds no data yet, and reused as it is when it does (the fill takes minutes).
	DBURL string
	// Marker is a file whose presence says DBURL was filled completely; empty = DBURL's path +
	// ".ok" for SQLite. A fill cut short leaves no marker, and the suite refuses to measure a
	// half-filled database.
	Marker string
	Size   demo.LargeSize
	// Rounds is how many times each request is repeated for its percentiles.
	Rounds int
	// RateFor is how long the request-rate measurement runs.
	RateFor time.Duration
	// Out receives progress lines; nil = none.
	Out io.Writer
}

// Result is one measured figure.
type Result struct {
	Name          string
	N             int
	P50, P95, Max time.Duration
	Rate          float64 // requests per second, for rate measurements
	Target        string  // what the issue asks for
	Met           bool
}

func (r Result) String() string {
	mark := "met"
	if !r.Met {
		mark = "MISSED"
	}
	if r.Rate > 0 {
		return fmt.Sprintf("%-58s %8.0f req/s                          target %-10s %s", r.Name, r.Rate, r.Target, mark)
	}
	return fmt.Sprintf("%-58s p50 %7s  p95 %7s  max %7s  (n=%d)  target %-10s %s", r.Name, ms(r.P50), ms(r.P95), ms(r.Max), r.N, r.Target, mark)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

// SizeFor scales the proportions (a company per five contacts, three deals per ten)
// to a number of contacts.
func SizeFor(contacts int) demo.LargeSize {
	return demo.LargeSize{Companies: max(1, contacts/5), Contacts: contacts, Deals: contacts * 3 / 10}
}

// PostgresMarker names the marker file of a PostgreSQL database under dir: the database's
// name from the URL.
func PostgresMarker(dir, dbURL string) string {
	name := "postgres"
	if u, err := url.Parse(dbURL); err == nil && strings.Trim(u.Path, "/") != "" {
		name = "postgres-" + strings.Trim(u.Path, "/")
	}
	return filepath.Join(dir, name+".ok")
}

// Run fills the database if needed and measures the sales core: list pages, search, the
// kanban board, the API list rate.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if cfg.Rounds <= 0 {
		cfg.Rounds = 30
	}
	if cfg.RateFor <= 0 {
		cfg.RateFor = 5 * time.Second
	}
	out := cfg.Out
	if out == nil {
		out = io.Discard
	}
	h, err := open(ctx, cfg, out)
	if err != nil {
		return nil, err
	}
	defer h.close()
	fmt.Fprintf(out, "measuring on %s (%s)\n", h.db.Where, h.db.Dialect())
	var results []Result
	for _, m := range []func(context.Context, *harness, Config) ([]Result, error){measureLists, measureSearch, measureBoard, measureRate} {
		rs, err := m(ctx, h, cfg)
		if err != nil {
			return results, err
		}
		for _, r := range rs {
			fmt.Fprintln(out, r)
		}
		results = append(results, rs...)
	}
	return results, nil
}

// harness is a running Ladder over the benchmark database, with a logged-in browser and an
// API token of a demo manager.
type harness struct {
	db      *store.DB
	app     *app.App
	srv     *httptest.Server
	browser *http.Client
	api     *http.Client
	token   string
	user    *crm.User
	topicID int64
	dirID   int64
}

func (h *harness) close() {
	h.srv.Close()
	h.db.Close()
}

func open(ctx context.Context, cfg Config, out io.Writer) (*harness, error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, store.Config{URL: cfg.DBURL, Log: quiet})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a := app.New(db, quiet)
	marker := cfg.Marker
	if marker == "" && strings.HasPrefix(cfg.DBURL, "sqlite:") {
		marker = strings.TrimPrefix(cfg.DBURL, "sqlite:") + ".ok"
	}
	if err := fillOnce(ctx, a, db, cfg, marker, out); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := a.EnsureAdmin(ctx, "", "bench-admin-password"); err != nil {
		db.Close()
		return nil, err
	}
	w := web.NewServer(a, db.Sessions(), web.Options{Log: quiet, Version: "bench"})
	h := &harness{db: db, app: a, srv: httptest.NewServer(w.Handler)}
	if err := h.logIn(ctx, "manager"); err != nil {
		h.close()
		return nil, err
	}
	return h, nil
}

// fillOnce writes the large demo unless the marker says it is there; a database that has data
// but no marker was cut short and is refused rather than measured.
func fillOnce(ctx context.Context, a *app.App, db *store.DB, cfg Config, marker string, out io.Writer) error {
	if marker != "" {
		if _, err := os.Stat(marker); err == nil {
			return nil
		}
	}
	started := time.Now()
	last := time.Now()
	sum, err := demo.FillWith(ctx, a, "large", demo.Options{Large: &cfg.Size, Progress: func(done, total int) {
		if time.Since(last) > 10*time.Second || done == total {
			last = time.Now()
			fmt.Fprintf(out, "  filling: %d of %d companies with their contacts and deals (%s)\n", done, total, time.Since(started).Round(time.Second))
		}
	}})
	if err != nil {
		return err
	}
	if sum.Skipped {
		if marker == "" {
			return nil // a database named by hand: take it as it is
		}
		return fmt.Errorf("%s holds data but was not filled by the benchmark (no %s): use an empty database", db.Where, marker)
	}
	fmt.Fprintf(out, "filled %d companies, %d contacts, %d deals in %s\n", sum.Companies, sum.Contacts, sum.Deals, time.Since(started).Round(time.Second))
	if marker != "" {
		if err := os.MkdirAll(filepath.Dir(marker), 0o750); err != nil {
			return err
		}
		return os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o640)
	}
	return nil
}

func (h *harness) logIn(ctx context.Context, login string) error {
	jar, _ := cookiejar.New(nil)
	h.browser = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"login": {login}, "password": {demo.Password}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", h.srv.URL)
	res, err := h.browser.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		return fmt.Errorf("log in as %s: status %d", login, res.StatusCode)
	}
	u, err := h.app.Login(ctx, login, demo.Password)
	if err != nil {
		return err
	}
	h.user = u
	uctx := app.WithActor(ctx, &app.Actor{User: u})
	h.token, _, err = h.app.CreateToken(uctx, u.ID, "bench", true)
	if err != nil {
		return err
	}
	h.api = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	topics, err := h.app.ActiveTopics(uctx)
	if err != nil || len(topics) == 0 {
		return fmt.Errorf("topics: %v", err)
	}
	h.topicID = topics[0].ID
	if len(u.Directorates) > 0 {
		h.dirID = u.Directorates[0]
	}
	return nil
}

// get makes one request (API with the token when path starts /api/, else with the session)
// and returns its duration.
func (h *harness) get(ctx context.Context, path string) (time.Duration, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+path, nil)
	c := h.browser
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+h.token)
		c = h.api
	}
	t0 := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	d := time.Since(t0)
	if res.StatusCode != http.StatusOK {
		return d, fmt.Errorf("GET %s: status %d", path, res.StatusCode)
	}
	return d, nil
}

// percentiles measures paths round-robin, rounds times each, after one warm-up pass.
func (h *harness) percentiles(ctx context.Context, name, target string, limit time.Duration, rounds int, paths ...string) (Result, error) {
	for _, p := range paths {
		if _, err := h.get(ctx, p); err != nil {
			return Result{}, err
		}
	}
	var ds []time.Duration
	for i := 0; i < rounds; i++ {
		for _, p := range paths {
			d, err := h.get(ctx, p)
			if err != nil {
				return Result{}, err
			}
			ds = append(ds, d)
		}
	}
	slices.Sort(ds)
	r := Result{Name: name, N: len(ds), P50: ds[len(ds)/2], P95: ds[(len(ds)*95+99)/100-1], Max: ds[len(ds)-1], Target: target}
	r.Met = r.P95 < limit
	return r, nil
}

func measureLists(ctx context.Context, h *harness, cfg Config) ([]Result, error) {
	dir := fmt.Sprint(h.dirID)
	lists := []struct{ name, path string }{
		{"list: contacts of a type, by name", "/api/v1/contacts?type=client&sort=name&limit=50"},
		{"list: contacts of a directorate, newest first", "/api/v1/contacts?directorate_id=" + dir + "&sort=-created_at&limit=50"},
		{"list: decision makers, by name", "/api/v1/contacts?decision_maker=true&sort=name&limit=50"},
		{"list: companies of an industry, by name", "/api/v1/companies?industry=it&sort=name&limit=50"},
		{"list: companies of a region, newest first", "/api/v1/companies?region=" + url.QueryEscape("Москва") + "&sort=-created_at&limit=50"},
		{"list: open deals of a topic, largest first", fmt.Sprintf("/api/v1/deals?topic_id=%d&status=open&sort=-amount&limit=50", h.topicID)},
		{"list: contacts screen (HTML), a type, by name", "/contacts?type=client&sort=name"},
	}
	var out []Result
	var all []string
	for _, l := range lists {
		r, err := h.percentiles(ctx, l.name, "< 50 ms", 50*time.Millisecond, cfg.Rounds, l.path)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		all = append(all, l.path)
	}
	r, err := h.percentiles(ctx, "list pages, all of the above", "< 50 ms", 50*time.Millisecond, max(1, cfg.Rounds/3), all...)
	if err != nil {
		return out, err
	}
	return append(out, r), nil
}

// searchQueries are what people type: surnames lower-case, name and first name, prefixes,
// company names, phones in several spellings, e-mail beginnings, an INN, typos.
var searchQueries = []string{
	"иванов", "смирнова ольга", "кузнец", "петров иван", "соколова", "михайлов д",
	"вектор", "альфа софт", "гранит", "меридиан", "ооо урал",
	"+7 (916) 12", "8 495 1", "9031234", "79261",
	"a.ivanov", "info@vektor", "7701001", "5401",
	"иваонв", "кузнецва", "смирнвоа", "волкв сергей",
}

func measureSearch(ctx context.Context, h *harness, cfg Config) ([]Result, error) {
	paths := make([]string, len(searchQueries))
	for i, q := range searchQueries {
		paths[i] = "/api/v1/search?limit=10&q=" + url.QueryEscape(q)
	}
	r, err := h.percentiles(ctx, fmt.Sprintf("search, %d queries (names, phones, e-mails, INN, typos)", len(paths)), "< 100 ms", 100*time.Millisecond, max(3, cfg.Rounds/5), paths...)
	if err != nil {
		return nil, err
	}
	box, err := h.percentiles(ctx, "search box dropdown (HTML, 5 a group)", "< 100 ms", 100*time.Millisecond, max(3, cfg.Rounds/5),
		"/search/suggest?q="+url.QueryEscape("иванов"), "/search/suggest?q="+url.QueryEscape("кузнецва"), "/search/suggest?q="+url.QueryEscape("8 916"))
	if err != nil {
		return nil, err
	}
	return []Result{r, box}, nil
}

func measureBoard(ctx context.Context, h *harness, cfg Config) ([]Result, error) {
	r, err := h.percentiles(ctx, "kanban board of the topic (HTML)", "< 300 ms", 300*time.Millisecond, max(5, cfg.Rounds/2),
		fmt.Sprintf("/deals/board?topic=%d", h.topicID))
	if err != nil {
		return nil, err
	}
	return []Result{r}, nil
}

// measureRate runs GOMAXPROCS×4 clients on one list call for cfg.RateFor.
func measureRate(ctx context.Context, h *harness, cfg Config) ([]Result, error) {
	path := "/api/v1/contacts?limit=50&sort=name"
	if _, err := h.get(ctx, path); err != nil {
		return nil, err
	}
	var n atomic.Int64
	var firstErr error
	var once sync.Once
	deadline := time.Now().Add(cfg.RateFor)
	var wg sync.WaitGroup
	clients := 8
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := h.get(ctx, path); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				n.Add(1)
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	rate := float64(n.Load()) / time.Since(start).Seconds()
	return []Result{{Name: fmt.Sprintf("API list call rate (contacts by name, %d clients)", clients), N: int(n.Load()),
		Rate: rate, Target: "≥ 1000/s", Met: rate >= 1000}}, nil
}
