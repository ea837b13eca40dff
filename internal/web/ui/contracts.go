package ui

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Contracts (Договоры): list with the income and paid totals of the current filter (R39),
// card with payments, form (prefilled from a won deal, R38).

var contractList = register(&listDef{
	Name: "contracts", Path: "/contracts", Entity: crm.EntityContract, Search: true, SearchHint: "contracts.search_hint",
	Columns: []colDef{
		{Key: "number", Label: "field.contract.number", Sort: "number", Fixed: true},
		{Key: "date", Label: "field.contract.date", Sort: "date", Default: true},
		{Key: "company", Label: "field.contract.company_id", Default: true},
		{Key: "status", Label: "field.status", Sort: "status", Default: true},
		{Key: "amount", Label: "field.contract.amount", Sort: "amount", Default: true, Num: true},
		{Key: "paid", Label: "field.contract.paid", Default: true, Num: true},
		{Key: "deal", Label: "field.contract.deal_id"},
		{Key: "responsible", Label: "field.responsible_id", Default: true},
		{Key: "directorate", Label: "field.directorate_id"},
		{Key: "signed_at", Label: "field.contract.signed_at"},
		{Key: "created_at", Label: "field.created_at", Sort: "created_at"},
		{Key: "updated_at", Label: "field.updated_at", Sort: "updated_at"},
	},
	Filters:     []string{"status", "responsible", "directorate", "company", "date_from", "date_to"},
	DefaultSort: "date", DefaultDesc: true,
})

func init() { contractList.Rows = (*UI).contractRows }

var contractStatuses = []crm.ContractStatus{crm.ContractDraft, crm.ContractSigned, crm.ContractCompleted, crm.ContractCancelled}

func contractStatusColour(s crm.ContractStatus) string {
	switch s {
	case crm.ContractSigned:
		return "green"
	case crm.ContractCompleted:
		return "teal"
	case crm.ContractCancelled:
		return "red"
	}
	return "secondary"
}

func (u *UI) contractStatusOptions(r *http.Request) []option {
	out := make([]option, 0, len(contractStatuses))
	for _, s := range contractStatuses {
		out = append(out, option{Value: string(s), Label: u.t(r, "contract.status."+string(s))})
	}
	return out
}

// contractListExtra is what the contract list shows besides the table: its own filter inputs
// and the totals of the filter.
type contractListExtra struct {
	DateFrom, DateTo string
	CompanyName      string
	Income, Paid     int64
	Currency         string
}

func contractFilterOf(s *listState) crm.ContractFilter {
	f := crm.ContractFilter{Q: s.Q, Status: crm.ContractStatus(s.Filter("status")), ResponsibleID: s.Int("responsible"),
		DirectorateID: s.Int("directorate"), CompanyID: s.Int("company"), Deleted: s.Deleted}
	if d, err := crm.ParseDate(s.Filter("date_from")); err == nil {
		f.DateFrom = &d
	} else {
		s.Filters.Del("date_from")
	}
	if d, err := crm.ParseDate(s.Filter("date_to")); err == nil {
		f.DateTo = &d
	} else {
		s.Filters.Del("date_to")
	}
	return f
}

