// Package e2e drives the real Ladder UI in Debian's Chromium: the server runs in-process
// (internal/testenv) and chromedp clicks through it as a person would.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ladder-crm/ladder/internal/testenv"
)

// chromiumPath finds the browser. Without one the suite skips on a developer's machine and
// fails on CI, where .ci/run installs it: a browser suite that silently ran nothing would
// pass while testing nothing.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium binary found; CI must run the browser suite (apt-get install -y chromium)")
	}
	t.Skip("no chromium binary found; install it with apt-get install -y chromium")
	return ""
}

// session is one browser tab on a running Ladder, with a screenshot on every failed step.
type session struct {
	t   *testing.T
	ctx context.Context
	env *testenv.Env
}

func newSession(t *testing.T, env *testenv.Env, acceptLang string) *session {
	t.Helper()
	exe := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("accept-lang", acceptLang),
		chromedp.Flag("lang", strings.Split(acceptLang, ",")[0]),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout (it would stop the browser).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &session{t: t, ctx: ctx, env: env}
}

// do runs one named step; on failure it saves a screenshot under e2e/screenshots/.
func (s *session) do(name string, steps ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		s.fail(name, err)
	}
}

// expect waits until the element's text contains want (pages arrive asynchronously).
func (s *session) expect(name, sel, want string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
		txt, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		cancel()
		got = txt
		if err == nil && strings.Contains(txt, want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.fail(name, fmt.Errorf("%s: text %q does not contain %q", sel, got, want))
}

// expectLocation waits until the page address contains want.
func (s *session) expectLocation(name, want string) {
	s.t.Helper()
	var loc string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
		l, err := chromedp.Run(ctx, chromedp.Location())
		cancel()
		if loc = l; err == nil && strings.Contains(l, want) {
			return
		}
	}
	s.fail(name, fmt.Errorf("address %q does not contain %q", loc, want))
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

// screenshot saves the whole page as PNG; viewportOnly keeps just what a person sees first
// (documentation pictures).
func (s *session) screenshot(path string, viewportOnly ...bool) error {
	ctx, cancel := context.WithTimeout(s.ctx, 20*time.Second)
	defer cancel()
	shot := chromedp.FullScreenshot(100)
	if len(viewportOnly) > 0 && viewportOnly[0] {
		shot = chromedp.CaptureScreenshot()
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

func (s *session) fail(step string, err error) {
	s.t.Helper()
	name := unsafeName.ReplaceAllString(s.t.Name()+"-"+step, "_")
	path := filepath.Join("screenshots", name+".png")
	if serr := s.screenshot(path); serr != nil {
		s.t.Logf("screenshot of the failed step: %v", serr)
	} else {
		s.t.Logf("screenshot of the failed step: e2e/%s", path)
	}
	loc, _ := chromedp.Run(s.ctx, chromedp.Location())
	s.t.Fatalf("step %q failed at %s: %v", step, loc, err)
}

// js runs a script in the page as a step.
func js(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool]("("+expr+", true)")(ctx, t)
		return err
	})
}

