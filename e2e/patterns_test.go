package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// The shared patterns work in a real browser under the real CSP: the column chooser redraws
// the table over htmx, the ordered directorate picker (Alpine) posts the order chosen with
// its buttons, and a delete asks in a dialog first.
func TestListAndFormPatterns(t *testing.T) {
	chromiumPath(t)
	env := testenv.Start(t, testenv.Options{})
	d1 := env.CreateDirectorate(t, "Дирекция А")
	d2 := env.CreateDirectorate(t, "Дирекция Б")
	u, _ := env.CreateUser(t, "orlov", crm.Roles{crm.RoleSales}, d1.ID, d2.ID)
	s := newSession(t, env, "ru-RU,ru")
	s.logIn("admin", env.AdminPassword)

	s.open("users", "/admin/users", "#list-table")
	s.do("open the column chooser", chromedp.Click(chromedp.CSS("#columns-menu")), chromedp.WaitVisible(chromedp.CSS("#columns-save")))
	s.do("show the language column",
		chromedp.Click(chromedp.CSS(`.columns-menu input[value="locale"]`)),
		chromedp.Click(chromedp.CSS("#columns-save")),
		chromedp.WaitVisible(chromedp.CSS(`th[data-col="locale"]`)),
	)
	s.expect("toast after the htmx save", "#toasts", "Набор столбцов сохранён.")
	if cols, err := env.App.ListColumns(env.Ctx(env.Admin), "users"); err != nil || len(cols) == 0 {
		t.Fatalf("columns not stored: %v %v", cols, err)
	}

	s.open("user form", fmt.Sprintf("/admin/users/%d/edit", u.ID), "#directorate-order li")
	s.do("move the second directorate up",
		chromedp.Click(chromedp.CSS("#directorate-order li:nth-of-type(2) button:nth-of-type(1)")),
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#card-title")),
	)
	got, err := env.App.User(env.Ctx(env.Admin), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got.Directorates) != fmt.Sprint([]int64{d2.ID, d1.ID}) {
		t.Fatalf("directorates after reordering: %v", got.Directorates)
	}

	s.open("directorate card", fmt.Sprintf("/admin/directorates/%d", d1.ID), "#delete")
	s.do("delete asks first", chromedp.Click(chromedp.CSS("#delete")), chromedp.WaitVisible(chromedp.CSS("#confirm-ok")))
	s.expect("confirm text", "#confirm-text", "Удалить дирекцию «Дирекция А»?")
	if d, _ := env.App.Directorate(env.Ctx(env.Admin), d1.ID); d.Deleted() {
		t.Fatal("deleted before confirming")
	}
	s.do("confirm", chromedp.Click(chromedp.CSS("#confirm-ok")), chromedp.WaitVisible(chromedp.CSS("#list-table")))
	s.expect("deleted toast", "#toasts", "Запись удалена.")
	if d, _ := env.App.Directorate(env.Ctx(env.Admin), d1.ID); !d.Deleted() {
		t.Fatal("not deleted after confirming")
	}
}