// contractRows loads one page of contracts and the totals of the whole filter.
func (u *UI) contractRows(r *http.Request, s *listState) error {
	ctx := r.Context()
	lang := u.lang(r)
	s.selectFilter("status", u.t(r, "field.status"), u.contractStatusOptions(r))
	u.userFilter(ctx, s, "responsible", u.t(r, "field.responsible_id"))
	s.selectFilter("directorate", u.t(r, "field.directorate_id"), u.directorateOptions(ctx))
	f := contractFilterOf(s)
	f.Page = s.Page()
	page, err := u.app.ListContracts(ctx, f)
	if err != nil {
		return err
	}
	totals, err := u.app.Income(ctx, f)
	if err != nil {
		return err
	}
	people := u.lookup(ctx)
	var companyIDs []int64
	resp := make([]*int64, 0, len(page.Items))
	for _, c := range page.Items {
		companyIDs = append(companyIDs, c.CompanyID)
		resp = append(resp, c.ResponsibleID)
	}
	people.prefetchUsers(resp...)
	if f.CompanyID != 0 {
		companyIDs = append(companyIDs, f.CompanyID)
	}
	companies, _, err := u.app.PartyNames(ctx, companyIDs, nil)
	if err != nil {
		return err
	}
	loc := userLocation(ctx)
	for _, c := range page.Items {
		href := "/contracts/" + strconv.FormatInt(c.ID, 10)
		company := c.CompanyID
		rw := row{ID: c.ID, Href: href, Cells: map[string]cell{
			"number":      {Text: c.Number, Href: href},
			"date":        {Text: formatDay(lang, c.Date.Time)},
			"company":     partyCell("/companies/", &company, companies),
			"status":      {Text: u.t(r, "contract.status."+string(c.Status)), Badge: contractStatusColour(c.Status)},
			"amount":      {Text: formatMoney(lang, c.Amount, c.Currency)},
			"paid":        {Text: formatMoney(lang, c.Paid, c.Currency)},
			"responsible": {Text: people.userName(c.ResponsibleID)},
			"directorate": {Text: people.directorateName(c.DirectorateOf())},
			"created_at":  {Text: formatDateTime(lang, c.CreatedAt, loc), Muted: true},
			"updated_at":  {Text: formatDateTime(lang, c.UpdatedAt, loc), Muted: true},
		}}
		if c.DealID != nil {
			rw.Cells["deal"] = cell{Text: "#" + formatID(*c.DealID), Href: "/deals/" + formatID(*c.DealID)}
		}
		if c.SignedAt != nil {
			rw.Cells["signed_at"] = cell{Text: formatDateTime(lang, *c.SignedAt, loc), Muted: true}
		}
		if s.Deleted {
			rw.RestoreURL = href + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "contracts.empty"
	if u.app.Allowed(ctx, app.ActCreate, crm.EntityContract) {
		s.NewURL, s.NewLabel = "/contracts/new", "contracts.new"
	}
	s.Extra = contractListExtra{DateFrom: s.Filter("date_from"), DateTo: s.Filter("date_to"), CompanyName: companies[f.CompanyID],
		Income: totals.Income, Paid: totals.Paid, Currency: crm.BaseCurrency}
	return nil
}

// contractList draws the list; an htmx filter change redraws the table and, out of band, the
// totals above it, so the totals always belong to the rows shown.
func (u *UI) contractList(w http.ResponseWriter, r *http.Request) {
	s := u.parseList(r, contractList)
	if err := u.contractRows(r, s); err != nil {
		u.fail(w, r, err)
		return
	}
	v := u.newView(r, "contracts.title", "contracts", s)
	if isHTMX(r) && r.Header.Get("HX-History-Restore-Request") != "true" && r.Header.Get("HX-Target") == "list-region" {
		t, err := u.tmpl.lookup(v.Lang, "contract_list.html")
		var buf bytes.Buffer
		if err == nil {
			err = t.ExecuteTemplate(&buf, "list-region", v)
		}
		if err == nil {
			err = t.ExecuteTemplate(&buf, "contract_totals_oob", v)
		}
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, t := range v.Toasts {
			triggerToast(w, t)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
		return
	}
	u.render(w, r, http.StatusOK, "contract_list.html", v)
}

// contractCardData is what the contract card shows besides its properties.
type contractCardData struct {
	Contract *crm.Contract
	Payments []paymentView
	CanEdit  bool
	Form     *form // the payment form, with its errors after a refused payment
	Due      int64 // amount − paid, when positive
}

type paymentView struct {
	ID     int64
	PaidOn string
	Amount int64
	Note   string
}

func (u *UI) contractCard(w http.ResponseWriter, r *http.Request) {
	u.showContract(w, r, http.StatusOK, nil)
}

// showContract draws the card; pf is the payment form after a refused payment.
func (u *UI) showContract(w http.ResponseWriter, r *http.Request, status int, pf *form) {
	id, c, ok := pathRecord(u, w, r, u.app.Contract)
	if !ok {
		return
	}
	ctx := r.Context()
	lang := u.lang(r)
	loc := userLocation(ctx)
	base := "/contracts/" + strconv.FormatInt(id, 10)
	people := u.lookup(ctx)
	people.prefetchUsers(c.ResponsibleID, c.CreatedBy, c.UpdatedBy)
	companies, _, err := u.app.PartyNames(ctx, []int64{c.CompanyID}, nil)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	cd := card{Title: u.t(r, "contracts.card_title", "Number", c.Number, "Date", formatDay(lang, c.Date.Time)),
		Badge: u.t(r, "contract.status."+string(c.Status)), BadgeCol: contractStatusColour(c.Status), Deleted: c.Deleted()}
	cd.Tabs, cd.Tab = u.cardTabs(r, base)
	extra := &contractCardData{Contract: c, Form: pf}
	if extra.Form == nil {
		extra.Form = newForm(base+"/payments", base)
		extra.Form.Values.Set("paid_on", time.Now().In(loc).Format(time.DateOnly))
	}
	if c.Deleted() {
		if u.app.Allowed(ctx, app.ActRestore, crm.EntityContract) {
			cd.Restore = &recordAction{URL: base + "/restore"}
		}
	} else if u.app.CanEditContract(ctx, c) {
		cd.EditURL = base + "/edit"
		cd.Delete = &recordAction{URL: base + "/delete", Version: c.Version, Confirm: u.t(r, "contracts.delete_confirm", "Number", c.Number)}
		extra.CanEdit = true
	}
	for _, p := range c.Payments {
		extra.Payments = append(extra.Payments, paymentView{ID: p.ID, PaidOn: formatDay(lang, p.PaidOn.Time), Amount: p.Amount, Note: p.Note})
	}
	if c.Amount > c.Paid {
		extra.Due = c.Amount - c.Paid
	}
	company := c.CompanyID
	comp := partyCell("/companies/", &company, companies)
	props := []prop{
		{Label: u.t(r, "field.contract.company_id"), Value: comp.Text, Href: comp.Href},
		{Label: u.t(r, "field.contract.date"), Value: formatDay(lang, c.Date.Time)},
		{Label: u.t(r, "field.contract.amount"), Value: formatMoney(lang, c.Amount, c.Currency)},
		{Label: u.t(r, "field.contract.paid"), Value: formatMoney(lang, c.Paid, c.Currency)},
	}
	if c.DealID != nil {
		name := "#" + formatID(*c.DealID)
		if d, err := u.app.Deal(ctx, *c.DealID); err == nil {
			name = d.Name
		}
		props = append(props, prop{Label: u.t(r, "field.contract.deal_id"), Value: name, Href: "/deals/" + formatID(*c.DealID)})
	}
	if c.TopicID != nil {
		if t, err := u.app.Topic(ctx, *c.TopicID); err == nil {
			props = append(props, prop{Label: u.t(r, "field.contract.topic_id"), Value: t.Label(lang)})
		}
	}
	if c.SignedAt != nil {
		props = append(props, prop{Label: u.t(r, "field.contract.signed_at"), Value: formatDateTime(lang, *c.SignedAt, loc)})
	}
	props = append(props,
		prop{Label: u.t(r, "field.responsible_id"), Value: people.userName(c.ResponsibleID)},
		prop{Label: u.t(r, "field.directorate_id"), Value: people.directorateName(c.DirectorateOf())})
	props = append(props, u.stampProps(r, people, c.Meta)...)
	data := &cardPage{Card: cd, Back: "/contracts", BackLabel: "contracts.title", Notes: c.Description, Props: props, Extra: extra}
	if status != http.StatusOK {
		u.render(w, r, status, "contract_card.html", u.newView(r, "", "contracts", data))
		return
	}
	u.showCard(w, r, "contract_card.html", "contracts", crm.EntityContract, id, data)
}

// paymentAdd records a payment from the card's form.
func (u *UI) paymentAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	base := "/contracts/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/payments", base)
	f.fromRequest(r)
	p := crm.Payment{Note: f.Get("note")}
	if d, err := crm.ParseDate(f.Get("paid_on")); err == nil {
		p.PaidOn = d
	} else {
		f.Errors["paid_on"] = "err.date_format"
	}
	if amount, good := parseMoney(f.Get("amount")); good && amount > 0 {
		p.Amount = amount
	} else {
		f.Errors["amount"] = "contract.err_payment_amount"
	}
	if len(f.Errors) == 0 {
		_, err := u.app.AddPayment(r.Context(), id, p)
		if err == nil {
			u.flash(r, "success", "contracts.payment_added")
			redirect(w, r, base)
			return
		}
		if !f.absorb(err, "paid_on", "amount", "note") {
			u.fail(w, r, err)
			return
		}
	}
	u.showContract(w, r, formStatus(crm.Problems(f.Errors).Err()), f)
}

func (u *UI) paymentDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	pid, err := strconv.ParseInt(r.PathValue("payment"), 10, 64)
	if !ok || err != nil {
		u.notFound(w, r)
		return
	}
	if err := u.app.DeletePayment(r.Context(), id, pid); err != nil {
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "contracts.payment_deleted")
	redirect(w, r, "/contracts/"+strconv.FormatInt(id, 10))
}

