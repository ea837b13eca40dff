package ui_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

type bulkAnswer struct {
	Done    int    `json:"done"`
	Skipped int    `json:"skipped"`
	Level   string `json:"level"`
	Message string `json:"message"`
}

// bulk posts the group-action form the way the toolbar's script does.
func (b *browser) bulk(path string, f url.Values) (int, bulkAnswer) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.env.URL+path, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.env.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept", "application/json")
	p := b.do(req)
	var ans bulkAnswer
	if err := json.Unmarshal([]byte(p.Body), &ans); err != nil {
		b.t.Fatalf("bulk answer %d %q: %v", p.Status, p.Body, err)
	}
	return p.Status, ans
}

func TestBulkSetTypeSkipsRecordsTheUserMayNotEdit(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d1 := env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	d2 := env.CreateDirectorate(t, "Дирекция госсектора")
	_, pw := env.CreateUser(t, "sales1", crm.Roles{crm.RoleSales}, d1.ID)
	ctx := env.AdminCtx()
	var ids []int64
	for _, x := range []struct {
		name string
		dir  int64
	}{{"ООО Первая", d1.ID}, {"ООО Вторая", d1.ID}, {"ООО Чужая", d2.ID}} {
		c, err := env.App.CreateCompany(ctx, app.CompanyInput{Name: x.name, Kind: crm.KindLegal, Type: "client", DirectorateID: x.dir})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	b := loggedIn(t, env, "sales1", pw)

	// The list offers the toolbar: row checkboxes, the type choices, no delete for sales.
	p := b.get("/companies")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `x-data="bulkSelect"`, `id="bulk-page"`, `class="form-check-input m-0 align-middle bulk-row" name="id" value="`+itoa(ids[0])+`" form="bulk-form"`,
		`<option value="set_type">Задать тип</option>`, `<option value="partner">Партнёр</option>`, "Будет изменено записей: __N__. Продолжить?")

	f := form("action", "set_type", "type", "partner", "query", "")
	for _, id := range ids {
		f.Add("id", itoa(id))
	}
	status, ans := b.bulk("/companies/bulk", f)
	if status != http.StatusOK || ans.Done != 2 || ans.Skipped != 1 || ans.Message != "Выполнено: 2, пропущено: 1" || ans.Level != "warning" {
		t.Fatalf("bulk: %d %+v", status, ans)
	}
	for i, id := range ids {
		c, err := env.App.Company(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := "partner"
		if i == 2 {
			want = "client"
		}
		if c.Type != want {
			t.Fatalf("company %d type %q, want %q", i, c.Type, want)
		}
	}

	// Invalid requests are answered in the user's language.
	status, ans = b.bulk("/companies/bulk", form("action", "set_type", "type", "partner"))
	if status != http.StatusUnprocessableEntity || ans.Message != "Ничего не выбрано." {
		t.Fatalf("nothing selected: %d %+v", status, ans)
	}
	status, ans = b.bulk("/companies/bulk", form("action", "delete", "id", itoa(ids[2])))
	if status != http.StatusOK || ans.Done != 0 || ans.Skipped != 1 {
		t.Fatalf("delete without the right: %d %+v", status, ans)
	}
	if c, err := env.App.Company(ctx, ids[2]); err != nil || c.Deleted() {
		t.Fatalf("the other directorate's company was deleted: %v", err)
	}

	// A read-only administrator sees no toolbar at all.
	_, rpw := env.CreateUser(t, "reader", crm.Roles{crm.RoleReadAdmin})
	mustNotContain(t, loggedIn(t, env, "reader", rpw).get("/companies"), `x-data="bulkSelect"`, `id="bulk-page"`)
}

func TestBulkAllMatchingAppliesToTheFilterOnly(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	clients := createCompanies(t, env, "client", "Тула", "ООО Тула-1", "ООО Тула-2", "ООО Тула-3")
	others := createCompanies(t, env, "partner", "Тула", "ООО Партнёр")
	b := loggedIn(t, env, "admin", env.AdminPassword)

	status, ans := b.bulk("/companies/bulk", form("action", "add_tag", "tag", "VIP", "all", "1", "query", "type=client&region=Тула"))
	if status != http.StatusOK || ans.Done != 3 || ans.Skipped != 0 || ans.Message != "Выполнено: 3, пропущено: 0" {
		t.Fatalf("bulk all: %d %+v", status, ans)
	}
	ctx := env.AdminCtx()
	for _, c := range clients {
		got, _ := env.App.Company(ctx, c.ID)
		if !contains(got.Tags, "vip") && !contains(got.Tags, "VIP") {
			t.Fatalf("%s tags %q", got.Name, got.Tags)
		}
	}
	got, _ := env.App.Company(ctx, others[0].ID)
	if len(got.Tags) != 0 {
		t.Fatalf("the partner outside the filter was tagged: %q", got.Tags)
	}

	// Without JavaScript the form posts and comes back to the list under its query.
	p := b.post("/companies/bulk", form("action", "assign", "responsible_id", itoa(env.Admin.ID), "id", itoa(others[0].ID), "query", "type=partner"))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/companies?type=partner" {
		t.Fatalf("back to %q", p.Location)
	}

	// The trash and lists of types without group actions show no toolbar.
	mustNotContain(t, b.get("/companies?deleted=1"), `x-data="bulkSelect"`)
	mustNotContain(t, b.get("/contracts"), `x-data="bulkSelect"`)
}
