package ui_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

var rowRE = regexp.MustCompile(`<tr data-id="(\d+)">`)
var nextRE = regexp.MustCompile(`id="next-page" rel="next" href="([^"]+)"`)

func rowCount(p page) int { return len(rowRE.FindAllString(p.Body, -1)) }

func unescape(s string) string { return strings.ReplaceAll(s, "&amp;", "&") }

func TestListSortPagesColumnsAndSavedFilters(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	ctx := env.AdminCtx()
	// 55 projects: one page of 50 and a second of 5. Every fifth is closed.
	for i := 1; i <= 55; i++ {
		st := crm.ProjectActive
		if i%5 == 0 {
			st = crm.ProjectClosed
		}
		if _, err := env.App.CreateProject(ctx, app.ProjectInput{Name: fmt.Sprintf("Проект %02d", i), Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	b := loggedIn(t, env, "admin", env.AdminPassword)

	first := b.get("/projects")
	mustStatus(t, first, http.StatusOK)
	mustContain(t, first, "Найдено 55 записей", "Проект 01")
	if n := rowCount(first); n != 50 {
		t.Fatalf("first page has %d rows", n)
	}
	m := nextRE.FindStringSubmatch(first.Body)
	if m == nil {
		t.Fatal("no Next link")
	}
	second := b.get(unescape(m[1]))
	mustStatus(t, second, http.StatusOK)
	if n := rowCount(second); n != 5 {
		t.Fatalf("second page has %d rows", n)
	}
	mustContain(t, second, "Проект 55", `id="first-page"`)
	mustNotContain(t, second, "Проект 01", `id="next-page"`)

	// Sort by name descending; an unknown sort field falls back to the default.
	desc := b.get("/projects?sort=name&desc=1")
	if i, j := strings.Index(desc.Body, "Проект 55"), strings.Index(desc.Body, "Проект 54"); i < 0 || j < 0 || i > j {
		t.Fatal("descending sort is not applied")
	}
	mustContain(t, desc, `aria-sort="descending"`)
	mustStatus(t, b.get("/projects?sort=password_hash"), http.StatusOK)

	// A filter narrows the list and the total.
	closed := b.get("/projects?status=closed")
	mustContain(t, closed, "Найдено 11 записей")
	if n := rowCount(closed); n != 11 {
		t.Fatalf("closed filter: %d rows", n)
	}

	// htmx asks for the list region only.
	part := b.get("/projects?status=closed", "HX-Request", "true", "HX-Target", "list-region")
	mustStatus(t, part, http.StatusOK)
	if !strings.HasPrefix(strings.TrimSpace(part.Body), `<div id="list-region"`) || strings.Contains(part.Body, "<html") {
		t.Fatalf("htmx answer is not the list region: %.200s", part.Body)
	}

	// Column chooser: only allow-listed names are kept, per user.
	mustContain(t, first, `data-col="date_from"`)
	mustNotContain(t, first, `data-col="created_at"`)
	p := b.post("/lists/projects/columns", form("col", "status", "col", "created_at", "col", "password_hash", "back", "/projects?status=closed"))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/projects?status=closed" {
		t.Fatalf("columns saved, back to %q", p.Location)
	}
	cols, err := env.App.ListColumns(ctx, "projects")
	if err != nil || strings.Join(cols, ",") != "status,created_at" {
		t.Fatalf("stored columns %v %v", cols, err)
	}
	after := b.get("/projects")
	mustContain(t, after, `data-col="name"`, `data-col="status"`, `data-col="created_at"`, "Набор столбцов сохранён.")
	mustNotContain(t, after, `data-col="date_from"`)
	mustStatus(t, b.post("/lists/projects/columns", form("reset", "1")), http.StatusSeeOther)
	mustContain(t, b.get("/projects"), `data-col="date_from"`)
	mustStatus(t, b.post("/lists/nosuchlist/columns", form("col", "x")), http.StatusNotFound)

	// Saved filters keep only what the list allows, and are per user.
	p = b.post("/lists/projects/views", form("name", "Закрытые", "query", "status=closed&sort=name&desc=1&evil=1&after=abc"))
	mustStatus(t, p, http.StatusSeeOther)
	views, err := env.App.SavedViews(ctx, "projects")
	if err != nil || len(views) != 1 {
		t.Fatalf("views %v %v", views, err)
	}
	if views[0].Query != "desc=1&sort=name&status=closed" {
		t.Fatalf("saved query %q", views[0].Query)
	}
	list := b.get("/projects")
	mustContain(t, list, "Закрытые", `href="/projects?desc=1&amp;sort=name&amp;status=closed"`)
	mustContain(t, b.get(p.Location), "Найдено 11 записей")
	p = b.post("/lists/projects/views", form("name", "", "query", "status=closed"))
	mustStatus(t, p, http.StatusSeeOther)
	mustContain(t, b.get(p.Location), "Обязательное поле.")
	mustStatus(t, b.post(fmt.Sprintf("/lists/projects/views/%d/delete", views[0].ID), nil), http.StatusSeeOther)
	if views, _ := env.App.SavedViews(ctx, "projects"); len(views) != 0 {
		t.Fatalf("view not deleted: %v", views)
	}
}

func TestSearchFindsCyrillicCaseInsensitively(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	env.CreateDirectorate(t, "Дирекция по работе с госсектором")
	env.CreateDirectorate(t, "Дирекция цифровых решений")
	b := loggedIn(t, env, "admin", env.AdminPassword)
	p := b.get("/admin/directorates?q=" + "ГОССЕКТОР")
	mustContain(t, p, "Дирекция по работе с госсектором", "Найдена 1 запись")
	mustNotContain(t, p, "Дирекция цифровых решений")
}
