package ui

import (
	"net/http"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/phone"
)

// registerParties adds the routes of companies, contacts, consents, duplicates and merge.
func (u *UI) registerParties(page pageFunc) {
	page("GET /companies", u.companyList)
	page("GET /companies/new", u.companyNew)
	page("POST /companies/new", u.companyCreate)
	page("GET /companies/{id}", u.companyCard)
	page("GET /companies/{id}/edit", u.companyEdit)
	page("POST /companies/{id}/edit", u.companyUpdate)
	page("POST /companies/{id}/delete", u.companyDelete)
	page("POST /companies/{id}/restore", u.companyRestore)
	page("GET /companies/{id}/merge", u.companyMergePage)
	page("POST /companies/{id}/merge", u.companyMerge)

	page("GET /contacts", u.contactList)
	page("GET /contacts/new", u.contactNew)
	page("POST /contacts/new", u.contactCreate)
	page("GET /contacts/{id}", u.contactCard)
	page("GET /contacts/{id}/edit", u.contactEdit)
	page("POST /contacts/{id}/edit", u.contactUpdate)
	page("POST /contacts/{id}/delete", u.contactDelete)
	page("POST /contacts/{id}/restore", u.contactRestore)
	page("POST /contacts/{id}/consents", u.consentAdd)
	page("GET /contacts/{id}/merge", u.contactMergePage)
	page("POST /contacts/{id}/merge", u.contactMerge)

	page("GET /pick/companies", u.pickCompanies)
	page("GET /pick/contacts", u.pickContacts)
}

// Helpers the company and contact screens share.

// phoneTexts shows phones the way people read them, with the extension.
func phoneTexts(ps []crm.Phone) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, phone.Format(p))
	}
	return out
}

// firstOf is the first of a list, "" for none: a list cell shows the main phone or e-mail.
func firstOf(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

// phoneInputs are the phones as a form shows them for editing: as they were typed.
func phoneInputs(ps []crm.Phone) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		raw := p.Raw
		if raw == "" {
			raw = phone.Format(p)
		}
		out = append(out, raw)
	}
	return out
}

// formRows reads the repeated inputs of a list field (phones, e-mails): blank rows dropped.
func formRows(f *form, name string) []string {
	var out []string
	for _, v := range f.All(name) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// splitTags reads the comma-separated tags input.
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// rowsData is what the repeatable-rows partial needs: the input name, its label, the values
// (one empty row is added for typing) and the input type.
type rowsData struct {
	Name   string
	Label  string // catalogue key
	Type   string // tel, email
	Values []string
	Error  string // catalogue key
	Help   string // catalogue key
}

func newRows(f *form, name, label, typ, help string) rowsData {
	vals := append([]string(nil), f.All(name)...)
	var kept []string
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			kept = append(kept, v)
		}
	}
	return rowsData{Name: name, Label: label, Type: typ, Values: append(kept, ""), Error: f.Error(name), Help: help}
}

// yesNoOptions is a boolean filter's options ("1"/"0").
func (u *UI) yesNoOptions(r *http.Request) []option {
	return []option{{Value: "1", Label: u.t(r, "common.yes")}, {Value: "0", Label: u.t(r, "common.no")}}
}

// createdFilters reads the created-from/to days of a list; a malformed one is dropped.
func createdFilters(s *listState) (*crm.Date, *crm.Date) {
	day := func(name string) *crm.Date {
		v := s.Filter(name)
		if v == "" {
			return nil
		}
		d, err := crm.ParseDate(v)
		if err != nil {
			s.Filters.Del(name)
			return nil
		}
		return &d
	}
	return day("created_from"), day("created_to")
}

// partyListData is what the party list page adds to the shared list: free-text and date
// filters the filter bar's selects cannot hold.
type partyListData struct {
	Tag         string
	Region      string
	CreatedFrom string
	CreatedTo   string
	CompanyID   string
	CompanyName string
	ShowRegion  bool
	ShowCompany bool
}
