package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// The deal form: parties through the pickers, topic and stage, money typed in roubles and
// read exactly, lines as editable rows, tags, custom fields.

var dealFields = []string{"name", "company_id", "contact_id", "topic_id", "stage_id", "loss_reason", "amount",
	"probability", "expected_close", "type", "responsible_id", "directorate_id", "product_id", "tags", "description", "lines"}

// dealFormData is what the deal form needs besides the form state.
type dealFormData struct {
	Topics       []option
	Stages       []stageOption
	Reasons      []option
	Types        []option
	Users        []option
	Directorates []option
	Products     []option
	Lines        []dealLineInput
	CompanyName  string
	ContactName  string
	CustomFields any // template.HTML of the custom field inputs
	Record       *crm.Deal
}

// stageOption is a stage of some topic: the form shows those of the chosen topic.
type stageOption struct {
	Value    string
	Label    string
	Topic    string
	Kind     string
	Selected bool
}

// dealLineInput is one editable line row as typed.
type dealLineInput struct {
	Product     string
	Description string
	Quantity    string
	Price       string
}

func (u *UI) dealNew(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !u.app.Allowed(ctx, app.ActCreate, crm.EntityDeal) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/deals/new", "/deals")
	f.New = true
	q := r.URL.Query()
	for _, k := range []string{"company_id", "contact_id", "topic_id"} {
		if id := optionalInt(q.Get(k)); id != nil {
			f.Values.Set(k, formatID(*id))
		}
	}
	if err := u.presetPlacement(ctx, f); err != nil {
		u.fail(w, r, err)
		return
	}
	u.dealForm(w, r, http.StatusOK, f, nil)
}

func (u *UI) dealEdit(w http.ResponseWriter, r *http.Request) {
	id, d, ok := pathRecord(u, w, r, u.app.Deal)
	if !ok {
		return
	}
	if d.Deleted() || !u.app.CanEditDeal(r.Context(), d) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/deals/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	f.Version = d.Version
	v := f.Values
	v.Set("name", d.Name)
	setID := func(k string, id *int64) {
		if id != nil {
			v.Set(k, formatID(*id))
		}
	}
	setID("company_id", d.CompanyID)
	setID("contact_id", d.ContactID)
	setID("responsible_id", d.ResponsibleID)
	setID("product_id", d.ProductID)
	v.Set("topic_id", formatID(d.TopicID))
	v.Set("stage_id", formatID(d.StageID))
	v.Set("loss_reason", d.LossReason)
	v.Set("amount", moneyInput(d.Amount))
	if d.ProbabilityManual {
		v.Set("probability", strconv.Itoa(d.Probability))
	}
	if d.ExpectedClose != nil {
		v.Set("expected_close", d.ExpectedClose.String())
	}
	v.Set("type", d.Type)
	v.Set("directorate_id", formatID(d.DirectorateOf()))
	v.Set("tags", strings.Join(d.Tags, ", "))
	v.Set("description", d.Description)
	for _, l := range d.Lines {
		prod := ""
		if l.ProductID != nil {
			prod = formatID(*l.ProductID)
		}
		v.Add("line_product", prod)
		v.Add("line_description", l.Description)
		v.Add("line_quantity", strconv.FormatInt(l.Quantity, 10))
		v.Add("line_price", moneyInput(l.Price))
	}
	u.dealForm(w, r, http.StatusOK, f, d)
}

