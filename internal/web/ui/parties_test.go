package ui_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// A company from the form: phones as rows normalised, an INN with a bad checksum refused
// inline, the duplicate warning on a second company with the same phone, "create anyway".
func TestCompanyFormDuplicatesAndCard(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	_, pw := env.CreateUser(t, "sales1", crm.Roles{crm.RoleSales}, d.ID)
	b := loggedIn(t, env, "sales1", pw)

	p := b.get("/companies/new")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `name="phones"`, `name="emails"`, `x-data="partyRows()"`, fmt.Sprintf(`<option value="%d" selected>`, d.ID))

	post := func(extra ...string) url.Values {
		v := form("name", "ООО «Ромашка»", "kind", "legal", "directorate_id", itoa(d.ID), "inn", "7707083893",
			"tags", "VIP, госсектор", "type", "client")
		v["phones"] = []string{"8 (916) 123-45-67", "", "+7 495 123-45-67 доб. 12"}
		v["emails"] = []string{"Info@Romashka.RU"}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	p = b.post("/companies/new", post("inn", "7707083894", "kpp", "1"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-inn-error">Неверный ИНН`, `id="f-kpp-error">Неверный КПП`, `value="8 (916) 123-45-67"`, `value="ООО «Ромашка»"`)
	bad := post()
	bad["phones"] = []string{"12-34"}
	p = b.post("/companies/new", bad)
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-phones-error">Не удалось распознать номер телефона.`)

	p = b.post("/companies/new", post())
	mustStatus(t, p, http.StatusSeeOther)
	card := b.get(p.Location)
	mustStatus(t, card, http.StatusOK)
	mustContain(t, card, "ООО «Ромашка»", "7 916 123-45-67", "7 495 123-45-67 ext. 12", "info@romashka.ru", "VIP",
		"Клиент", `id="company-deals"`, "/deals?company=", "/contracts?company=", `id="merge"`, `id="new-contact"`)
	firstURL := p.Location

	// The same phone typed another way: the warning names the existing company.
	again := post("name", "Ромашка", "inn", "", "type", "partner", "tags", "")
	again["phones"] = []string{"+7 916 1234567"}
	again["emails"] = nil
	p = b.post("/companies/new", again)
	mustStatus(t, p, http.StatusConflict)
	mustContain(t, p, `id="duplicates"`, "Похожая запись уже есть", `href="`+firstURL+`"`, `id="create-anyway"`, `value="Ромашка"`)
	mustNotContain(t, p, `name="allow_duplicate" value="1" type="hidden"`)
	again.Set("allow_duplicate", "1")
	p = b.post("/companies/new", again)
	mustStatus(t, p, http.StatusSeeOther)

	// The list finds it by a lower-case Cyrillic word and by the phone, and filters by type.
	list := b.get("/companies?q=" + url.QueryEscape("ромашка") + "&type=client")
	mustStatus(t, list, http.StatusOK)
	mustContain(t, list, "ООО «Ромашка»", "7707083893")
	mustNotContain(t, list, ">Ромашка</a>")
	list = b.get("/companies?q=" + url.QueryEscape("8 916 123 45 67"))
	mustContain(t, list, "ООО «Ромашка»", ">Ромашка</a>")
	list = b.get("/companies?tag=VIP&created_from=2000-01-01")
	mustContain(t, list, "ООО «Ромашка»")
	mustNotContain(t, list, ">Ромашка</a>")

	// The picker answers JSON for other slices' forms.
	pick := b.get("/pick/companies?q=" + url.QueryEscape("РОМАШ"))
	mustStatus(t, pick, http.StatusOK)
	var items []struct {
		ID    int64  `json:"id"`
		Label string `json:"label"`
		Sub   string `json:"sub"`
	}
	if err := json.Unmarshal([]byte(pick.Body), &items); err != nil || len(items) != 2 || items[0].Sub != "ИНН 7707083893" || items[1].Label != "Ромашка" {
		t.Fatalf("picker: %s %v", pick.Body, err)
	}
}

// A contact of a company and a private person; consents on the card; «Частное лицо» in the
// list's company column; the edit form of another directorate's contact is refused.
func TestContactsConsentsAndPrivatePersons(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d1 := env.CreateDirectorate(t, "Госсектор")
	d2 := env.CreateDirectorate(t, "Партнёры")
	_, pw := env.CreateUser(t, "sales1", crm.Roles{crm.RoleSales}, d1.ID)
	_, pw2 := env.CreateUser(t, "sales2", crm.Roles{crm.RoleSales}, d2.ID)
	b := loggedIn(t, env, "sales1", pw)
	co, err := env.App.CreateCompany(env.AdminCtx(), app.CompanyInput{Name: "АО «Вектор»", DirectorateID: d1.ID})
	if err != nil {
		t.Fatal(err)
	}
	p := b.get(fmt.Sprintf("/contacts/new?company_id=%d", co.ID))
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `x-data="picker('/pick/companies', 'company_id')"`, `value="АО «Вектор»"`, `name="do_not_contact"`, `name="messenger_telegram"`)

	v := form("last_name", "Иванов", "first_name", "Иван", "company_id", itoa(co.ID), "position", "Директор",
		"is_decision_maker", "1", "directorate_id", itoa(d1.ID), "messenger_telegram", "@ivanov")
	v["phones"] = []string{"9123456789"}
	v["do_not_contact"] = []string{"sms", "postal"}
	p = b.post("/contacts/new", v)
	mustStatus(t, p, http.StatusSeeOther)
	contactURL := p.Location
	p = b.post("/contacts/new", form("last_name", "Частная", "first_name", "Мария", "directorate_id", itoa(d1.ID)))
	mustStatus(t, p, http.StatusSeeOther)
	p = b.post("/contacts/new", form("position", "Никто", "directorate_id", itoa(d1.ID)))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-last-name-error">Укажите фамилию или имя.`)

	card := b.get(contactURL)
	mustContain(t, card, "Иванов Иван", "АО «Вектор»", "7 912 345-67-89", "@ivanov", "SMS", "Почта", `id="consent-form"`, "Согласий пока нет.")
	p = b.post(contactURL+"/consents", form("channel", "email", "purpose", "marketing", "status", "granted", "source", "form", "text_version", "v2"))
	mustStatus(t, p, http.StatusSeeOther)
	card = b.get(contactURL)
	mustContain(t, card, "Согласие записано.", `id="consents-current"`, "E-mail · Маркетинг: Дано", "v2")

	list := b.get("/contacts")
	mustContain(t, list, "Иванов Иван", "АО «Вектор»", "Частное лицо", "Частная Мария")
	list = b.get("/contacts?private=1")
	mustContain(t, list, "Частная Мария")
	mustNotContain(t, list, "Иванов Иван")
	list = b.get(fmt.Sprintf("/contacts?company=%d", co.ID))
	mustContain(t, list, "Иванов Иван")
	mustNotContain(t, list, "Частная Мария")

	pick := b.get(fmt.Sprintf("/pick/contacts?q=%s&company=%d", url.QueryEscape("иван"), co.ID))
	if !strings.Contains(pick.Body, `"label":"Иванов Иван"`) || !strings.Contains(pick.Body, "АО «Вектор»") {
		t.Fatalf("contact picker: %s", pick.Body)
	}

	// Another directorate's salesperson sees the card without edit, and may not open the form.
	other := loggedIn(t, env, "sales2", pw2)
	c2 := other.get(contactURL)
	mustStatus(t, c2, http.StatusOK)
	mustNotContain(t, c2, `id="edit"`, `id="merge"`)
	mustContain(t, c2, `id="consent-form"`) // consents: any CRM role
	mustStatus(t, other.get(contactURL+"/edit"), http.StatusForbidden)
}

// The merge screen: suggestions by shared identifiers, the side-by-side choice, the result.
func TestMergeScreen(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Госсектор")
	_, pw := env.CreateUser(t, "sales1", crm.Roles{crm.RoleSales}, d.ID)
	b := loggedIn(t, env, "sales1", pw)
	ctx := env.AdminCtx()
	keep, _ := env.App.CreateCompany(ctx, app.CompanyInput{Name: "Ромашка", DirectorateID: d.ID, Phones: []string{"+7 495 111-22-33"}})
	drop, err := env.App.CreateCompany(ctx, app.CompanyInput{Name: "ООО «Ромашка»", INN: "7707083893", DirectorateID: d.ID,
		Phones: []string{"8 495 111 22 33"}, AllowDuplicate: true})
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/companies/%d", keep.ID)
	p := b.get(base + "/merge")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `id="merge-suggestions"`, fmt.Sprintf(`merge?with=%d`, drop.ID), "ООО «Ромашка»")
	p = b.get(fmt.Sprintf("%s/merge?with=%d", base, drop.ID))
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `id="merge-table"`, `name="take_name"`, `name="take_inn" value="drop" checked`, "7707083893")
	p = b.post(base+"/merge", form("drop_id", itoa(drop.ID), "version", itoa(keep.Version), "drop_version", itoa(drop.Version),
		"take_name", "drop", "take_inn", "drop"))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != base {
		t.Fatalf("merge went to %q", p.Location)
	}
	card := b.get(base)
	mustContain(t, card, "Записи объединены.", "ООО «Ромашка»", "7707083893")
	got, _ := env.App.Company(ctx, drop.ID)
	if got.MergedInto == nil || *got.MergedInto != keep.ID || !got.Deleted() {
		t.Fatalf("dropped: %+v", got)
	}
	// A stale version is refused with a message, nothing merged.
	third, _ := env.App.CreateCompany(ctx, app.CompanyInput{Name: "Третья", DirectorateID: d.ID})
	p = b.post(base+"/merge", form("drop_id", itoa(third.ID), "version", "1", "drop_version", itoa(third.Version)))
	mustStatus(t, p, http.StatusSeeOther)
	mustContain(t, b.get(p.Location), "Запись уже изменил кто-то другой.")
}