func (u *UI) contractDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/contracts", func(id, version int64) error { return u.app.DeleteContract(r.Context(), id, version) })
}

func (u *UI) contractRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/contracts", func(id int64) error { return u.app.RestoreContract(r.Context(), id) })
}

// The contract form.

var contractFields = []string{"number", "date", "company_id", "deal_id", "amount", "status", "signed_at",
	"responsible_id", "directorate_id", "description", "topic_id"}

type contractFormData struct {
	Statuses     []option
	Users        []option
	Directorates []option
	CompanyName  string
	DealName     string
	Record       *crm.Contract
}

func (u *UI) contractNew(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !u.app.Allowed(ctx, app.ActCreate, crm.EntityContract) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/contracts/new", "/contracts")
	f.New = true
	loc := userLocation(ctx)
	f.Values.Set("date", time.Now().In(loc).Format(time.DateOnly))
	f.Values.Set("status", string(crm.ContractDraft))
	if err := u.presetPlacement(ctx, f); err != nil {
		u.fail(w, r, err)
		return
	}
	// «Создать договор» of a won deal (R38): the deal's company, amount, directorate.
	if dealID := optionalInt(r.URL.Query().Get("deal")); dealID != nil {
		d, err := u.app.Deal(ctx, *dealID)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		f.Values.Set("deal_id", formatID(d.ID))
		if d.CompanyID != nil {
			f.Values.Set("company_id", formatID(*d.CompanyID))
		}
		f.Values.Set("amount", moneyInput(d.Amount))
		if d.DirectorateID != nil {
			f.Values.Set("directorate_id", formatID(*d.DirectorateID))
		}
		if d.ResponsibleID != nil {
			f.Values.Set("responsible_id", formatID(*d.ResponsibleID))
		}
		if d.Status == crm.DealWon {
			f.Values.Set("status", string(crm.ContractSigned))
		}
	} else if companyID := optionalInt(r.URL.Query().Get("company")); companyID != nil {
		f.Values.Set("company_id", formatID(*companyID))
	}
	u.contractForm(w, r, http.StatusOK, f, nil)
}

