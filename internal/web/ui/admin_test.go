package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

func TestAdminCreatesDirectorateUserAndSeesTheAudit(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	ctx := env.AdminCtx()
	b := loggedIn(t, env, "admin", env.AdminPassword)

	p := b.post("/admin/directorates/new", form("name", "", "active", "1"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-name-error">Обязательное поле.`)
	p = b.post("/admin/directorates/new", form("name", "Дирекция по работе с госсектором", "active", "1"))
	mustStatus(t, p, http.StatusSeeOther)
	gov := b.get(p.Location)
	mustContain(t, gov, "Дирекция по работе с госсектором", "Запись создана.")
	p = b.post("/admin/directorates/new", form("name", "Дирекция корпоративных продаж", "active", "1", "exit", "1"))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/admin/directorates" {
		t.Fatalf("save and exit: %q", p.Location)
	}
	dirs, err := env.App.ListDirectorates(ctx, crm.DirectorateFilter{Page: crm.PageRequest{Sort: "id"}})
	if err != nil || len(dirs.Items) != 2 {
		t.Fatalf("directorates %v %v", dirs.Items, err)
	}
	d1, d2 := dirs.Items[0].ID, dirs.Items[1].ID

	// The user form keeps what was typed, except the password.
	p = b.post("/admin/users/new", form("full_name", "Пётр Сидоров", "email", "not-an-email", "login", "sidorov",
		"password", "secret-password-1", "roles", "crm_sales", "directorates", itoa(d2), "directorates", itoa(d1)))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Неверный адрес электронной почты.", `value="Пётр Сидоров"`)
	mustNotContain(t, p, "secret-password-1")

	// Directorates arrive in the order chosen: the first is the default.
	p = b.post("/admin/users/new", form("full_name", "Пётр Сидоров", "email", "sidorov@example.ru", "login", "sidorov",
		"password", "secret-password-1", "locale", "ru", "timezone", "Asia/Yekaterinburg", "weekly_capacity_h", "40",
		"roles", "crm_sales", "roles", "crm_manager", "directorates", itoa(d2), "directorates", itoa(d1), "active", "1"))
	mustStatus(t, p, http.StatusSeeOther)
	card := b.get(p.Location)
	mustContain(t, card, "Пётр Сидоров", "Дирекция корпоративных продаж (по умолчанию), Дирекция по работе с госсектором")
	u, err := env.App.User(ctx, mustID(t, p.Location))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(u.Directorates) != fmt.Sprint([]int64{d2, d1}) || !u.Roles.Has(crm.RoleManager) || u.TimeZone != "Asia/Yekaterinburg" {
		t.Fatalf("user stored as %+v", u)
	}
	loggedIn(t, env, "sidorov", "secret-password-1")

	// Reorder from the edit form and deactivate.
	edit := b.get(fmt.Sprintf("/admin/users/%d/edit", u.ID))
	mustStatus(t, edit, http.StatusOK)
	p = b.post(fmt.Sprintf("/admin/users/%d/edit", u.ID), form("version", itoa(u.Version), "full_name", "Пётр Сидоров",
		"email", "sidorov@example.ru", "locale", "en", "timezone", "Europe/Moscow", "weekly_capacity_h", "30",
		"roles", "crm_sales", "directorates", itoa(d1), "directorates", itoa(d2)))
	mustStatus(t, p, http.StatusSeeOther)
	u, _ = env.App.User(ctx, u.ID)
	if fmt.Sprint(u.Directorates) != fmt.Sprint([]int64{d1, d2}) || u.Active || u.Locale != "en" || u.Roles.Has(crm.RoleManager) {
		t.Fatalf("user after edit %+v", u)
	}

	// Password reset by the admin.
	p = b.post(fmt.Sprintf("/admin/users/%d/password", u.ID), form("version", itoa(u.Version), "password", "short"))
	mustStatus(t, p, http.StatusSeeOther)
	mustContain(t, b.get(p.Location), "Пароль должен быть не короче 10 символов.")

	// The audit log shows both creations, with the diff of the edit.
	audit := b.get("/admin/audit?entity=directorate")
	mustStatus(t, audit, http.StatusOK)
	mustContain(t, audit, "Дирекция продаж #"+itoa(d1), "Дирекция продаж #"+itoa(d2), "Создание", "Administrator")
	mustNotContain(t, audit, "Пользователь #"+itoa(u.ID))
	audit = b.get(fmt.Sprintf("/admin/audit?entity=user&record=%d&action=update", u.ID))
	mustContain(t, audit, "Изменение", "Часов в неделю", "<del>40</del>", "<ins>30</ins>")
	audit = b.get("/admin/audit?from=2000-01-01&to=2000-01-02")
	mustContain(t, audit, "Найдено 0 записей")
	audit = b.get("/admin/audit?from=yesterday")
	mustContain(t, audit, "Дата в формате ГГГГ-ММ-ДД.")

	// The user card's history tab shows the same change, in the admin's time zone.
	hist := b.get(fmt.Sprintf("/admin/users/%d?tab=history", u.ID))
	mustContain(t, hist, `id="timeline"`, "Часов в неделю", "Дирекции продаж")
	part := b.get(fmt.Sprintf("/admin/users/%d?tab=history", u.ID), "HX-Request", "true", "HX-Target", "card-body")
	if !strings.HasPrefix(strings.TrimSpace(part.Body), `<div class="card" id="card-body">`) {
		t.Fatalf("history tab over htmx: %.200s", part.Body)
	}
}

func TestProductPriceIsReadExactly(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция цифровых решений")
	b := loggedIn(t, env, "admin", env.AdminPassword)
	p := b.post("/admin/products/new", form("name", "Внедрение ITSM", "kind", "service", "price", "1 234,5", "currency", "RUB",
		"directorates", itoa(d.ID), "active", "1"))
	mustStatus(t, p, http.StatusSeeOther)
	id := mustID(t, p.Location)
	pr, err := env.App.Product(env.AdminCtx(), id)
	if err != nil {
		t.Fatal(err)
	}
	if pr.PriceMinor != 123450 || pr.Kind != crm.KindService || len(pr.Directorates) != 1 {
		t.Fatalf("product stored as %+v", pr)
	}
	mustContain(t, b.get(p.Location), "1\u00a0234,50\u00a0₽")
	mustContain(t, b.get(fmt.Sprintf("/admin/products/%d/edit", id)), `value="1234.50"`)

	p = b.post("/admin/products/new", form("name", "Лицензия", "kind", "product", "price", "12,345", "currency", "RUB"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Введите сумму в рублях")
	p = b.post("/admin/products/new", form("name", "Лицензия", "kind", "product", "price", "-5", "currency", "RUB"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-price-error">Значение не может быть отрицательным.`)

	// English shows the same amount the English way.
	mustStatus(t, b.post("/lang", form("lang", "en", "next", "/")), http.StatusSeeOther)
	mustContain(t, b.get("/admin/products"), "1,234.50 RUB")
}

func TestSalesRepSeesNoAdminActions(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция по работе с партнёрами")
	_, pw := env.CreateUser(t, "sales4", crm.Roles{crm.RoleSales}, d.ID)
	b := loggedIn(t, env, "sales4", pw)
	home := b.get("/")
	mustStatus(t, home, http.StatusOK)
	mustNotContain(t, home, `href="/admin/audit"`, "Последние изменения")
	list := b.get("/admin/directorates")
	mustStatus(t, list, http.StatusOK)
	mustNotContain(t, list, `id="create"`)
	card := b.get(fmt.Sprintf("/admin/directorates/%d", d.ID))
	mustNotContain(t, card, `id="edit"`, `id="delete"`, `id="tab-history"`)
	mustStatus(t, b.get("/admin/directorates/new"), http.StatusForbidden)
	mustStatus(t, b.post("/admin/directorates/new", form("name", "Моя дирекция", "active", "1")), http.StatusForbidden)
	mustStatus(t, b.get("/admin/audit"), http.StatusForbidden)
	mustStatus(t, b.get(fmt.Sprintf("/admin/directorates/%d?tab=history", d.ID)), http.StatusOK)
}

func mustID(t *testing.T, location string) int64 {
	t.Helper()
	i := strings.LastIndex(location, "/")
	var id int64
	if _, err := fmt.Sscan(location[i+1:], &id); err != nil {
		t.Fatalf("no id in %q", location)
	}
	return id
}

func TestCRMAdminManagesUsersButNotAdmins(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	_, pw := env.CreateUser(t, "crmadmin", crm.Roles{crm.RoleCRMAdmin})
	b := loggedIn(t, env, "crmadmin", pw)
	p := b.get("/admin/users/new")
	mustStatus(t, p, http.StatusOK)
	mustNotContain(t, p, `value="admin"`)
	mustContain(t, p, `value="crm_admin"`)
	card := b.get(fmt.Sprintf("/admin/users/%d", env.Admin.ID))
	mustStatus(t, card, http.StatusOK)
	mustNotContain(t, card, `id="edit"`, `id="delete"`, `id="reset-submit"`)
	mustStatus(t, b.get(fmt.Sprintf("/admin/users/%d/edit", env.Admin.ID)), http.StatusForbidden)
	p = b.post("/admin/users/new", form("full_name", "Новый админ", "email", "boss@example.ru", "login", "boss",
		"password", "boss-password-1", "roles", "admin"))
	mustStatus(t, p, http.StatusForbidden)
	if page, _ := env.App.ListUsers(env.AdminCtx(), crm.UserFilter{Q: "boss"}); len(page.Items) != 0 {
		t.Fatal("crm_admin made an admin")
	}
}

// A hand-made post that names a role twice gets the form back with the problem at the roles,
// not an error page.
func TestUserFormRefusesARoleTwice(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция")
	b := loggedIn(t, env, "admin", env.AdminPassword)
	p := b.post("/admin/users/new", form("full_name", "Дважды", "email", "twice@example.ru", "login", "twice",
		"password", "twice-password-1", "roles", "crm_sales", "roles", "crm_sales", "directorates", itoa(d.ID), "active", "1"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-roles-error">Значение повторяется.`, `value="twice@example.ru"`)
	if page, _ := env.App.ListUsers(env.AdminCtx(), crm.UserFilter{Q: "twice"}); len(page.Items) != 0 {
		t.Fatal("a user was made")
	}
}
