package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

func TestProjectFormKeepsValuesAndShowsInlineErrors(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	_, pw := env.CreateUser(t, "sales1", crm.Roles{crm.RoleSales}, d.ID)
	b := loggedIn(t, env, "sales1", pw)

	// The new form defaults to the user's first directorate.
	p := b.get("/projects/new")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, fmt.Sprintf(`<option value="%d" selected>Дирекция корпоративных продаж</option>`, d.ID))

	p = b.post("/projects/new", form("name", "  ", "status", "active", "directorate_id", itoa(d.ID),
		"date_from", "2026-05-01", "date_to", "2026-04-01", "description", "Пилот для министерства"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-name-error">Обязательное поле.`, "Пилот для министерства", `value="2026-05-01"`, "Проверьте поля, отмеченные красным.")

	p = b.post("/projects/new", form("name", "Пилот", "status", "active", "directorate_id", itoa(d.ID), "date_from", "1 мая"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-date-from-error">Дата в формате ГГГГ-ММ-ДД.`, `value="Пилот"`)

	p = b.post("/projects/new", form("name", "Пилот", "status", "active", "directorate_id", itoa(d.ID), "date_from", "2026-05-01", "date_to", "2026-04-01"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-date-to-error">Дата окончания раньше даты начала.`)

	// Save stays on the record; Save and exit goes back to the list.
	p = b.post("/projects/new", form("name", "Пилот ITSM", "status", "active", "directorate_id", itoa(d.ID)))
	mustStatus(t, p, http.StatusSeeOther)
	if !strings.HasPrefix(p.Location, "/projects/") {
		t.Fatalf("save went to %q", p.Location)
	}
	card := b.get(p.Location)
	mustContain(t, card, "Пилот ITSM", "Запись создана.", `id="edit"`, `id="delete"`)
	p = b.post("/projects/new", form("name", "Второй", "status", "active", "exit", "1"))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/projects" {
		t.Fatalf("save and exit went to %q", p.Location)
	}
}

func TestStaleVersionShowsAClearMessage(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	ctx := env.AdminCtx()
	pr, err := env.App.CreateProject(ctx, app.ProjectInput{Name: "Выставка ЦИПР"})
	if err != nil {
		t.Fatal(err)
	}
	b := loggedIn(t, env, "admin", env.AdminPassword)
	edit := b.get(fmt.Sprintf("/projects/%d/edit", pr.ID))
	mustStatus(t, edit, http.StatusOK)
	mustContain(t, edit, fmt.Sprintf(`name="version" value="%d"`, pr.Version))

	// Someone else saves first.
	name := "Выставка ЦИПР 2026"
	if _, err := env.App.UpdateProject(ctx, pr.ID, app.ProjectPatch{Version: pr.Version, Name: &name}); err != nil {
		t.Fatal(err)
	}
	p := b.post(fmt.Sprintf("/projects/%d/edit", pr.ID), form("version", itoa(pr.Version), "name", "Моё название", "status", "active"))
	mustStatus(t, p, http.StatusConflict)
	mustContain(t, p, "Запись уже изменил кто-то другой.", `value="Моё название"`)
	got, _ := env.App.Project(ctx, pr.ID)
	if got.Name != name {
		t.Fatalf("stale save changed the record: %q", got.Name)
	}
	// Deleting with a stale version is refused too.
	p = b.post(fmt.Sprintf("/projects/%d/delete", pr.ID), form("version", itoa(pr.Version)))
	mustStatus(t, p, http.StatusSeeOther)
	mustContain(t, b.get(p.Location), "Запись уже изменил кто-то другой.")
	if got, _ := env.App.Project(ctx, pr.ID); got.Deleted() {
		t.Fatal("a stale delete went through")
	}
}

func TestAnotherDirectoratesProjectIsReadOnly(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	own := env.CreateDirectorate(t, "Своя дирекция")
	other := env.CreateDirectorate(t, "Чужая дирекция")
	_, pw := env.CreateUser(t, "sales2", crm.Roles{crm.RoleSales}, own.ID)
	pr, err := env.App.CreateProject(env.AdminCtx(), app.ProjectInput{Name: "Чужой проект", DirectorateID: other.ID})
	if err != nil {
		t.Fatal(err)
	}
	b := loggedIn(t, env, "sales2", pw)
	path := fmt.Sprintf("/projects/%d", pr.ID)

	card := b.get(path)
	mustStatus(t, card, http.StatusOK)
	mustContain(t, card, "Чужой проект")
	mustNotContain(t, card, `id="edit"`, `id="delete"`)

	p := b.get(path + "/edit")
	mustStatus(t, p, http.StatusForbidden)
	mustContain(t, p, "Доступ запрещён", "Недостаточно прав для этого действия.")
	p = b.post(path+"/edit", form("version", itoa(pr.Version), "name", "Захвачено", "status", "closed", "directorate_id", itoa(own.ID)))
	mustStatus(t, p, http.StatusForbidden)
	mustStatus(t, b.post(path+"/delete", form("version", itoa(pr.Version))), http.StatusForbidden)

	got, err := env.App.Project(env.AdminCtx(), pr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Чужой проект" || got.Status != crm.ProjectActive || got.DirectorateOf() != other.ID || got.Deleted() || got.Version != pr.Version {
		t.Fatalf("a denied write changed the project: %+v", got)
	}
	// Nor can one move a new project into someone else's directorate.
	p = b.post("/projects/new", form("name", "Подброшенный", "status", "active", "directorate_id", itoa(other.ID)))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Можно выбрать только дирекцию продаж, к которой вы принадлежите.")
}

func TestTrashAndRestore(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	pr, err := env.App.CreateProject(env.AdminCtx(), app.ProjectInput{Name: "Удаляемый проект"})
	if err != nil {
		t.Fatal(err)
	}
	b := loggedIn(t, env, "admin", env.AdminPassword)
	p := b.post(fmt.Sprintf("/projects/%d/delete", pr.ID), form("version", itoa(pr.Version)))
	mustStatus(t, p, http.StatusSeeOther)
	list := b.get(p.Location)
	mustContain(t, list, "Запись удалена.")
	mustNotContain(t, list, "Удаляемый проект")

	trash := b.get("/projects?deleted=1")
	mustContain(t, trash, "Удаляемый проект", fmt.Sprintf(`action="/projects/%d/restore"`, pr.ID))
	p = b.post(fmt.Sprintf("/projects/%d/restore", pr.ID), nil)
	mustStatus(t, p, http.StatusSeeOther)
	mustContain(t, b.get(p.Location), "Запись восстановлена.", `id="edit"`)

	// The trash is for administrators only: others get the live list.
	_, pw := env.CreateUser(t, "sales3", crm.Roles{crm.RoleSales})
	s := loggedIn(t, env, "sales3", pw)
	p = s.get("/projects?deleted=1")
	mustStatus(t, p, http.StatusOK)
	mustNotContain(t, p, `id="trash-toggle"`)
}