func (u *UI) contractEdit(w http.ResponseWriter, r *http.Request) {
	id, c, ok := pathRecord(u, w, r, u.app.Contract)
	if !ok {
		return
	}
	if c.Deleted() || !u.app.CanEditContract(r.Context(), c) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/contracts/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	f.Version = c.Version
	v := f.Values
	v.Set("number", c.Number)
	v.Set("date", c.Date.String())
	v.Set("company_id", formatID(c.CompanyID))
	if c.DealID != nil {
		v.Set("deal_id", formatID(*c.DealID))
	}
	v.Set("amount", moneyInput(c.Amount))
	v.Set("status", string(c.Status))
	if c.SignedAt != nil {
		v.Set("signed_at", c.SignedAt.In(userLocation(r.Context())).Format(time.DateOnly))
	}
	if c.ResponsibleID != nil {
		v.Set("responsible_id", formatID(*c.ResponsibleID))
	}
	v.Set("directorate_id", formatID(c.DirectorateOf()))
	v.Set("description", c.Description)
	u.contractForm(w, r, http.StatusOK, f, c)
}

func (u *UI) contractForm(w http.ResponseWriter, r *http.Request, status int, f *form, c *crm.Contract) {
	ctx := r.Context()
	x := contractFormData{Statuses: u.contractStatusOptions(r), Record: c}
	choices, err := u.app.DirectorateChoices(ctx, 0)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, d := range choices {
		x.Directorates = append(x.Directorates, option{Value: formatID(d.ID), Label: d.Name})
	}
	if len(x.Directorates) == 0 {
		x.Directorates = append(x.Directorates, option{Value: "", Label: u.t(r, "projects.no_directorate")})
	}
	names := u.lookup(ctx)
	if c != nil && c.DirectorateID != nil {
		x.Directorates = ensureOption(x.Directorates, formatID(*c.DirectorateID), names.directorateName(*c.DirectorateID))
	}
	x.Users = append([]option{{Value: "", Label: "—"}}, u.userOptions(ctx)...)
	if c != nil && c.ResponsibleID != nil {
		x.Users = ensureOption(x.Users, formatID(*c.ResponsibleID), names.userName(c.ResponsibleID))
	}
	if id := optionalInt(f.Get("company_id")); id != nil {
		if companies, _, err := u.app.PartyNames(ctx, []int64{*id}, nil); err == nil {
			x.CompanyName = companies[*id]
		}
	}
	if id := optionalInt(f.Get("deal_id")); id != nil {
		if d, err := u.app.Deal(ctx, *id); err == nil {
			x.DealName = d.Name
		}
	}
	title, back := "contracts.new", "/contracts"
	if c != nil {
		title, back = "contracts.edit", "/contracts/"+strconv.FormatInt(c.ID, 10)
	}
	data := &formPage{Form: f, Title: u.t(r, title), Back: back, BackLabel: "contracts.title", Extra: x}
	if c != nil {
		data.BackLabel = "common.back_to_card"
	}
	u.render(w, r, status, "contract_form.html", u.newView(r, title, "contracts", data))
}