func (u *UI) dealForm(w http.ResponseWriter, r *http.Request, status int, f *form, d *crm.Deal) {
	ctx := r.Context()
	lang := u.lang(r)
	topics, err := u.app.ActiveTopics(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	topicID, _ := strconv.ParseInt(f.Get("topic_id"), 10, 64)
	if topicID == 0 && len(topics) > 0 {
		topicID = topics[0].ID
		f.Values.Set("topic_id", formatID(topicID))
	}
	x := dealFormData{Topics: u.topicOptions(r, topicID), Record: d,
		Reasons: u.choiceOptions(r, crm.ListLossReason, f.Get("loss_reason")),
		Types:   u.choiceOptions(r, crm.ListDealType, f.Get("type"))}
	if d != nil && u.topicMissing(topics, d.TopicID) {
		// An inactive topic's stages are still the deal's to choose from.
		if t, err := u.app.Topic(ctx, d.TopicID); err == nil {
			topics = append(topics, *t)
		}
	}
	for _, t := range topics {
		for _, st := range t.Stages {
			x.Stages = append(x.Stages, stageOption{Value: formatID(st.ID), Label: st.Name(lang), Topic: formatID(t.ID),
				Kind: string(st.Kind), Selected: formatID(st.ID) == f.Get("stage_id")})
		}
	}
	choices, err := u.app.DirectorateChoices(ctx, 0)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, dir := range choices {
		x.Directorates = append(x.Directorates, option{Value: formatID(dir.ID), Label: dir.Name})
	}
	if len(x.Directorates) == 0 {
		x.Directorates = append(x.Directorates, option{Value: "", Label: u.t(r, "projects.no_directorate")})
	}
	names := u.lookup(ctx)
	if d != nil && d.DirectorateID != nil {
		x.Directorates = ensureOption(x.Directorates, formatID(*d.DirectorateID), names.directorateName(*d.DirectorateID))
	}
	x.Users = append([]option{{Value: "", Label: "—"}}, u.userOptions(ctx)...)
	if d != nil && d.ResponsibleID != nil {
		x.Users = ensureOption(x.Users, formatID(*d.ResponsibleID), names.userName(d.ResponsibleID))
	}
	products := u.productNames(ctx)
	x.Products = []option{{Value: "", Label: "—"}}
	if list, err := u.app.ProductChoices(ctx, 0); err == nil {
		for _, p := range list {
			x.Products = append(x.Products, option{Value: formatID(p.ID), Label: p.Name})
		}
	}
	if d != nil && d.ProductID != nil {
		x.Products = ensureOption(x.Products, formatID(*d.ProductID), products.name(*d.ProductID))
	}
	prods, descs, qtys, prices := f.All("line_product"), f.All("line_description"), f.All("line_quantity"), f.All("line_price")
	for i := range descs {
		l := dealLineInput{Description: descs[i]}
		if i < len(prods) {
			l.Product = prods[i]
			if id := optionalInt(l.Product); id != nil {
				x.Products = ensureOption(x.Products, l.Product, products.name(*id))
			}
		}
		if i < len(qtys) {
			l.Quantity = qtys[i]
		}
		if i < len(prices) {
			l.Price = prices[i]
		}
		x.Lines = append(x.Lines, l)
	}
	companies, contacts, err := u.app.PartyNames(ctx, ptrIDs(optionalInt(f.Get("company_id"))), ptrIDs(optionalInt(f.Get("contact_id"))))
	if err == nil {
		if id := optionalInt(f.Get("company_id")); id != nil {
			x.CompanyName = companies[*id]
		}
		if id := optionalInt(f.Get("contact_id")); id != nil {
			x.ContactName = contacts[*id]
		}
	}
	var attrs crm.Attributes
	if d != nil {
		attrs = d.Attributes
	}
	if f.Values.Has("version") || len(f.Errors) > 0 {
		attrs = mergeAttrs(attrs, u.parseAttributes(r, crm.EntityDeal))
	}
	x.CustomFields = u.customFieldInputs(r, crm.EntityDeal, attrs, f.Errors)
	title, back := "deals.new", "/deals"
	if d != nil {
		title, back = "deals.edit", "/deals/"+strconv.FormatInt(d.ID, 10)
	}
	data := &formPage{Form: f, Title: u.t(r, title), Back: back, BackLabel: "deals.title", Extra: x}
	if d != nil {
		data.BackLabel = "common.back_to_card"
	}
	u.render(w, r, status, "deal_form.html", u.newView(r, title, "deals", data))
}

func (u *UI) topicMissing(topics []crm.Topic, id int64) bool {
	for _, t := range topics {
		if t.ID == id {
			return false
		}
	}
	return true
}

// mergeAttrs lays typed values over stored ones, so a form shown again keeps what was typed.
func mergeAttrs(stored, typed crm.Attributes) crm.Attributes {
	out := crm.Attributes{}
	for k, v := range stored {
		out[k] = v
	}
	for k, v := range typed {
		out[k] = v
	}
	return out
}

// readDealForm parses the posted deal; values of the wrong shape (money, dates, numbers) come
// back as field errors before the app sees anything.
func (u *UI) readDealForm(r *http.Request, f *form) (in app.DealInput, ok bool) {
	f.fromRequest(r)
	in = app.DealInput{Name: strings.TrimSpace(f.Get("name")), CompanyID: optionalInt(f.Get("company_id")),
		ContactID: optionalInt(f.Get("contact_id")), ResponsibleID: optionalInt(f.Get("responsible_id")),
		ProductID: optionalInt(f.Get("product_id")), Type: f.Get("type"), LossReason: f.Get("loss_reason"),
		Description: f.Get("description"), Currency: crm.BaseCurrency}
	in.TopicID, _ = strconv.ParseInt(f.Get("topic_id"), 10, 64)
	in.StageID, _ = strconv.ParseInt(f.Get("stage_id"), 10, 64)
	in.DirectorateID, _ = strconv.ParseInt(f.Get("directorate_id"), 10, 64)
	if amount, good := parseMoney(f.Get("amount")); good && amount >= 0 {
		in.Amount = amount
	} else {
		f.Errors["amount"] = "err.number_format"
	}
	if p := strings.TrimSpace(f.Get("probability")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 100 {
			f.Errors["probability"] = "err.range"
		} else {
			in.Probability = &n
		}
	}
	if v := strings.TrimSpace(f.Get("expected_close")); v != "" {
		if d, err := crm.ParseDate(v); err == nil {
			in.ExpectedClose = &d
		} else {
			f.Errors["expected_close"] = "err.date_format"
		}
	}
	for _, t := range strings.Split(f.Get("tags"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			in.Tags = append(in.Tags, t)
		}
	}
	in.Lines = readDealLines(f)
	in.Attributes = u.parseAttributes(r, crm.EntityDeal)
	return in, len(f.Errors) == 0
}

// readDealLines reads the line rows; an entirely empty row is a row the user did not fill.
func readDealLines(f *form) []crm.DealLine {
	prods, descs, qtys, prices := f.All("line_product"), f.All("line_description"), f.All("line_quantity"), f.All("line_price")
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return strings.TrimSpace(xs[i])
		}
		return ""
	}
	lines := []crm.DealLine{}
	for i := 0; i < len(descs) || i < len(prods); i++ {
		prod, desc, qty, price := at(prods, i), at(descs, i), at(qtys, i), at(prices, i)
		if prod == "" && desc == "" && price == "" && (qty == "" || qty == "1") {
			continue
		}
		l := crm.DealLine{ProductID: optionalInt(prod), Description: desc, Quantity: 1}
		if qty != "" {
			n, err := strconv.ParseInt(qty, 10, 64)
			if err != nil || n <= 0 {
				f.Errors["lines"] = "deal.err_line"
			}
			l.Quantity = n
		}
		p, good := parseMoney(price)
		if !good || p < 0 {
			f.Errors["lines"] = "deal.err_line"
		}
		l.Price = p
		lines = append(lines, l)
	}
	return lines
}