func (s *session) open(step, path, waitFor string) {
	s.t.Helper()
	s.do(step, chromedp.Navigate(s.env.URL+path), chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

func (s *session) logIn(login, password string) {
	s.t.Helper()
	s.open("login page", "/login", "#login-form")
	s.do("log in",
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#user-menu")),
	)
}

// The acceptance scenario of the foundation: log in as admin, switch RU↔EN and see the UI
// change, create a directorate and a user, find both in the audit log, log out; a wrong
// password shows the uniform error.
func TestAdminScenario(t *testing.T) {
	chromiumPath(t)
	env := testenv.Start(t, testenv.Options{})
	s := newSession(t, env, "ru-RU,ru")

	s.open("login page", "/login", "#login-form")
	s.expect("login page in Russian", "h1", "Вход в Ladder")
	s.do("wrong password",
		chromedp.SendKeys(chromedp.CSS("#login"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), "not-the-password"),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#login-error")),
	)
	s.expect("uniform error", "#login-error", "Неверный логин или пароль")

	s.logIn("admin", env.AdminPassword)
	s.expect("home in Russian", "#navbar-menu", "Проекты")

	s.do("switch to English", chromedp.Click(chromedp.CSS("#lang-en")), chromedp.WaitVisible(chromedp.CSS(`#lang-en[aria-pressed="true"]`)))
	s.expect("home in English", "#navbar-menu", "Projects")
	s.expect("greeting in English", "h1", "Hello")
	s.do("switch back to Russian", chromedp.Click(chromedp.CSS("#lang-ru")), chromedp.WaitVisible(chromedp.CSS(`#lang-ru[aria-pressed="true"]`)))
	s.expect("home in Russian again", "#navbar-menu", "Проекты")

	s.open("new directorate form", "/admin/directorates/new", "#f-name")
	s.do("create directorate",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Дирекция по работе с госсектором"),
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#card-title")),
	)
	s.expect("directorate card", "#card-title", "Дирекция по работе с госсектором")
	s.expect("created toast", "#toasts", "Запись создана")

	// The list filters as one types (htmx swaps the table and pushes the address).
	s.open("directorates", "/admin/directorates", "#list-table")
	s.do("search directorates", chromedp.SendKeys(chromedp.CSS("#f-q"), "госсектор"))
	s.expect("live search", "#list-total", "Найдена 1 запись")
	s.expect("search result row", "#list-table", "Дирекция по работе с госсектором")
	s.expectLocation("search address pushed", "q=")

	s.open("new user form", "/admin/users/new", "#f-full-name")
	s.do("fill user",
		chromedp.SendKeys(chromedp.CSS("#f-full-name"), "Пётр Сидоров"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "sidorov@example.ru"),
		chromedp.SendKeys(chromedp.CSS("#f-login"), "sidorov"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "sidorov-password-1"),
		chromedp.WaitVisible(chromedp.CSS("#directorate-add")),
		// Pick the directorate the way a select does: set the value and fire "change" for Alpine.
		js(`(() => { const s = document.getElementById("directorate-add"); s.value = "1"; s.dispatchEvent(new Event("change", {bubbles: true})) })()`),
	)
	s.do("add directorate", chromedp.Click(chromedp.CSS("#directorate-add-btn")), chromedp.WaitVisible(chromedp.CSS("#directorate-order li")))
	s.do("save user", chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#card-title")))
	s.expect("user card", "#card-title", "Пётр Сидоров")
	s.expect("user's directorate", "#card-body", "Дирекция по работе с госсектором")

	s.open("audit log", "/admin/audit", "#list-table")
	s.expect("audit: directorate created", "#list-table", "Дирекция продаж #1")
	s.expect("audit: user created", "#list-table", "Пётр Сидоров")
	s.expect("audit: action", "#list-table", "Создание")

	s.do("log out",
		chromedp.Click(chromedp.CSS("#user-menu")),
		chromedp.WaitVisible(chromedp.CSS("#logout")),
		chromedp.Click(chromedp.CSS("#logout")),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
	)
	s.open("projects after logout", "/projects", "#login-form")
}

// TestDocScreenshots refreshes docs/screenshots/ from a demo database. It runs only when
// LADDER_DOC_SCREENSHOTS names the output folder: screenshots are documentation, not a check.
func TestDocScreenshots(t *testing.T) {
	out := os.Getenv("LADDER_DOC_SCREENSHOTS")
	if out == "" {
		t.Skip("set LADDER_DOC_SCREENSHOTS=docs/screenshots to refresh the documentation screenshots")
	}
	env := testenv.Start(t, testenv.Options{Demo: true, DemoUsers: demoUsers()})
	fillDemo(t, env)
	s := newSession(t, env, "ru-RU,ru")
	s.open("login page", "/login", "#login-form")
	if err := s.screenshot(filepath.Join(out, "login.png"), true); err != nil {
		t.Fatal(err)
	}
	s.logIn("admin", env.AdminPassword)
	for _, shot := range []struct{ file, path, waitFor string }{
		{"projects.png", "/projects", "#list-table"},
		{"companies.png", "/companies", "#list-table"},
		{"company.png", "/companies/1", "#card-title"},
		{"deals-board.png", "/deals/board", "#kanban"},
		{"tasks.png", "/tasks", "main"},
	} {
		s.open(shot.file, shot.path, shot.waitFor)
		if err := s.screenshot(filepath.Join(out, shot.file), true); err != nil {
			t.Fatal(err)
		}
	}
}
