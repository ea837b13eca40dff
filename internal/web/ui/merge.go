package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// The merge screen (R17): pick the other record (likely duplicates are offered first), see
// both side by side, choose per field which value stays, confirm. The record in the path is
// the one kept; the other goes to the trash with every link moved over.

// mergePage is the data of merge.html.
type mergePage struct {
	Title       string // translated
	Back        string
	Entity      string // company or contact: the picker's URL and labels
	PickerURL   string
	Keep        mergeSide
	Drop        *mergeSide // nil until the other record is chosen
	Rows        []mergeRow // fields to choose
	United      []mergeRow // lists that are united
	Suggestions []duplicateLine
	Action      string
}

type mergeSide struct {
	ID      int64
	Name    string
	Href    string
	Version int64
}

// mergeRow is one field of the comparison.
type mergeRow struct {
	Field    string
	Label    string // translated
	Keep     string
	Drop     string
	TakeDrop bool // preselect the dropped record's value (the kept one has none)
	Same     bool // equal values: nothing to choose
}

func (u *UI) companyMergePage(w http.ResponseWriter, r *http.Request) {
	id, keep, ok := pathRecord(u, w, r, u.app.Company)
	if !ok {
		return
	}
	ctx := r.Context()
	if keep.Deleted() || !u.app.CanEditCompany(ctx, keep) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/companies/" + strconv.FormatInt(id, 10)
	p := &mergePage{Title: u.t(r, "merge.company_title", "Name", keep.Name), Back: base, Entity: crm.EntityCompany,
		PickerURL: "/pick/companies", Action: base + "/merge",
		Keep: mergeSide{ID: id, Name: keep.Name, Href: base, Version: keep.Version}}
	if with := optionalInt(r.URL.Query().Get("with")); with != nil && *with != id {
		drop, err := liveDrop(u.app.Company(ctx, *with))
		if err != nil {
			u.fail(w, r, err)
			return
		}
		p.Drop = &mergeSide{ID: drop.ID, Name: drop.Name, Href: "/companies/" + strconv.FormatInt(drop.ID, 10), Version: drop.Version}
		for _, f := range app.CompanyMergeFields {
			p.Rows = append(p.Rows, newMergeRow(f, u.t(r, "field.company."+f), u.companyValue(r, keep, f), u.companyValue(r, drop, f)))
		}
		p.United = []mergeRow{
			unitedRow(u.t(r, "field.company.phones"), phoneTexts(keep.Phones), phoneTexts(drop.Phones)),
			unitedRow(u.t(r, "field.company.emails"), keep.Emails, drop.Emails),
			unitedRow(u.t(r, "field.company.tags"), keep.Tags, drop.Tags),
		}
	} else {
		dups, err := u.app.CompanyDuplicates(ctx, keep)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, d := range dups {
			p.Suggestions = append(p.Suggestions, duplicateLine{Href: base + "/merge?with=" + strconv.FormatInt(d.ID, 10), Name: d.Name, Detail: d.INN})
		}
	}
	u.render(w, r, http.StatusOK, "merge.html", u.newView(r, "", "companies", p))
}

func (u *UI) contactMergePage(w http.ResponseWriter, r *http.Request) {
	id, keep, ok := pathRecord(u, w, r, u.app.Contact)
	if !ok {
		return
	}
	ctx := r.Context()
	if keep.Deleted() || !u.app.CanEditContact(ctx, keep) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/contacts/" + strconv.FormatInt(id, 10)
	p := &mergePage{Title: u.t(r, "merge.contact_title", "Name", keep.FullName()), Back: base, Entity: crm.EntityContact,
		PickerURL: "/pick/contacts", Action: base + "/merge",
		Keep: mergeSide{ID: id, Name: keep.FullName(), Href: base, Version: keep.Version}}
	if with := optionalInt(r.URL.Query().Get("with")); with != nil && *with != id {
		drop, err := liveDrop(u.app.Contact(ctx, *with))
		if err != nil {
			u.fail(w, r, err)
			return
		}
		p.Drop = &mergeSide{ID: drop.ID, Name: drop.FullName(), Href: "/contacts/" + strconv.FormatInt(drop.ID, 10), Version: drop.Version}
		for _, f := range app.ContactMergeFields {
			p.Rows = append(p.Rows, newMergeRow(f, u.t(r, "field.contact."+f), u.contactValue(r, keep, f), u.contactValue(r, drop, f)))
		}
		p.United = []mergeRow{
			unitedRow(u.t(r, "field.contact.phones"), phoneTexts(keep.Phones), phoneTexts(drop.Phones)),
			unitedRow(u.t(r, "field.contact.emails"), keep.Emails, drop.Emails),
			unitedRow(u.t(r, "field.contact.do_not_contact"), keep.DoNotContact, drop.DoNotContact),
			unitedRow(u.t(r, "field.contact.tags"), keep.Tags, drop.Tags),
		}
	} else {
		dups, err := u.app.ContactDuplicates(ctx, keep)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, d := range dups {
			p.Suggestions = append(p.Suggestions, duplicateLine{Href: base + "/merge?with=" + strconv.FormatInt(d.ID, 10), Name: d.FullName(), Detail: firstOf(d.Emails)})
		}
	}
	u.render(w, r, http.StatusOK, "merge.html", u.newView(r, "", "contacts", p))
}

