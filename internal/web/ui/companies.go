package ui

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Companies (Контрагенты): list, card with the company's contacts and links to its deals and
// contracts, form with repeatable phones and e-mails, the duplicate warning on create.

var companyList = register(&listDef{
	Name: "companies", Path: "/companies", Entity: crm.EntityCompany, Search: true, SearchHint: "company.search_hint",
	Columns: []colDef{
		{Key: "name", Label: "field.company.name", Sort: "name", Fixed: true},
		{Key: "inn", Label: "field.company.inn", Sort: "inn", Default: true},
		{Key: "phone", Label: "field.company.phones", Default: true},
		{Key: "email", Label: "field.company.emails", Default: true},
		{Key: "type", Label: "field.company.type", Sort: "type", Default: true},
		{Key: "responsible", Label: "field.responsible_id", Default: true},
		{Key: "kind", Label: "field.company.kind", Sort: "kind"},
		{Key: "industry", Label: "field.company.industry", Sort: "industry"},
		{Key: "region", Label: "field.company.region", Sort: "region"},
		{Key: "directorate", Label: "field.directorate_id"},
		{Key: "tags", Label: "field.company.tags"},
		{Key: "supplier", Label: "field.company.is_supplier"},
		{Key: "created_at", Label: "field.created_at", Sort: "created_at"},
		{Key: "updated_at", Label: "field.updated_at", Sort: "updated_at"},
	},
	Filters:     []string{"type", "kind", "industry", "region", "directorate", "responsible", "tag", "supplier", "created_from", "created_to"},
	DefaultSort: "name",
})

func init() { companyList.Rows = (*UI).companyRows }

var companyFields = []string{"name", "legal_name", "external_ref", "kind", "type", "industry", "size", "inn", "kpp", "region",
	"website", "phones", "emails", "address", "responsible_id", "directorate_id", "is_supplier", "tags", "notes"}

func (u *UI) companyKindOptions(r *http.Request) []option {
	var out []option
	for _, k := range []crm.CompanyKind{crm.KindLegal, crm.KindSoleProp, crm.KindIndividual} {
		out = append(out, option{Value: string(k), Label: u.t(r, "value.company_kind."+string(k))})
	}
	return out
}

func (u *UI) companySizeOptions(r *http.Request) []option {
	out := []option{{Value: "", Label: "—"}}
	for _, s := range crm.CompanySizes {
		out = append(out, option{Value: s, Label: u.t(r, "value.company_size."+s)})
	}
	return out
}

func (u *UI) companyList(w http.ResponseWriter, r *http.Request) {
	u.partyListPage(w, r, companyList, "company.title", "companies")
}

// partyListPage is listPage with the party list template: the shared list plus the tag,
// region, company and created-date inputs.
func (u *UI) partyListPage(w http.ResponseWriter, r *http.Request, d *listDef, title, nav string) {
	s := u.parseList(r, d)
	if err := d.Rows(u, r, s); err != nil {
		u.fail(w, r, err)
		return
	}
	u.partial(w, r, "party_list.html", u.newView(r, title, nav, s), "list-region")
}

// choiceFilter is a filter select over a choice list (without the empty option: the bar
// puts "any" first).
func (u *UI) choiceFilter(r *http.Request, s *listState, name, label string, list crm.ChoiceList) {
	opts := u.choiceOptions(r, list, s.Filter(name))[1:]
	for i := range opts {
		opts[i].Selected = false
	}
	s.selectFilter(name, label, opts)
}

