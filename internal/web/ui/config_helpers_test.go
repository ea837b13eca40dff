package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
)

// The helpers other screens call, on a real database: options and labels of choice lists and
// topics, and the round trip of custom fields through a form and a card.
func TestConfigHelpers(t *testing.T) {
	app.SetPasswordCostForTests()
	db := storetest.Open(t, storetest.NewSQLiteURL(t))
	a := app.New(db, nil)
	u := New(a, scs.New(), Options{})
	admin := app.WithActor(context.Background(), app.System)
	mgr, err := a.CreateUser(admin, app.UserInput{Login: "mgr", Email: "mgr@x.ru", FullName: "Менеджер", Password: "long-enough-pw",
		Roles: crm.Roles{crm.RoleManager, crm.RoleMarketeer, crm.RoleSales}, Active: true, Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := app.WithActor(context.Background(), &app.Actor{User: mgr})
	req := func(method, body string) *http.Request {
		r := httptest.NewRequest(method, "/x", strings.NewReader(body)).WithContext(ctx)
		if body != "" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		return r
	}

	// Choice options: empty first, active values, a deactivated selected one kept.
	vals, _ := a.Choices(ctx, crm.ListCompanyType, true)
	no := false
	if _, err := a.UpdateChoice(ctx, vals[5].ID, app.ChoicePatch{Version: vals[5].Version, Active: &no}); err != nil {
		t.Fatal(err)
	}
	r := req("GET", "")
	opts := u.choiceOptions(r, crm.ListCompanyType, "")
	if len(opts) != 6 || opts[0].Value != "" || opts[1].Label != "Client" {
		t.Fatalf("options: %+v", opts)
	}
	opts = u.choiceOptions(r, crm.ListCompanyType, "other")
	if len(opts) != 7 || opts[6].Value != "other" || !opts[6].Selected {
		t.Fatalf("options keep the stored inactive value: %+v", opts)
	}
	if labels := u.choiceLabels(r, crm.ListCompanyType); labels["other"] != "Other" || labels["prospect"] != "Prospect" {
		t.Fatalf("labels: %v", labels)
	}

	// Topic options: the active topics; a deleted selected one stays, marked.
	tp, err := a.CreateTopic(ctx, app.TopicInput{Name: "Сервис", NameEN: "Service", Active: true, Stages: []crm.Stage{
		{NameRU: "Работа", Kind: crm.StageOpen, Probability: 50}, {NameRU: "Успех", Kind: crm.StageWon, Probability: 100},
		{NameRU: "Отказ", Kind: crm.StageLost}}})
	if err != nil {
		t.Fatal(err)
	}
	topts := u.topicOptions(r, tp.ID)
	if len(topts) != 2 || topts[0].Label != "Main sales" || topts[1].Label != "Service" || !topts[1].Selected {
		t.Fatalf("topic options: %+v", topts)
	}
	if err := a.DeleteTopic(ctx, tp.ID, tp.Version); err != nil {
		t.Fatal(err)
	}
	if topts = u.topicOptions(r, tp.ID); len(topts) != 2 || !strings.HasPrefix(topts[1].Label, "#") {
		t.Fatalf("deleted topic still selectable as itself: %+v", topts)
	}

	// Custom fields: inputs named attr.<code> with values and errors; posted back, parsed;
	// shown on a card in the user's language.
	for _, in := range []app.CustomFieldInput{
		{Entity: crm.EntityDeal, Code: "tender", LabelRU: "Тендер", LabelEN: "Tender", Type: crm.FieldFlag, Active: true},
		{Entity: crm.EntityDeal, Code: "law", LabelRU: "Закон", Type: crm.FieldList, Options: []string{"44-ФЗ", "223-ФЗ"}, Active: true},
		{Entity: crm.EntityDeal, Code: "budget", LabelRU: "Бюджет", Type: crm.FieldNumber, Active: true},
		{Entity: crm.EntityDeal, Code: "deadline", LabelRU: "Срок подачи", LabelEN: "Deadline", Type: crm.FieldDate, Active: true},
	} {
		if _, err := a.CreateCustomField(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	html := string(u.customFieldInputs(r, crm.EntityDeal, crm.Attributes{"tender": true, "law": "223-ФЗ", "budget": 1250.5},
		map[string]string{"attributes.deadline": "err.date_format"}))
	for _, want := range []string{`name="attr.tender" id="f-attr-tender" value="1" checked`, `<option value="223-ФЗ" selected>`,
		`name="attr.budget" id="f-attr-budget" value="1250.5"`, `id="f-attr-deadline-error">Date as YYYY-MM-DD.`, "Custom fields"} {
		if !strings.Contains(html, want) {
			t.Fatalf("inputs lack %q:\n%s", want, html)
		}
	}
	if keys := u.customFieldErrorKeys(r, crm.EntityDeal); len(keys) != 4 || keys[0] != "attributes.tender" {
		t.Fatalf("error keys: %v", keys)
	}
	post := url.Values{"attr.tender": {"0"}, "attr.law": {"44-ФЗ"}, "attr.budget": {" 2 000,25 "}, "attr.deadline": {""}}
	pr := req("POST", post.Encode())
	attrs := u.parseAttributes(pr, crm.EntityDeal)
	if attrs["tender"] != false || attrs["law"] != "44-ФЗ" || attrs["budget"] != "2 000,25" || attrs["deadline"] != "" {
		t.Fatalf("parsed: %#v", attrs)
	}
	var stored crm.Attributes
	err = a.Store().InTx(ctx, func(tx crm.Repo) error {
		var err error
		stored, err = a.CheckAttributes(ctx, tx, crm.EntityDeal, attrs, crm.Attributes{"deadline": "2026-01-01"})
		return err
	})
	if err != nil || stored["budget"] != 2000.25 || stored["deadline"] != nil {
		t.Fatalf("checked: %#v %v", stored, err)
	}
	stored["deadline"] = "2026-03-15"
	props := u.customFieldProps(r, crm.EntityDeal, stored)
	got := map[string]string{}
	for _, p := range props {
		got[p.Label] = p.Value
	}
	if got["Tender"] != "No" || got["Закон"] != "44-ФЗ" || got["Бюджет"] != "2,000.25" || got["Deadline"] == "" || len(props) != 4 {
		t.Fatalf("props: %+v", props)
	}
	if formatNumber("ru", -1234567.5) != "-1\u00a0234\u00a0567,5" {
		t.Fatalf("ru number: %q", formatNumber("ru", -1234567.5))
	}
}
