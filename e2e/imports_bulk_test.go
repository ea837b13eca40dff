package e2e

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/jobs"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// Group actions in a real browser under the real CSP: checking rows shows the toolbar with
// the count, the confirm dialog names how many records change, the answer's counts come as
// a toast and the list redraws with the new values.
func TestListGroupAction(t *testing.T) {
	chromiumPath(t)
	env := testenv.Start(t, testenv.Options{})
	var ids []int64
	for _, name := range []string{"ООО Альфа", "ООО Бета", "ООО Гамма"} {
		c, err := env.App.CreateCompany(env.AdminCtx(), app.CompanyInput{Name: name, Kind: crm.KindLegal, Type: "client"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	s := newSession(t, env, "ru-RU,ru")
	s.logIn("admin", env.AdminPassword)
	s.open("companies", "/companies", "#list-table")
	s.do("check two rows",
		chromedp.Click(chromedp.CSS(`tr[data-id="`+itoa(ids[0])+`"] input.bulk-row`)),
		chromedp.Click(chromedp.CSS(`tr[data-id="`+itoa(ids[1])+`"] input.bulk-row`)),
		chromedp.WaitVisible(chromedp.CSS("#bulk-form")),
	)
	s.expect("count", "#bulk-count", "Выбрано: 2")
	s.do("choose set type", selectByValue("#bulk-action", "set_type"), chromedp.WaitVisible(chromedp.CSS("#bulk-type")))
	s.do("choose partner and run", selectByValue("#bulk-type", "partner"), chromedp.Click(chromedp.CSS("#bulk-run")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-ok")))
	s.expect("confirm names the count", "#confirm-text", "Будет изменено записей: 2. Продолжить?")
	s.do("confirm", chromedp.Click(chromedp.CSS("#confirm-ok")))
	s.expect("toast with the counts", "#toasts", "Выполнено: 2, пропущено: 0")
	s.expect("the list redrew", "#list-table", "Партнёр")
	for i, id := range ids {
		c, err := env.App.Company(env.AdminCtx(), id)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]string{true: "partner", false: "client"}[i < 2]; c.Type != want {
			t.Fatalf("company %d: type %q, want %q", i, c.Type, want)
		}
	}

	// "All N matching": more rows than a page; the header box checks the page, the link
	// takes the whole filter.
	for i := range 52 {
		if _, err := env.App.CreateCompany(env.AdminCtx(), app.CompanyInput{Name: "ООО Ряд " + itoa(int64(100+i)), Kind: crm.KindLegal, Type: "client"}); err != nil {
			t.Fatal(err)
		}
	}
	s.open("companies again", "/companies", "#list-table")
	s.do("check the page", chromedp.Click(chromedp.CSS("#bulk-page")), chromedp.WaitVisible(chromedp.CSS("#bulk-all")))
	s.expect("page count", "#bulk-count", "Выбрано: 50")
	s.do("select all matching", chromedp.Click(chromedp.CSS("#bulk-all")), chromedp.WaitVisible(chromedp.CSS("#bulk-all-note")))
	s.expect("all count", "#bulk-count", "Выбрано: 55")
	s.do("add a tag to all", selectByValue("#bulk-action", "add_tag"), chromedp.WaitVisible(chromedp.CSS("#bulk-tag")),
		chromedp.SendKeys(chromedp.CSS("#bulk-tag"), "выставка"), chromedp.Click(chromedp.CSS("#bulk-run")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-ok")))
	s.expect("confirm names all", "#confirm-text", "Будет изменено записей: 55. Продолжить?")
	s.do("confirm all", chromedp.Click(chromedp.CSS("#confirm-ok")))
	s.expect("toast for all", "#toasts", "Выполнено: 55, пропущено: 0")
	p, err := env.App.ListCompanies(env.AdminCtx(), crm.CompanyFilter{Tag: "выставка", Page: crm.PageRequest{Limit: 1}})
	if err != nil || p.Total != 55 {
		t.Fatalf("tagged %d (%v), want 55", p.Total, err)
	}
}

func itoa(n int64) string {
	const digits = "0123456789"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{digits[n%10]}, b...)
	}
	return string(b)
}

// The import wizard in a browser with the background worker running: upload, the guessed
// columns, the preview, start, and the job page polling itself until the worker is done.
func TestImportWizardInBrowser(t *testing.T) {
	chromiumPath(t)
	env := testenv.Start(t, testenv.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	wait := jobs.Start(ctx, env.App, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { cancel(); wait() })
	if _, err := env.App.CreateCompany(env.AdminCtx(), app.CompanyInput{Name: "ООО Старая", Kind: crm.KindLegal, INN: "7707083893"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "Компании.csv")
	content := "Наименование;ИНН;Регион\r\nООО Новая;;Тула\r\nООО Старая;7707083893;Москва\r\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, env, "ru-RU,ru")
	s.logIn("admin", env.AdminPassword)
	s.open("import", "/import", "#f-file")
	s.do("upload", selectByValue("#f-entity", crm.EntityCompany), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{path}),
		chromedp.Click(chromedp.CSS("#import-next")), chromedp.WaitVisible(chromedp.CSS("#mapping-table")))
	s.expect("rows counted", "#rows-total", "Строк в файле: 2")
	s.do("preview", chromedp.Click(chromedp.CSS("#import-preview")), chromedp.WaitVisible(chromedp.CSS("#preview-table")))
	s.expect("duplicate found", "#preview-table", "тот же ИНН")
	s.do("start", chromedp.Click(chromedp.CSS("#import-start")), chromedp.WaitVisible(chromedp.CSS("#import-job")))
	s.expect("finished by polling", "#import-status", "Завершён")
	s.expect("counts", "#count-created", "1")
	s.expect("duplicate listed", "#import-duplicates", "Контрагент #")
}