// readContractForm parses the posted contract; the signing day is a day in the user's zone.
func readContractForm(r *http.Request, f *form) (in app.ContractInput, ok bool) {
	f.fromRequest(r)
	in = app.ContractInput{Number: strings.TrimSpace(f.Get("number")), DealID: optionalInt(f.Get("deal_id")),
		Status: crm.ContractStatus(f.Get("status")), ResponsibleID: optionalInt(f.Get("responsible_id")),
		Description: f.Get("description"), Currency: crm.BaseCurrency}
	in.CompanyID, _ = strconv.ParseInt(f.Get("company_id"), 10, 64)
	in.DirectorateID, _ = strconv.ParseInt(f.Get("directorate_id"), 10, 64)
	if d, err := crm.ParseDate(f.Get("date")); err == nil {
		in.Date = d
	} else if strings.TrimSpace(f.Get("date")) != "" {
		f.Errors["date"] = "err.date_format"
	}
	if amount, good := parseMoney(f.Get("amount")); good && amount >= 0 {
		in.Amount = amount
	} else {
		f.Errors["amount"] = "err.number_format"
	}
	if v := strings.TrimSpace(f.Get("signed_at")); v != "" {
		if d, err := time.ParseInLocation(time.DateOnly, v, userLocation(r.Context())); err == nil {
			t := d.UTC()
			in.SignedAt = &t
		} else {
			f.Errors["signed_at"] = "err.date_format"
		}
	}
	return in, len(f.Errors) == 0
}

func (u *UI) contractCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/contracts/new", "/contracts")
	f.New = true
	in, ok := readContractForm(r, f)
	u.finishSave(w, r, u.contractSave(w, r, f, nil, "toast.created"), ok, func() (int64, error) {
		c, err := u.app.CreateContract(r.Context(), in)
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	})
}

func (u *UI) contractUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.Contract)
	if !ok {
		return
	}
	base := "/contracts/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in, ok := readContractForm(r, f)
	u.finishSave(w, r, u.contractSave(w, r, f, cur, "toast.saved"), ok, func() (int64, error) {
		deal, resp, signed := in.DealID, in.ResponsibleID, in.SignedAt
		pt := app.ContractPatch{Version: f.Version, Number: &in.Number, Date: &in.Date, CompanyID: &in.CompanyID,
			DealID: &deal, Amount: &in.Amount, Status: &in.Status, SignedAt: &signed, ResponsibleID: &resp,
			DirectorateID: &in.DirectorateID, Description: &in.Description}
		loc := userLocation(r.Context())
		if in.SignedAt != nil && cur.SignedAt != nil && in.SignedAt.Equal(dayStart(*cur.SignedAt, loc)) {
			// The form shows the day only: an unchanged day keeps the stored time of signing.
			keep := cur.SignedAt
			pt.SignedAt = &keep
		}
		_, err := u.app.UpdateContract(r.Context(), id, pt)
		return id, err
	})
}

func (u *UI) contractSave(w http.ResponseWriter, r *http.Request, f *form, cur *crm.Contract, toast string) formSave {
	return formSave{form: f, fields: contractFields, toast: toast, list: "/contracts",
		show: func(status int) { u.contractForm(w, r, status, f, cur) }}
}

// dayStart is the start of t's day in loc, as the form's day input reads back.
func dayStart(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
