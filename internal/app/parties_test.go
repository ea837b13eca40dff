package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

func TestCompanyCreateNormalisesAndValidates(t *testing.T) {
	f := setup(t)
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d2.ID, f.d1.ID)
	c, err := f.a.CreateCompany(sales, app.CompanyInput{Name: "  ООО «Ромашка» ", INN: "7707 083 893", KPP: "773601001",
		Type: "client", Industry: "it", Phones: []string{"8 (916) 123-45-67", "", "+7 916 1234567", "+7 495 123-45-67 доб. 12"},
		Emails: []string{" Info@Romashka.RU ", "info@romashka.ru"}, Tags: []string{" VIP ", "vip", "госсектор"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "ООО «Ромашка»" || c.INN != "7707083893" || c.DirectorateOf() != f.d2.ID || c.ResponsibleID == nil || c.Kind != crm.KindLegal {
		t.Fatalf("created: %+v", c)
	}
	if len(c.Phones) != 2 || c.Phones[0].E164 != "+79161234567" || c.Phones[1].E164 != "+74951234567" || c.Phones[1].Ext != "12" {
		t.Fatalf("phones: %+v", c.Phones)
	}
	if len(c.Emails) != 1 || c.Emails[0] != "info@romashka.ru" || len(c.Tags) != 2 {
		t.Fatalf("emails, tags: %v %v", c.Emails, c.Tags)
	}
	for name, tc := range map[string]struct {
		in    app.CompanyInput
		field string
		key   string
	}{
		"inn checksum": {app.CompanyInput{Name: "X", INN: "7707083894"}, "inn", "party.err.inn"},
		"inn kind":     {app.CompanyInput{Name: "X", INN: "500100732259"}, "inn", "party.err.inn_kind"},
		"kpp":          {app.CompanyInput{Name: "X", KPP: "77360100"}, "kpp", "party.err.kpp"},
		"phone":        {app.CompanyInput{Name: "X", Phones: []string{"12-34"}}, "phones", "party.err.phone"},
		"email":        {app.CompanyInput{Name: "X", Emails: []string{"nobody"}}, "emails", "err.email_format"},
		"name":         {app.CompanyInput{Name: " "}, "name", "err.required"},
		"type":         {app.CompanyInput{Name: "X", Type: "nonsense"}, "type", "err.choice"},
		"industry":     {app.CompanyInput{Name: "X", Industry: "nonsense"}, "industry", "err.choice"},
		"kind":         {app.CompanyInput{Name: "X", Kind: "alien"}, "kind", "err.choice"},
		"directorate":  {app.CompanyInput{Name: "X", DirectorateID: f.d3.ID}, "directorate_id", "err.directorate_not_own"},
	} {
		_, err := f.a.CreateCompany(sales, tc.in)
		if got := crm.ErrorFields(err)[tc.field]; got != tc.key {
			t.Errorf("%s: %v, want %s=%s", name, err, tc.field, tc.key)
		}
	}
	// A sole proprietor has a 12-digit INN.
	if _, err := f.a.CreateCompany(sales, app.CompanyInput{Name: "ИП Петров", Kind: crm.KindSoleProp, INN: "500100732259"}); err != nil {
		t.Fatal(err)
	}
}

func TestCompanyDuplicatesAndPermissions(t *testing.T) {
	f := setup(t)
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID)
	other := f.user(t, "other", crm.Roles{crm.RoleSales}, f.d2.ID)
	a, err := f.a.CreateCompany(sales, app.CompanyInput{Name: "Альфа", INN: "7736207543", Phones: []string{"+7 495 739-70-00"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]app.CompanyInput{
		"inn":   {Name: "Альфа-дубль", INN: "7736207543"},
		"phone": {Name: "Альфа по телефону", Phones: []string{"8 495 739 70 00"}},
	} {
		_, err := f.a.CreateCompany(other, in)
		var dup *crm.DuplicateError
		if !errors.As(err, &dup) || crm.ErrorCode(err) != crm.EConflict || len(dup.Companies) != 1 || dup.Companies[0].ID != a.ID {
			t.Fatalf("%s: %v", name, err)
		}
		in.AllowDuplicate = true
		if _, err := f.a.CreateCompany(other, in); err != nil {
			t.Fatalf("%s confirmed: %v", name, err)
		}
	}
	// Another directorate's salesperson reads but may not change, delete or merge it.
	if _, err := f.a.Company(other, a.ID); err != nil {
		t.Fatal(err)
	}
	name := "Чужое"
	if _, err := f.a.UpdateCompany(other, a.ID, app.CompanyPatch{Version: a.Version, Name: &name}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("update by other: %v", err)
	}
	if err := f.a.DeleteCompany(other, a.ID, a.Version); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("delete by other: %v", err)
	}
	if f.a.CanEditCompany(other, a) || !f.a.CanEditCompany(sales, a) {
		t.Fatal("CanEditCompany")
	}
	// The owner changes it; a stale version is 409; phones are parsed on update too.
	phones := []string{"8 916 000 11 22"}
	up, err := f.a.UpdateCompany(sales, a.ID, app.CompanyPatch{Version: a.Version, Name: &name, Phones: &phones})
	if err != nil {
		t.Fatal(err)
	}
	if up.Name != "Чужое" || up.Phones[0].E164 != "+79160001122" || up.INN != "7736207543" {
		t.Fatalf("updated: %+v", up)
	}
	if _, err := f.a.UpdateCompany(sales, a.ID, app.CompanyPatch{Version: a.Version, Name: &name}); crm.ErrorCode(err) != crm.EConflict {
		t.Fatalf("stale: %v", err)
	}
	bad := "7707083894"
	if _, err := f.a.UpdateCompany(sales, a.ID, app.CompanyPatch{Version: up.Version, INN: &bad}); crm.ErrorFields(err)["inn"] != "party.err.inn" {
		t.Fatalf("bad INN on update: %v", err)
	}
}

func TestContactsAndConsents(t *testing.T) {
	f := setup(t)
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID)
	other := f.user(t, "other", crm.Roles{crm.RoleSales}, f.d2.ID)
	co, err := f.a.CreateCompany(sales, app.CompanyInput{Name: "ООО Контакт"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.a.CreateContact(sales, app.ContactInput{LastName: "Иванов", FirstName: "Иван", CompanyID: &co.ID, Type: "client",
		Phones: []string{"9123456789"}, Emails: []string{"Ivanov@Example.ru"}, DoNotContact: []string{"sms"},
		Messengers: []crm.Messenger{{Kind: "Telegram", Handle: " @ivanov "}}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Phones[0].E164 != "+79123456789" || c.Emails[0] != "ivanov@example.ru" || c.Messengers[0].Kind != "telegram" || *c.CompanyID != co.ID {
		t.Fatalf("contact: %+v", c)
	}
	missing := int64(1 << 40)
	_, err = f.a.CreateContact(sales, app.ContactInput{LastName: "Без", CompanyID: &missing})
	if crm.ErrorFields(err)["company_id"] != "party.err.company_unknown" {
		t.Fatalf("unknown company: %v", err)
	}
	_, err = f.a.CreateContact(sales, app.ContactInput{Position: "Никто"})
	if crm.ErrorFields(err)["last_name"] != "party.err.name_required" {
		t.Fatalf("no name: %v", err)
	}
	_, err = f.a.CreateContact(sales, app.ContactInput{LastName: "Петров", DoNotContact: []string{"pigeon"}})
	if crm.ErrorFields(err)["do_not_contact"] != "err.choice" {
		t.Fatalf("bad channel: %v", err)
	}
	_, err = f.a.CreateContact(other, app.ContactInput{LastName: "Дубль", Phones: []string{"+7 912 345-67-89"}})
	var dup *crm.DuplicateError
	if !errors.As(err, &dup) || dup.Contacts[0].ID != c.ID {
		t.Fatalf("duplicate contact: %v", err)
	}
	// A private person: no company.
	pp, err := f.a.CreateContact(sales, app.ContactInput{LastName: "Частная", FirstName: "Мария"})
	if err != nil || pp.CompanyID != nil {
		t.Fatalf("private person: %+v %v", pp, err)
	}
	// Moving the contact out of its company makes it a private person.
	var none *int64
	moved, err := f.a.UpdateContact(sales, c.ID, app.ContactPatch{Version: c.Version, CompanyID: &none})
	if err != nil || moved.CompanyID != nil {
		t.Fatalf("to private: %+v %v", moved, err)
	}
	page, err := f.a.ListContacts(sales, crm.ContactFilter{PrivateOnly: true, Page: crm.PageRequest{Limit: 10}})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("private list: %d %v", len(page.Items), err)
	}
	_, err = f.a.ListContacts(sales, crm.ContactFilter{Attr: map[string]string{"nonsense": "1"}})
	if crm.ErrorFields(err)["attr"] == "" {
		t.Fatalf("unknown attribute filter: %v", err)
	}

	// Consents: any CRM role may record one, also on another directorate's contact.
	if _, err := f.a.AddConsent(other, c.ID, app.ConsentInput{Channel: "email", Purpose: "marketing", Status: crm.ConsentGranted, Source: "form"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.AddConsent(sales, c.ID, app.ConsentInput{Channel: "email", Purpose: "marketing", Status: crm.ConsentWithdrawn, Source: "unsubscribe"}); err != nil {
		t.Fatal(err)
	}
	_, err = f.a.AddConsent(sales, c.ID, app.ConsentInput{Channel: "fax", Purpose: "marketing", Status: crm.ConsentGranted})
	if crm.ErrorFields(err)["channel"] != "err.choice" {
		t.Fatalf("bad consent: %v", err)
	}
	if _, err := f.a.AddConsent(sales, missing, app.ConsentInput{Channel: "email", Purpose: "marketing", Status: crm.ConsentGranted}); crm.ErrorCode(err) != crm.ENotFound {
		t.Fatalf("consent of nobody: %v", err)
	}
	hist, err := f.a.Consents(sales, c.ID)
	if err != nil || len(hist) != 2 || hist[0].Status != crm.ConsentWithdrawn {
		t.Fatalf("history: %+v %v", hist, err)
	}
}

func TestMergeCompanies(t *testing.T) {
	f := setup(t)
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID)
	other := f.user(t, "other", crm.Roles{crm.RoleSales}, f.d2.ID)
	keep, _ := f.a.CreateCompany(sales, app.CompanyInput{Name: "Ромашка", Phones: []string{"+7 495 111-11-11"}, Tags: []string{"a"}})
	drop, err := f.a.CreateCompany(sales, app.CompanyInput{Name: "ООО «Ромашка»", INN: "7707083893", Region: "Москва",
		Emails: []string{"info@romashka.ru"}, Tags: []string{"b"}, AllowDuplicate: true})
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := f.a.CreateCompany(other, app.CompanyInput{Name: "Чужая"})
	person, _ := f.a.CreateContact(sales, app.ContactInput{LastName: "Сотрудник", CompanyID: &drop.ID})

	if _, err := f.a.MergeCompanies(sales, keep.ID, foreign.ID, app.MergeInput{}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("merge of another directorate's record: %v", err)
	}
	if _, err := f.a.MergeCompanies(sales, keep.ID, keep.ID, app.MergeInput{}); crm.ErrorCode(err) != crm.EInvalid {
		t.Fatalf("merge into itself: %v", err)
	}
	if _, err := f.a.MergeCompanies(sales, keep.ID, drop.ID, app.MergeInput{FromDropped: []string{"password"}}); crm.ErrorCode(err) != crm.EInvalid {
		t.Fatalf("unknown field: %v", err)
	}
	if _, err := f.a.MergeCompanies(sales, keep.ID, drop.ID, app.MergeInput{KeepVersion: keep.Version + 5}); crm.ErrorCode(err) != crm.EConflict {
		t.Fatalf("stale: %v", err)
	}
	got, err := f.a.MergeCompanies(sales, keep.ID, drop.ID, app.MergeInput{KeepVersion: keep.Version, DropVersion: drop.Version, FromDropped: []string{"name"}})
	if err != nil {
		t.Fatal(err)
	}
	// The name was chosen from the dropped record, the INN and region filled in where the kept
	// one had none, the lists united.
	if got.Name != "ООО «Ромашка»" || got.INN != "7707083893" || got.Region != "Москва" || len(got.Phones) != 1 ||
		len(got.Emails) != 1 || len(got.Tags) != 2 {
		t.Fatalf("kept: %+v", got)
	}
	c, _ := f.a.Contact(sales, person.ID)
	if *c.CompanyID != keep.ID {
		t.Fatal("contact not moved")
	}
	d, err := f.a.Company(app.WithActor(context.Background(), f.admin), drop.ID)
	if err != nil || !d.Deleted() || d.MergedInto == nil || *d.MergedInto != keep.ID {
		t.Fatalf("dropped: %+v %v", d, err)
	}
	if err := f.a.RestoreCompany(app.WithActor(context.Background(), f.admin), drop.ID); crm.ErrorMessage(err) != "party.err.merged" {
		t.Fatalf("restore of a merged record: %v", err)
	}
	from, err := f.a.MergedFrom(sales, crm.EntityCompany, keep.ID)
	if err != nil || len(from) != 1 || from[0] != drop.ID {
		t.Fatalf("merged from: %v %v", from, err)
	}
	hist, err := f.a.ListAudit(app.WithActor(context.Background(), f.admin), crm.AuditFilter{Entity: crm.EntityCompany, RecordID: &keep.ID, Page: crm.PageRequest{Limit: 10, Desc: true}})
	if err != nil || hist.Items[0].Action != app.AuditMerge || hist.Items[0].Changes["merged_from"][1] != float64(drop.ID) {
		t.Fatalf("audit: %+v %v", hist.Items, err)
	}
	// The merged company is not a duplicate of anything any more.
	if _, err := f.a.CreateCompany(sales, app.CompanyInput{Name: "Снова", INN: "7707083893"}); crm.ErrorCode(err) != crm.EConflict {
		t.Fatalf("the kept record carries the INN now: %v", err)
	}
}

func TestMergeContacts(t *testing.T) {
	f := setup(t)
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID)
	keep, _ := f.a.CreateContact(sales, app.ContactInput{LastName: "Иванов", Phones: []string{"+7 916 111-11-11"}})
	drop, err := f.a.CreateContact(sales, app.ContactInput{LastName: "Иванов", FirstName: "Иван", Emails: []string{"ivan@x.ru"}, DoNotContact: []string{"sms"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.AddConsent(sales, drop.ID, app.ConsentInput{Channel: "email", Purpose: "marketing", Status: crm.ConsentGranted, Source: "form"}); err != nil {
		t.Fatal(err)
	}
	got, err := f.a.MergeContacts(sales, keep.ID, drop.ID, app.MergeInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got.FirstName != "Иван" || len(got.Emails) != 1 || len(got.Phones) != 1 || len(got.DoNotContact) != 1 {
		t.Fatalf("kept: %+v", got)
	}
	hist, err := f.a.Consents(sales, keep.ID)
	if err != nil || len(hist) != 1 {
		t.Fatalf("consents moved: %+v %v", hist, err)
	}
	if _, err := f.a.Contact(sales, drop.ID); crm.ErrorCode(err) != crm.ENotFound {
		t.Fatalf("dropped contact readable by a non-admin: %v", err)
	}
}