// liveDrop is the record a merge would put in the trash, read for the comparison: one that is
// already there cannot be merged, so it is not found.
func liveDrop[T interface{ Deleted() bool }](rec T, err error) (T, error) {
	if err == nil && rec.Deleted() {
		return rec, crm.ErrNotFound
	}
	return rec, err
}

// unitedRow is a list both records' values of which the merge keeps (phones, e-mails, tags).
func unitedRow(label string, keep, drop []string) mergeRow {
	return mergeRow{Label: label, Keep: strings.Join(keep, ", "), Drop: strings.Join(drop, ", ")}
}

func newMergeRow(field, label, keep, drop string) mergeRow {
	return mergeRow{Field: field, Label: label, Keep: keep, Drop: drop, Same: keep == drop, TakeDrop: keep == "" && drop != ""}
}

// companyValue shows one mergeable field of a company.
func (u *UI) companyValue(r *http.Request, c *crm.Company, field string) string {
	switch field {
	case "name":
		return c.Name
	case "legal_name":
		return c.LegalName
	case "external_ref":
		return c.ExternalRef
	case "kind":
		return u.t(r, "value.company_kind."+string(c.Kind))
	case "type":
		return labelOf(u.choiceLabels(r, crm.ListCompanyType), c.Type)
	case "industry":
		return labelOf(u.choiceLabels(r, crm.ListIndustry), c.Industry)
	case "size":
		return sizeLabel(u, r, c.Size)
	case "inn":
		return c.INN
	case "kpp":
		return c.KPP
	case "region":
		return c.Region
	case "website":
		return c.Website
	case "address":
		return c.Address
	case "responsible_id":
		return u.lookup(r.Context()).userName(c.ResponsibleID)
	case "is_supplier":
		return yesNo(r, u, c.IsSupplier)
	case "notes":
		return c.Notes
	case "attributes":
		return propsText(u.customFieldProps(r, crm.EntityCompany, c.Attributes))
	}
	return ""
}

// contactValue shows one mergeable field of a contact.
func (u *UI) contactValue(r *http.Request, c *crm.Contact, field string) string {
	switch field {
	case "last_name":
		return c.LastName
	case "first_name":
		return c.FirstName
	case "middle_name":
		return c.MiddleName
	case "company_id":
		if c.CompanyID == nil {
			return ""
		}
		return u.companyNames(r, []crm.Contact{*c})[*c.CompanyID]
	case "position":
		return c.Position
	case "is_decision_maker":
		return yesNo(r, u, c.IsDecisionMaker)
	case "type":
		return labelOf(u.choiceLabels(r, crm.ListContactType), c.Type)
	case "role":
		return labelOf(u.choiceLabels(r, crm.ListContactRole), c.Role)
	case "postal_address":
		return c.PostalAddress
	case "responsible_id":
		return u.lookup(r.Context()).userName(c.ResponsibleID)
	case "notes":
		return c.Notes
	case "attributes":
		return propsText(u.customFieldProps(r, crm.EntityContact, c.Attributes))
	}
	return ""
}

func propsText(ps []prop) string {
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		parts = append(parts, p.Label+": "+p.Value)
	}
	return strings.Join(parts, "; ")
}

func (u *UI) companyMerge(w http.ResponseWriter, r *http.Request) {
	u.mergeSubmit(w, r, "/companies", func(keep, drop int64, in app.MergeInput) error {
		_, err := u.app.MergeCompanies(r.Context(), keep, drop, in)
		return err
	})
}

func (u *UI) contactMerge(w http.ResponseWriter, r *http.Request) {
	u.mergeSubmit(w, r, "/contacts", func(keep, drop int64, in app.MergeInput) error {
		_, err := u.app.MergeContacts(r.Context(), keep, drop, in)
		return err
	})
}

// mergeSubmit runs a confirmed merge: the posted versions guard against merging records
// someone changed while the comparison was on screen.
func (u *UI) mergeSubmit(w http.ResponseWriter, r *http.Request, list string, merge func(keep, drop int64, in app.MergeInput) error) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	_ = r.ParseForm()
	drop, _ := strconv.ParseInt(r.PostForm.Get("drop_id"), 10, 64)
	in := app.MergeInput{}
	in.KeepVersion, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	in.DropVersion, _ = strconv.ParseInt(r.PostForm.Get("drop_version"), 10, 64)
	for k, v := range r.PostForm {
		if field, isChoice := strings.CutPrefix(k, "take_"); isChoice && len(v) > 0 && v[0] == "drop" {
			in.FromDropped = append(in.FromDropped, field)
		}
	}
	card := list + "/" + strconv.FormatInt(id, 10)
	if err := merge(id, drop, in); err != nil {
		switch crm.ErrorCode(err) {
		case crm.EConflict, crm.EInvalid:
			u.flash(r, "danger", firstField(err, crm.ErrorMessage(err)))
			redirect(w, r, card+"/merge?with="+strconv.FormatInt(drop, 10))
		default:
			u.fail(w, r, err)
		}
		return
	}
	u.flash(r, "success", "merge.done")
	redirect(w, r, card)
}
