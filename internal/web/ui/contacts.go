package ui

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Contacts (Контактные лица) and private persons (Физлица, no company): list, card with the
// consent history, form with repeatable phones and e-mails, messenger handles and
// do-not-contact flags per channel.

var contactList = register(&listDef{
	Name: "contacts", Path: "/contacts", Entity: crm.EntityContact, Search: true, SearchHint: "contact.search_hint",
	Columns: []colDef{
		{Key: "name", Label: "field.contact.full_name", Sort: "name", Fixed: true},
		{Key: "company", Label: "field.contact.company_id", Default: true},
		{Key: "position", Label: "field.contact.position", Sort: "position", Default: true},
		{Key: "phone", Label: "field.contact.phones", Default: true},
		{Key: "email", Label: "field.contact.emails", Default: true},
		{Key: "type", Label: "field.contact.type", Sort: "type", Default: true},
		{Key: "responsible", Label: "field.responsible_id"},
		{Key: "role", Label: "field.contact.role", Sort: "role"},
		{Key: "dm", Label: "field.contact.is_decision_maker"},
		{Key: "directorate", Label: "field.directorate_id"},
		{Key: "tags", Label: "field.contact.tags"},
		{Key: "created_at", Label: "field.created_at", Sort: "created_at"},
		{Key: "updated_at", Label: "field.updated_at", Sort: "updated_at"},
	},
	Filters:     []string{"type", "role", "dm", "private", "company", "directorate", "responsible", "tag", "created_from", "created_to"},
	DefaultSort: "name",
})

func init() { contactList.Rows = (*UI).contactRows }

var contactFields = []string{"last_name", "first_name", "middle_name", "company_id", "position", "is_decision_maker", "type",
	"role", "phones", "emails", "messengers", "do_not_contact", "postal_address", "responsible_id", "directorate_id", "tags", "notes"}

func (u *UI) contactList(w http.ResponseWriter, r *http.Request) {
	u.partyListPage(w, r, contactList, "contact.title", "contacts")
}