// companyRows loads one page of companies for the list state: the list screen renders it,
// the export and group actions page through it.
func (u *UI) companyRows(r *http.Request, s *listState) error {
	ctx := r.Context()
	u.choiceFilter(r, s, "type", u.t(r, "field.company.type"), crm.ListCompanyType)
	s.selectFilter("kind", u.t(r, "field.company.kind"), u.companyKindOptions(r))
	u.choiceFilter(r, s, "industry", u.t(r, "field.company.industry"), crm.ListIndustry)
	s.selectFilter("directorate", u.t(r, "field.directorate_id"), u.directorateOptions(ctx))
	u.userFilter(ctx, s, "responsible", u.t(r, "field.responsible_id"))
	s.selectFilter("supplier", u.t(r, "field.company.is_supplier"), u.yesNoOptions(r))
	from, to := createdFilters(s)
	s.Extra = partyListData{Tag: s.Filter("tag"), Region: s.Filter("region"), CreatedFrom: s.Filter("created_from"),
		CreatedTo: s.Filter("created_to"), ShowRegion: true}
	page, err := u.app.ListCompanies(ctx, crm.CompanyFilter{Q: s.Q, Type: s.Filter("type"), Kind: crm.CompanyKind(s.Filter("kind")),
		Industry: s.Filter("industry"), Region: s.Filter("region"), DirectorateID: s.Int("directorate"),
		ResponsibleID: s.Int("responsible"), Tag: s.Filter("tag"), Supplier: boolFilter(s.Filter("supplier")),
		CreatedFrom: from, CreatedTo: to, Deleted: s.Deleted, Page: s.Page()})
	if err != nil {
		return err
	}
	names := u.lookup(ctx)
	responsible := make([]*int64, 0, len(page.Items))
	for _, c := range page.Items {
		responsible = append(responsible, c.ResponsibleID)
	}
	names.prefetchUsers(responsible...)
	types, industries := u.choiceLabels(r, crm.ListCompanyType), u.choiceLabels(r, crm.ListIndustry)
	lang, loc := u.lang(r), userLocation(ctx)
	for _, c := range page.Items {
		href := "/companies/" + strconv.FormatInt(c.ID, 10)
		supplier := ""
		if c.IsSupplier {
			supplier = u.t(r, "common.yes")
		}
		rw := row{ID: c.ID, Href: href, Cells: map[string]cell{
			"name":        {Text: c.Name, Href: href},
			"inn":         {Text: c.INN},
			"phone":       {Text: firstOf(phoneTexts(c.Phones))},
			"email":       {Text: firstOf(c.Emails)},
			"type":        {Text: labelOf(types, c.Type)},
			"kind":        {Text: u.t(r, "value.company_kind."+string(c.Kind))},
			"industry":    {Text: labelOf(industries, c.Industry)},
			"region":      {Text: c.Region},
			"directorate": {Text: names.directorateName(c.DirectorateOf())},
			"responsible": {Text: names.userName(c.ResponsibleID)},
			"tags":        {List: c.Tags},
			"supplier":    {Text: supplier},
			"created_at":  {Text: formatDateTime(lang, c.CreatedAt, loc), Muted: true},
			"updated_at":  {Text: formatDateTime(lang, c.UpdatedAt, loc), Muted: true},
		}}
		if s.Deleted && c.MergedInto == nil {
			rw.RestoreURL = href + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "company.empty"
	if u.app.Allowed(ctx, app.ActCreate, crm.EntityCompany) {
		s.NewURL, s.NewLabel = "/companies/new", "company.new"
	}
	return nil
}

// labelOf is a choice code's label; a code whose value was deleted shows as it is.
func labelOf(labels map[string]string, code string) string {
	if l, ok := labels[code]; ok {
		return l
	}
	return code
}

// companyCardData is what the company card shows below its properties.
type companyCardData struct {
	Contacts      []contactLine
	MoreContacts  string // link to the full list when there are more
	NewContactURL string
	DealsURL      string
	ContractsURL  string
	MergeURL      string
	MergedInto    string // link to the record a merge put this one into
	Phones        []string
	Emails        []string
	Tags          []string
}

// contactLine is one contact on a company card.
type contactLine struct {
	Href, Name, Position, Phone, Email string
	DecisionMaker                      bool
}

const cardContacts = 50

func (u *UI) companyCard(w http.ResponseWriter, r *http.Request) {
	id, c, ok := pathRecord(u, w, r, u.app.Company)
	if !ok {
		return
	}
	ctx := r.Context()
	base := "/companies/" + strconv.FormatInt(id, 10)
	people := u.lookup(ctx)
	people.prefetchUsers(c.ResponsibleID, c.CreatedBy, c.UpdatedBy)
	types, industries := u.choiceLabels(r, crm.ListCompanyType), u.choiceLabels(r, crm.ListIndustry)
	card := card{Title: c.Name, Subtitle: c.LegalName, Badge: labelOf(types, c.Type), BadgeCol: "azure", Deleted: c.Deleted()}
	card.Tabs, card.Tab = u.cardTabs(r, base)
	extra := companyCardData{Phones: phoneTexts(c.Phones), Emails: c.Emails, Tags: c.Tags,
		DealsURL: "/deals?company=" + strconv.FormatInt(id, 10), ContractsURL: "/contracts?company=" + strconv.FormatInt(id, 10)}
	if c.Deleted() {
		if c.MergedInto != nil {
			extra.MergedInto = "/companies/" + strconv.FormatInt(*c.MergedInto, 10)
		} else if u.app.Allowed(ctx, app.ActRestore, crm.EntityCompany) {
			card.Restore = &recordAction{URL: base + "/restore"}
		}
	} else if u.app.CanEditCompany(ctx, c) {
		card.EditURL = base + "/edit"
		card.Delete = &recordAction{URL: base + "/delete", Version: c.Version, Confirm: u.t(r, "company.delete_confirm", "Name", c.Name)}
		extra.MergeURL = base + "/merge"
	}
	if !c.Deleted() && u.app.Allowed(ctx, app.ActCreate, crm.EntityContact) {
		extra.NewContactURL = "/contacts/new?company_id=" + strconv.FormatInt(id, 10)
	}
	if card.Tab == "main" {
		page, err := u.app.ListContacts(ctx, crm.ContactFilter{CompanyID: id, Page: crm.PageRequest{Limit: cardContacts, Sort: "name"}})
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, p := range page.Items {
			extra.Contacts = append(extra.Contacts, contactLine{Href: "/contacts/" + strconv.FormatInt(p.ID, 10), Name: p.FullName(),
				Position: p.Position, Phone: firstOf(phoneTexts(p.Phones)), Email: firstOf(p.Emails), DecisionMaker: p.IsDecisionMaker})
		}
		if page.Next != "" {
			extra.MoreContacts = "/contacts?company=" + strconv.FormatInt(id, 10)
		}
	}
	supplier := u.t(r, "common.no")
	if c.IsSupplier {
		supplier = u.t(r, "common.yes")
	}
	props := []prop{
		{Label: u.t(r, "field.company.kind"), Value: u.t(r, "value.company_kind."+string(c.Kind))},
		{Label: u.t(r, "field.company.inn"), Value: c.INN},
		{Label: u.t(r, "field.company.kpp"), Value: c.KPP},
		{Label: u.t(r, "field.company.industry"), Value: labelOf(industries, c.Industry)},
		{Label: u.t(r, "field.company.size"), Value: sizeLabel(u, r, c.Size)},
		{Label: u.t(r, "field.company.region"), Value: c.Region},
		{Label: u.t(r, "field.company.address"), Value: c.Address},
		{Label: u.t(r, "field.company.website"), Value: c.Website, Href: websiteHref(c.Website)},
		{Label: u.t(r, "field.company.is_supplier"), Value: supplier},
		{Label: u.t(r, "field.company.external_ref"), Value: c.ExternalRef},
		{Label: u.t(r, "field.directorate_id"), Value: people.directorateName(c.DirectorateOf())},
		{Label: u.t(r, "field.responsible_id"), Value: people.userName(c.ResponsibleID)},
	}
	props = append(props, u.customFieldProps(r, crm.EntityCompany, c.Attributes)...)
	props = append(props, u.stampProps(r, people, c.Meta)...)
	data := &cardPage{Card: card, Back: "/companies", BackLabel: "company.title", Notes: c.Notes, Props: props, Extra: extra}
	u.showCard(w, r, "company_card.html", "companies", crm.EntityCompany, id, data)
}

func sizeLabel(u *UI, r *http.Request, size string) string {
	if size == "" {
		return ""
	}
	return u.t(r, "value.company_size."+size)
}

// websiteHref links a website typed without a scheme; anything but http(s) is not a link.
func websiteHref(site string) string {
	site = strings.TrimSpace(site)
	switch {
	case site == "" || strings.ContainsAny(site, " <>\"'"):
		return ""
	case strings.HasPrefix(site, "https://") || strings.HasPrefix(site, "http://"):
		return site
	case strings.Contains(site, ":"):
		return "" // javascript:, mailto: and the like are not websites
	}
	return "https://" + site
}

func (u *UI) companyNew(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !u.app.Allowed(ctx, app.ActCreate, crm.EntityCompany) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/companies/new", "/companies")
	f.New = true
	f.Values.Set("kind", string(crm.KindLegal))
	if err := u.presetPlacement(ctx, f); err != nil {
		u.fail(w, r, err)
		return
	}
	u.companyForm(w, r, http.StatusOK, f, nil, nil, nil)
}

func (u *UI) companyEdit(w http.ResponseWriter, r *http.Request) {
	id, c, ok := pathRecord(u, w, r, u.app.Company)
	if !ok {
		return
	}
	if c.Deleted() || !u.app.CanEditCompany(r.Context(), c) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/companies/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	f.Version = c.Version
	for k, v := range map[string]string{"name": c.Name, "legal_name": c.LegalName, "external_ref": c.ExternalRef,
		"kind": string(c.Kind), "type": c.Type, "industry": c.Industry, "size": c.Size, "inn": c.INN, "kpp": c.KPP,
		"region": c.Region, "website": c.Website, "address": c.Address, "notes": c.Notes,
		"directorate_id": formatID(c.DirectorateOf()), "tags": strings.Join(c.Tags, ", ")} {
		f.Values.Set(k, v)
	}
	if c.ResponsibleID != nil {
		f.Values.Set("responsible_id", formatID(*c.ResponsibleID))
	}
	if c.IsSupplier {
		f.Values.Set("is_supplier", "1")
	}
	f.Values["phones"] = phoneInputs(c.Phones)
	f.Values["emails"] = append([]string(nil), c.Emails...)
	u.companyForm(w, r, http.StatusOK, f, c, c.Attributes, nil)
}

type companyFormData struct {
	Directorates []option
	Users        []option
	Kinds        []option
	Types        []option
	Industries   []option
	Sizes        []option
	Phones       rowsData
	Emails       rowsData
	CustomFields template.HTML
	Duplicates   []duplicateLine
	Record       *crm.Company
}

// duplicateLine is one existing record the duplicate warning offers to open.
type duplicateLine struct {
	Href, Name, Detail string
}

func (u *UI) companyForm(w http.ResponseWriter, r *http.Request, status int, f *form, c *crm.Company, attrs crm.Attributes, dups *crm.DuplicateError) {
	ctx := r.Context()
	dirs, err := u.directorateChoices(r, c)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	users := append([]option{{Value: "", Label: "—"}}, u.userOptions(ctx)...)
	if c != nil && c.ResponsibleID != nil {
		users = ensureOption(users, formatID(*c.ResponsibleID), u.lookup(ctx).userName(c.ResponsibleID))
	}
	title, back := "company.new", "/companies"
	if c != nil {
		title, back = "company.edit", "/companies/"+strconv.FormatInt(c.ID, 10)
	}
	x := companyFormData{Directorates: dirs, Users: users, Kinds: u.companyKindOptions(r),
		Types: u.choiceOptions(r, crm.ListCompanyType, f.Get("type")), Industries: u.choiceOptions(r, crm.ListIndustry, f.Get("industry")),
		Sizes: u.companySizeOptions(r), Phones: newRows(f, "phones", "field.company.phones", "tel", "party.phones_help"),
		Emails:       newRows(f, "emails", "field.company.emails", "email", ""),
		CustomFields: u.customFieldInputs(r, crm.EntityCompany, attrs, f.Errors), Record: c}
	if dups != nil {
		for _, d := range dups.Companies {
			detail := d.INN
			if len(d.Phones) > 0 {
				detail = strings.TrimPrefix(detail+" · "+phoneTexts(d.Phones)[0], " · ")
			}
			x.Duplicates = append(x.Duplicates, duplicateLine{Href: "/companies/" + strconv.FormatInt(d.ID, 10), Name: d.Name, Detail: detail})
		}
	}
	data := &formPage{Form: f, Title: u.t(r, title), Back: back, BackLabel: "company.title", Extra: x}
	if c != nil {
		data.BackLabel = "common.back_to_card"
	}
	u.render(w, r, status, "company_form.html", u.newView(r, title, "companies", data))
}

// directorateChoices are the directorates the form offers, with the stored one kept (R7).
func (u *UI) directorateChoices(r *http.Request, rec interface{ DirectorateOf() int64 }) ([]option, error) {
	ctx := r.Context()
	choices, err := u.app.DirectorateChoices(ctx, 0)
	if err != nil {
		return nil, err
	}
	dirs := make([]option, 0, len(choices)+1)
	for _, d := range choices {
		dirs = append(dirs, option{Value: formatID(d.ID), Label: d.Name})
	}
	if len(dirs) == 0 {
		dirs = append(dirs, option{Value: "", Label: u.t(r, "projects.no_directorate")})
	}
	if rec != nil && !isNilRecord(rec) {
		if id := rec.DirectorateOf(); id != 0 {
			dirs = ensureOption(dirs, formatID(id), u.lookup(ctx).directorateName(id))
		}
	}
	return dirs, nil
}

func isNilRecord(rec any) bool {
	switch x := rec.(type) {
	case *crm.Company:
		return x == nil
	case *crm.Contact:
		return x == nil
	}
	return rec == nil
}

// readCompanyForm parses the posted company.
func readCompanyForm(r *http.Request, f *form) app.CompanyInput {
	f.fromRequest(r)
	in := app.CompanyInput{Name: f.Get("name"), LegalName: f.Get("legal_name"), ExternalRef: f.Get("external_ref"),
		Kind: crm.CompanyKind(f.Get("kind")), Type: f.Get("type"), Industry: f.Get("industry"), Size: f.Get("size"),
		INN: f.Get("inn"), KPP: f.Get("kpp"), Region: f.Get("region"), Website: f.Get("website"), Address: f.Get("address"),
		Phones: formRows(f, "phones"), Emails: formRows(f, "emails"), ResponsibleID: optionalInt(f.Get("responsible_id")),
		IsSupplier: f.Get("is_supplier") != "", Tags: splitTags(f.Get("tags")), Notes: f.Get("notes"),
		AllowDuplicate: f.Get("allow_duplicate") != ""}
	in.DirectorateID, _ = strconv.ParseInt(f.Get("directorate_id"), 10, 64)
	return in
}

func (u *UI) companyCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/companies/new", "/companies")
	f.New = true
	in := readCompanyForm(r, f)
	in.Attributes = u.parseAttributes(r, crm.EntityCompany)
	var dup *crm.DuplicateError
	save := formSave{form: f, fields: append(companyFields, u.customFieldErrorKeys(r, crm.EntityCompany)...), toast: "toast.created",
		list: "/companies", show: func(status int) { u.companyForm(w, r, status, f, nil, in.Attributes, dup) }}
	u.finishSave(w, r, save, true, func() (int64, error) {
		c, err := u.app.CreateCompany(r.Context(), in)
		if errors.As(err, &dup) {
			f.Values.Del("allow_duplicate")
		}
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	})
}

func (u *UI) companyUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.Company)
	if !ok {
		return
	}
	base := "/companies/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in := readCompanyForm(r, f)
	attrs := u.parseAttributes(r, crm.EntityCompany)
	save := formSave{form: f, fields: append(companyFields, u.customFieldErrorKeys(r, crm.EntityCompany)...), toast: "toast.saved",
		list: "/companies", show: func(status int) { u.companyForm(w, r, status, f, cur, attrs, nil) }}
	u.finishSave(w, r, save, true, func() (int64, error) {
		resp := in.ResponsibleID
		_, err := u.app.UpdateCompany(r.Context(), id, app.CompanyPatch{Version: f.Version, Name: &in.Name, LegalName: &in.LegalName,
			ExternalRef: &in.ExternalRef, Kind: &in.Kind, Type: &in.Type, Industry: &in.Industry, Size: &in.Size, INN: &in.INN,
			KPP: &in.KPP, Region: &in.Region, Website: &in.Website, Phones: &in.Phones, Emails: &in.Emails, Address: &in.Address,
			ResponsibleID: &resp, DirectorateID: &in.DirectorateID, IsSupplier: &in.IsSupplier, Tags: &in.Tags, Attributes: attrs,
			Notes: &in.Notes})
		return id, err
	})
}

func (u *UI) companyDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/companies", func(id, version int64) error { return u.app.DeleteCompany(r.Context(), id, version) })
}

func (u *UI) companyRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/companies", func(id int64) error { return u.app.RestoreCompany(r.Context(), id) })
}
