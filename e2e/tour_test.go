package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ladder-crm/ladder/internal/testenv"
)

// TestScreenTour walks every screen of a demo database and saves a picture of each into
// LADDER_TOUR_SCREENSHOTS: a quick way to look at the whole UI after a change of the look.
func TestScreenTour(t *testing.T) {
	out := os.Getenv("LADDER_TOUR_SCREENSHOTS")
	if out == "" {
		t.Skip("set LADDER_TOUR_SCREENSHOTS=DIR to take pictures of every screen")
	}
	env := testenv.Start(t, testenv.Options{Demo: true, DemoUsers: demoUsers()})
	fillDemo(t, env)
	s := newSession(t, env, "ru-RU,ru")
	shot := func(name string) {
		t.Helper()
		if err := s.screenshot(filepath.Join(out, name+".png"), true); err != nil {
			t.Fatal(err)
		}
	}
	s.logIn("admin", env.AdminPassword)
	shot("home")
	s.open("project card", "/projects/1", "#card-title")
	shot("project-card")
	s.do("history tab", chromedp.Click(chromedp.CSS("#tab-history")), chromedp.WaitVisible(chromedp.CSS("#timeline")))
	shot("project-history")
	s.open("project edit", "/projects/1/edit", "#f-name")
	shot("project-form")
	s.do("clear name and save", js(`document.getElementById("f-name").value = ""`), chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#f-name-error")))
	shot("project-form-errors")
	s.open("project card again", "/projects/1", "#delete")
	s.do("delete asks first", chromedp.Click(chromedp.CSS("#delete")), chromedp.WaitVisible(chromedp.CSS("#confirm-ok")))
	shot("confirm")
	s.open("projects", "/projects", "#list-table")
	s.do("columns menu", chromedp.Click(chromedp.CSS("#columns-menu")), chromedp.WaitVisible(chromedp.CSS("#columns-save")))
	shot("columns")
	s.do("search", chromedp.SendKeys(chromedp.CSS("#f-q"), "выставка"))
	s.expect("search result", "#list-total", "Найдено 4 записи")
	shot("search")
	s.open("users", "/admin/users", "#list-table")
	shot("users")
	s.open("user form", "/admin/users/3/edit", "#directorate-order")
	shot("user-form")
	s.open("products", "/admin/products", "#list-table")
	shot("products")
	s.open("audit", "/admin/audit", "#list-table")
	shot("audit")
	s.open("tokens", "/profile/tokens", "#token-create")
	s.do("new token", chromedp.SendKeys(chromedp.CSS("#f-name"), "CI"), chromedp.Click(chromedp.CSS("#token-create")), chromedp.WaitVisible(chromedp.CSS("#token-secret")))
	shot("tokens")
	s.do("english", chromedp.Click(chromedp.CSS("#lang-en")), chromedp.WaitVisible(chromedp.CSS(`#lang-en[aria-pressed="true"]`)))
	s.open("profile", "/profile", "#f-full-name")
	shot("profile-en")
	s.do("mobile", chromedp.EmulateViewport(390, 800))
	s.open("projects on a phone", "/projects", "#list-table")
	shot("projects-mobile")
}