// Every party screen renders in both languages.
func TestPartyScreensRender(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	ctx := env.AdminCtx()
	co, err := env.App.CreateCompany(ctx, app.CompanyInput{Name: "Альфа"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.App.CreateContact(ctx, app.ContactInput{LastName: "Петров", CompanyID: &co.ID})
	if err != nil {
		t.Fatal(err)
	}
	b := loggedIn(t, env, "admin", env.AdminPassword)
	for _, lang := range []string{"ru", "en"} {
		mustStatus(t, b.post("/lang", form("lang", lang, "next", "/")), http.StatusSeeOther)
		for _, path := range []string{"/companies", "/companies/new", fmt.Sprintf("/companies/%d", co.ID),
			fmt.Sprintf("/companies/%d/edit", co.ID), fmt.Sprintf("/companies/%d?tab=history", co.ID), fmt.Sprintf("/companies/%d/merge", co.ID),
			"/contacts", "/contacts/new", fmt.Sprintf("/contacts/%d", c.ID), fmt.Sprintf("/contacts/%d/edit", c.ID),
			fmt.Sprintf("/contacts/%d/merge", c.ID), "/companies?deleted=1", "/contacts?sort=created_at&desc=1", "/pick/contacts?q="} {
			p := b.get(path)
			if p.Status != http.StatusOK {
				t.Errorf("%s %s: status %d\n%s", lang, path, p.Status, excerpt(p.Body))
			}
		}
	}
}
