package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

func TestSearchBoxAndPage(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	_, pw := env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, d.ID)
	_, npw := env.CreateUser(t, "norole", nil)
	ctx := context.Background()
	co := &crm.Company{Name: "Уралхимпласт", INN: "6623000680", Region: "Свердловская область"}
	var person *crm.Contact
	err := env.DB.InTx(ctx, func(r crm.Repo) error {
		if err := r.BulkCreateCompanies(ctx, []*crm.Company{co}); err != nil {
			return err
		}
		person = &crm.Contact{LastName: "Уралов", FirstName: "Семён", CompanyID: &co.ID, Position: "Главный технолог"}
		return r.BulkCreateContacts(ctx, []*crm.Contact{person})
	})
	if err != nil {
		t.Fatal(err)
	}
	b := loggedIn(t, env, "seller", pw)

	// The header of every page carries the box, wired to the suggestions.
	home := b.get("/")
	mustContain(t, home, `x-data="searchBox"`, `hx-get="/search/suggest"`, `placeholder="Компания, ФИО, телефон, e-mail, ИНН"`)

	// Lower-case Cyrillic: both records, grouped, each linking to its card, and the link to all.
	p := b.get("/search/suggest?q="+url.QueryEscape("урал"), "HX-Request", "true")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, "Компании", "Контакты", `href="/companies/`+itoa(co.ID)+`"`, "Уралхимпласт",
		"6623000680 · Свердловская область", `href="/contacts/`+itoa(person.ID)+`"`, "Главный технолог · Уралхимпласт",
		`href="/search?q=%d1%83%d1%80%d0%b0%d0%bb"`)
	mustNotContain(t, p, "<html", "Сделки")

	// A typo still finds the company, and the box says so.
	p = b.get("/search/suggest?q="+url.QueryEscape("уралхимпаст"), "HX-Request", "true")
	mustContain(t, p, "Уралхимпласт", "возможно, в запросе опечатка")
	mustNotContain(t, p, "Уралов")

	p = b.get("/search/suggest?q="+url.QueryEscape("у"), "HX-Request", "true")
	mustContain(t, p, "Введите хотя бы два символа")
	p = b.get("/search/suggest?q="+url.QueryEscape("несуществующая"), "HX-Request", "true")
	mustContain(t, p, "По запросу «несуществующая» ничего не найдено")

	// The page lists every hit, with the query kept in its box.
	p = b.get("/search?q=" + url.QueryEscape("6623000680"))
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `value="6623000680"`, "Уралхимпласт", `<title>`)
	mustNotContain(t, p, "Уралов")

	// No CRM role: no box, and the page sends them to their profile.
	nb := loggedIn(t, env, "norole", npw)
	mustNotContain(t, nb.get("/profile"), `x-data="searchBox"`)
	p = nb.get("/search?q=urals")
	mustStatus(t, p, http.StatusSeeOther)
	p = nb.get("/search/suggest?q=urals", "HX-Request", "true")
	mustStatus(t, p, http.StatusForbidden)
}