func (u *UI) dealCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/deals/new", "/deals")
	f.New = true
	in, ok := u.readDealForm(r, f)
	u.finishSave(w, r, u.dealSave(w, r, f, nil, "toast.created"), ok, func() (int64, error) {
		d, err := u.app.CreateDeal(r.Context(), in)
		if err != nil {
			return 0, err
		}
		return d.ID, nil
	})
}

func (u *UI) dealUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.Deal)
	if !ok {
		return
	}
	base := "/deals/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in, ok := u.readDealForm(r, f)
	u.finishSave(w, r, u.dealSave(w, r, f, cur, "toast.saved"), ok, func() (int64, error) {
		company, contact, resp, product, closeOn := in.CompanyID, in.ContactID, in.ResponsibleID, in.ProductID, in.ExpectedClose
		prob := in.Probability
		pt := app.DealPatch{Version: f.Version, Name: &in.Name, CompanyID: &company, ContactID: &contact, TopicID: &in.TopicID,
			Amount: &in.Amount, Probability: &prob, ExpectedClose: &closeOn, ResponsibleID: &resp, DirectorateID: &in.DirectorateID,
			ProductID: &product, Type: &in.Type, Tags: &in.Tags, Attributes: in.Attributes, Description: &in.Description,
			Lines: &in.Lines}
		if in.StageID != 0 {
			pt.StageID = &in.StageID
		}
		if in.LossReason != "" {
			pt.LossReason = &in.LossReason
		}
		if in.Tags == nil {
			empty := []string{}
			pt.Tags = &empty
		}
		_, err := u.app.UpdateDeal(r.Context(), id, pt)
		return id, err
	})
}

func (u *UI) dealSave(w http.ResponseWriter, r *http.Request, f *form, cur *crm.Deal, toast string) formSave {
	return formSave{form: f, fields: append(append([]string(nil), dealFields...), u.customFieldErrorKeys(r, crm.EntityDeal)...),
		toast: toast, list: "/deals", show: func(status int) { u.dealForm(w, r, status, f, cur) }}
}