// contactRows loads one page of contacts; the company column names the companies with one
// list call, and says «Частное лицо» for private persons (R20).
func (u *UI) contactRows(r *http.Request, s *listState) error {
	ctx := r.Context()
	u.choiceFilter(r, s, "type", u.t(r, "field.contact.type"), crm.ListContactType)
	u.choiceFilter(r, s, "role", u.t(r, "field.contact.role"), crm.ListContactRole)
	s.selectFilter("dm", u.t(r, "field.contact.is_decision_maker"), u.yesNoOptions(r))
	s.selectFilter("private", u.t(r, "contact.filter_private"), []option{{Value: "1", Label: u.t(r, "contact.private_only")}})
	s.selectFilter("directorate", u.t(r, "field.directorate_id"), u.directorateOptions(ctx))
	u.userFilter(ctx, s, "responsible", u.t(r, "field.responsible_id"))
	from, to := createdFilters(s)
	companyID := s.Int("company")
	extra := partyListData{Tag: s.Filter("tag"), CreatedFrom: s.Filter("created_from"), CreatedTo: s.Filter("created_to"), ShowCompany: true}
	if companyID > 0 {
		extra.CompanyID = formatID(companyID)
		if c, err := u.app.Company(ctx, companyID); err == nil {
			extra.CompanyName = c.Name
		}
	} else {
		s.Filters.Del("company")
	}
	s.Extra = extra
	page, err := u.app.ListContacts(ctx, crm.ContactFilter{Q: s.Q, Type: s.Filter("type"), Role: s.Filter("role"),
		DecisionMaker: boolFilter(s.Filter("dm")), PrivateOnly: s.Filter("private") == "1", CompanyID: companyID,
		DirectorateID: s.Int("directorate"), ResponsibleID: s.Int("responsible"), Tag: s.Filter("tag"),
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
	companies := u.companyNames(r, page.Items)
	types, roles := u.choiceLabels(r, crm.ListContactType), u.choiceLabels(r, crm.ListContactRole)
	lang, loc := u.lang(r), userLocation(ctx)
	for _, c := range page.Items {
		href := "/contacts/" + strconv.FormatInt(c.ID, 10)
		company := cell{Text: u.t(r, "contact.private_person"), Muted: true}
		if c.CompanyID != nil {
			company = cell{Text: companies[*c.CompanyID], Href: "/companies/" + strconv.FormatInt(*c.CompanyID, 10)}
		}
		dm := ""
		if c.IsDecisionMaker {
			dm = u.t(r, "common.yes")
		}
		rw := row{ID: c.ID, Href: href, Cells: map[string]cell{
			"name":        {Text: c.FullName(), Href: href},
			"company":     company,
			"position":    {Text: c.Position},
			"phone":       {Text: firstOf(phoneTexts(c.Phones))},
			"email":       {Text: firstOf(c.Emails)},
			"type":        {Text: labelOf(types, c.Type)},
			"role":        {Text: labelOf(roles, c.Role)},
			"dm":          {Text: dm},
			"directorate": {Text: names.directorateName(c.DirectorateOf())},
			"responsible": {Text: names.userName(c.ResponsibleID)},
			"tags":        {List: c.Tags},
			"created_at":  {Text: formatDateTime(lang, c.CreatedAt, loc), Muted: true},
			"updated_at":  {Text: formatDateTime(lang, c.UpdatedAt, loc), Muted: true},
		}}
		if s.Deleted && c.MergedInto == nil {
			rw.RestoreURL = href + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "contact.empty"
	if u.app.Allowed(ctx, app.ActCreate, crm.EntityContact) {
		s.NewURL, s.NewLabel = "/contacts/new", "contact.new"
		if companyID > 0 {
			s.NewURL += "?company_id=" + formatID(companyID)
		}
	}
	return nil
}

// contactCardData is what the contact card shows below its properties.
type contactCardData struct {
	Phones       []string
	Emails       []string
	Messengers   []string
	DoNotContact []string
	Tags         []string
	MergeURL     string
	MergedInto   string
	Consents     []consentLine // the state in force
	History      []consentLine // every row, newest first
	ConsentForm  *consentForm  // nil: the user may not add one
}

type consentLine struct {
	Channel, Purpose, Status, Source, TextVersion, Evidence, At, Who string
	Granted                                                          bool
}

// consentForm is the small "record a consent" form on the card.
type consentForm struct {
	Action   string
	Channels []option
	Purposes []option
	Statuses []option
	Sources  []option
}

func (u *UI) contactCard(w http.ResponseWriter, r *http.Request) {
	id, c, ok := pathRecord(u, w, r, u.app.Contact)
	if !ok {
		return
	}
	ctx := r.Context()
	base := "/contacts/" + strconv.FormatInt(id, 10)
	lang, loc := u.lang(r), userLocation(ctx)
	people := u.lookup(ctx)
	people.prefetchUsers(c.ResponsibleID, c.CreatedBy, c.UpdatedBy)
	types, roles := u.choiceLabels(r, crm.ListContactType), u.choiceLabels(r, crm.ListContactRole)
	card := card{Title: c.FullName(), Subtitle: c.Position, Badge: labelOf(types, c.Type), BadgeCol: "azure", Deleted: c.Deleted()}
	card.Tabs, card.Tab = u.cardTabs(r, base)
	extra := contactCardData{Phones: phoneTexts(c.Phones), Emails: c.Emails, Tags: c.Tags}
	for _, m := range c.Messengers {
		extra.Messengers = append(extra.Messengers, u.t(r, "value.messenger."+m.Kind)+": "+m.Handle)
	}
	for _, ch := range c.DoNotContact {
		extra.DoNotContact = append(extra.DoNotContact, u.t(r, "value.channel."+ch))
	}
	if c.Deleted() {
		if c.MergedInto != nil {
			extra.MergedInto = "/contacts/" + strconv.FormatInt(*c.MergedInto, 10)
		} else if u.app.Allowed(ctx, app.ActRestore, crm.EntityContact) {
			card.Restore = &recordAction{URL: base + "/restore"}
		}
	} else {
		if u.app.CanEditContact(ctx, c) {
			card.EditURL = base + "/edit"
			card.Delete = &recordAction{URL: base + "/delete", Version: c.Version, Confirm: u.t(r, "contact.delete_confirm", "Name", c.FullName())}
			extra.MergeURL = base + "/merge"
		}
		if act := app.ActorFrom(ctx); act != nil && !act.ReadOnly && u.app.Allowed(ctx, app.ActRead, crm.EntityContact) {
			extra.ConsentForm = u.newConsentForm(r, base+"/consents")
		}
	}
	if card.Tab == "main" {
		hist, err := u.app.Consents(ctx, id)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		var by []*int64
		for _, h := range hist {
			by = append(by, h.CreatedBy)
		}
		people.prefetchUsers(by...)
		line := func(h crm.Consent) consentLine {
			return consentLine{Channel: u.t(r, "value.channel."+h.Channel), Purpose: u.t(r, "value.consent_purpose."+h.Purpose),
				Status: u.t(r, "value.consent_status."+string(h.Status)), Source: u.t(r, "value.consent_source."+h.Source),
				TextVersion: h.TextVersion, Evidence: h.Evidence, At: formatDateTime(lang, h.At, loc), Who: people.userName(h.CreatedBy),
				Granted: h.Status == crm.ConsentGranted}
		}
		for _, h := range crm.CurrentConsents(hist) {
			extra.Consents = append(extra.Consents, line(h))
		}
		for _, h := range hist {
			extra.History = append(extra.History, line(h))
		}
	}
	companyProp := prop{Label: u.t(r, "field.contact.company_id"), Value: u.t(r, "contact.private_person")}
	if c.CompanyID != nil {
		companyProp.Value = u.companyNames(r, []crm.Contact{*c})[*c.CompanyID]
		companyProp.Href = "/companies/" + strconv.FormatInt(*c.CompanyID, 10)
	}
	dm := u.t(r, "common.no")
	if c.IsDecisionMaker {
		dm = u.t(r, "common.yes")
	}
	props := []prop{
		companyProp,
		{Label: u.t(r, "field.contact.position"), Value: c.Position},
		{Label: u.t(r, "field.contact.is_decision_maker"), Value: dm},
		{Label: u.t(r, "field.contact.role"), Value: labelOf(roles, c.Role)},
		{Label: u.t(r, "field.contact.postal_address"), Value: c.PostalAddress},
		{Label: u.t(r, "field.directorate_id"), Value: people.directorateName(c.DirectorateOf())},
		{Label: u.t(r, "field.responsible_id"), Value: people.userName(c.ResponsibleID)},
	}
	props = append(props, u.customFieldProps(r, crm.EntityContact, c.Attributes)...)
	props = append(props, u.stampProps(r, people, c.Meta)...)
	data := &cardPage{Card: card, Back: "/contacts", BackLabel: "contact.title", Notes: c.Notes, Props: props, Extra: extra}
	u.showCard(w, r, "contact_card.html", "contacts", crm.EntityContact, id, data)
}

func (u *UI) newConsentForm(r *http.Request, action string) *consentForm {
	opts := func(prefix string, codes []string) []option {
		out := make([]option, 0, len(codes))
		for _, c := range codes {
			out = append(out, option{Value: c, Label: u.t(r, prefix+c)})
		}
		return out
	}
	return &consentForm{Action: action, Channels: opts("value.channel.", crm.ConsentChannels),
		Purposes: opts("value.consent_purpose.", crm.ConsentPurposes),
		Statuses: opts("value.consent_status.", []string{string(crm.ConsentGranted), string(crm.ConsentWithdrawn)}),
		Sources:  opts("value.consent_source.", crm.ConsentSources)}
}

// consentAdd records a consent from the card's form and shows the card again.
func (u *UI) consentAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	_ = r.ParseForm()
	in := app.ConsentInput{Channel: r.PostForm.Get("channel"), Purpose: r.PostForm.Get("purpose"),
		Status: crm.ConsentStatus(r.PostForm.Get("status")), Source: r.PostForm.Get("source"),
		TextVersion: r.PostForm.Get("text_version"), Evidence: r.PostForm.Get("evidence")}
	if at := strings.TrimSpace(r.PostForm.Get("at")); at != "" {
		if t, err := time.ParseInLocation("2006-01-02T15:04", at, userLocation(r.Context())); err == nil {
			in.At = &t
		}
	}
	card := "/contacts/" + strconv.FormatInt(id, 10)
	if _, err := u.app.AddConsent(r.Context(), id, in); err != nil {
		if crm.ErrorCode(err) == crm.EInvalid {
			u.flash(r, "danger", firstField(err, "err.validation"))
			redirect(w, r, card)
			return
		}
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "contact.consent_saved")
	redirect(w, r, card)
}

func (u *UI) contactNew(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !u.app.Allowed(ctx, app.ActCreate, crm.EntityContact) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/contacts/new", "/contacts")
	f.New = true
	if id := optionalInt(r.URL.Query().Get("company_id")); id != nil {
		f.Values.Set("company_id", formatID(*id))
		f.Cancel = "/companies/" + formatID(*id)
	}
	if err := u.presetPlacement(ctx, f); err != nil {
		u.fail(w, r, err)
		return
	}
	u.contactForm(w, r, http.StatusOK, f, nil, nil, nil)
}

func (u *UI) contactEdit(w http.ResponseWriter, r *http.Request) {
	id, c, ok := pathRecord(u, w, r, u.app.Contact)
	if !ok {
		return
	}
	if c.Deleted() || !u.app.CanEditContact(r.Context(), c) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/contacts/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	f.Version = c.Version
	for k, v := range map[string]string{"last_name": c.LastName, "first_name": c.FirstName, "middle_name": c.MiddleName,
		"position": c.Position, "type": c.Type, "role": c.Role, "postal_address": c.PostalAddress, "notes": c.Notes,
		"directorate_id": formatID(c.DirectorateOf()), "tags": strings.Join(c.Tags, ", ")} {
		f.Values.Set(k, v)
	}
	if c.CompanyID != nil {
		f.Values.Set("company_id", formatID(*c.CompanyID))
	}
	if c.ResponsibleID != nil {
		f.Values.Set("responsible_id", formatID(*c.ResponsibleID))
	}
	if c.IsDecisionMaker {
		f.Values.Set("is_decision_maker", "1")
	}
	f.Values["phones"] = phoneInputs(c.Phones)
	f.Values["emails"] = append([]string(nil), c.Emails...)
	f.Values["do_not_contact"] = append([]string(nil), c.DoNotContact...)
	handles := map[string][]string{}
	for _, m := range c.Messengers {
		handles[m.Kind] = append(handles[m.Kind], m.Handle)
	}
	for kind, hs := range handles {
		f.Values.Set("messenger_"+kind, strings.Join(hs, ", "))
	}
	u.contactForm(w, r, http.StatusOK, f, c, c.Attributes, nil)
}

type contactFormData struct {
	Directorates []option
	Users        []option
	Types        []option
	Roles        []option
	Channels     []option
	Messengers   []messengerInput
	Phones       rowsData
	Emails       rowsData
	CompanyName  string
	CustomFields template.HTML
	Duplicates   []duplicateLine
	Record       *crm.Contact
}

// messengerInput is one messenger's handles, comma-separated.
type messengerInput struct {
	Name, Label, Value string
}

func (u *UI) contactForm(w http.ResponseWriter, r *http.Request, status int, f *form, c *crm.Contact, attrs crm.Attributes, dups *crm.DuplicateError) {
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
	title, back := "contact.new", "/contacts"
	if c != nil {
		title, back = "contact.edit", "/contacts/"+strconv.FormatInt(c.ID, 10)
	}
	x := contactFormData{Directorates: dirs, Users: users,
		Types: u.choiceOptions(r, crm.ListContactType, f.Get("type")), Roles: u.choiceOptions(r, crm.ListContactRole, f.Get("role")),
		Phones: newRows(f, "phones", "field.contact.phones", "tel", "party.phones_help"),
		Emails: newRows(f, "emails", "field.contact.emails", "email", ""), CustomFields: u.customFieldInputs(r, crm.EntityContact, attrs, f.Errors),
		Record: c}
	for _, ch := range crm.ContactChannels {
		x.Channels = append(x.Channels, option{Value: ch, Label: u.t(r, "value.channel."+ch)})
	}
	for _, kind := range crm.MessengerKinds {
		x.Messengers = append(x.Messengers, messengerInput{Name: "messenger_" + kind, Label: u.t(r, "value.messenger."+kind), Value: f.Get("messenger_" + kind)})
	}
	if id := optionalInt(f.Get("company_id")); id != nil {
		if co, err := u.app.Company(ctx, *id); err == nil {
			x.CompanyName = co.Name
		}
	}
	if dups != nil {
		for _, d := range dups.Contacts {
			detail := firstOf(d.Emails)
			if len(d.Phones) > 0 {
				detail = strings.TrimPrefix(phoneTexts(d.Phones)[0]+" · "+detail, " · ")
			}
			x.Duplicates = append(x.Duplicates, duplicateLine{Href: "/contacts/" + strconv.FormatInt(d.ID, 10), Name: d.FullName(),
				Detail: strings.TrimSuffix(detail, " · ")})
		}
	}
	data := &formPage{Form: f, Title: u.t(r, title), Back: back, BackLabel: "contact.title", Extra: x}
	if c != nil {
		data.BackLabel = "common.back_to_card"
	}
	u.render(w, r, status, "contact_form.html", u.newView(r, title, "contacts", data))
}

// readContactForm parses the posted contact. An empty company makes a private person.
func readContactForm(r *http.Request, f *form) app.ContactInput {
	f.fromRequest(r)
	in := app.ContactInput{LastName: f.Get("last_name"), FirstName: f.Get("first_name"), MiddleName: f.Get("middle_name"),
		CompanyID: optionalInt(f.Get("company_id")), Position: f.Get("position"), IsDecisionMaker: f.Get("is_decision_maker") != "",
		Type: f.Get("type"), Role: f.Get("role"), Phones: formRows(f, "phones"), Emails: formRows(f, "emails"),
		DoNotContact: f.All("do_not_contact"), PostalAddress: f.Get("postal_address"),
		ResponsibleID: optionalInt(f.Get("responsible_id")), Tags: splitTags(f.Get("tags")), Notes: f.Get("notes"),
		AllowDuplicate: f.Get("allow_duplicate") != ""}
	in.Messengers = []crm.Messenger{}
	for _, kind := range crm.MessengerKinds {
		for _, h := range splitTags(f.Get("messenger_" + kind)) {
			in.Messengers = append(in.Messengers, crm.Messenger{Kind: kind, Handle: h})
		}
	}
	if in.DoNotContact == nil {
		in.DoNotContact = []string{}
	}
	in.DirectorateID, _ = strconv.ParseInt(f.Get("directorate_id"), 10, 64)
	return in
}

func (u *UI) contactCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/contacts/new", "/contacts")
	f.New = true
	in := readContactForm(r, f)
	in.Attributes = u.parseAttributes(r, crm.EntityContact)
	var dup *crm.DuplicateError
	save := formSave{form: f, fields: append(contactFields, u.customFieldErrorKeys(r, crm.EntityContact)...), toast: "toast.created",
		list: "/contacts", show: func(status int) { u.contactForm(w, r, status, f, nil, in.Attributes, dup) }}
	u.finishSave(w, r, save, true, func() (int64, error) {
		c, err := u.app.CreateContact(r.Context(), in)
		if errors.As(err, &dup) {
			f.Values.Del("allow_duplicate")
		}
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	})
}

func (u *UI) contactUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.Contact)
	if !ok {
		return
	}
	base := "/contacts/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in := readContactForm(r, f)
	attrs := u.parseAttributes(r, crm.EntityContact)
	save := formSave{form: f, fields: append(contactFields, u.customFieldErrorKeys(r, crm.EntityContact)...), toast: "toast.saved",
		list: "/contacts", show: func(status int) { u.contactForm(w, r, status, f, cur, attrs, nil) }}
	u.finishSave(w, r, save, true, func() (int64, error) {
		company, resp := in.CompanyID, in.ResponsibleID
		_, err := u.app.UpdateContact(r.Context(), id, app.ContactPatch{Version: f.Version, LastName: &in.LastName,
			FirstName: &in.FirstName, MiddleName: &in.MiddleName, CompanyID: &company, Position: &in.Position,
			IsDecisionMaker: &in.IsDecisionMaker, Type: &in.Type, Role: &in.Role, Phones: &in.Phones, Emails: &in.Emails,
			Messengers: &in.Messengers, DoNotContact: &in.DoNotContact, PostalAddress: &in.PostalAddress, ResponsibleID: &resp,
			DirectorateID: &in.DirectorateID, Tags: &in.Tags, Attributes: attrs, Notes: &in.Notes})
		return id, err
	})
}

func (u *UI) contactDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/contacts", func(id, version int64) error { return u.app.DeleteContact(r.Context(), id, version) })
}

func (u *UI) contactRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/contacts", func(id int64) error { return u.app.RestoreContact(r.Context(), id) })
}
