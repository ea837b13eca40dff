package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// registerDeals adds the routes of deals, the kanban, contracts.
func (u *UI) registerDeals(page pageFunc) {
	page("GET /deals", u.dealList)
	page("GET /deals/board", u.dealBoard)
	page("GET /deals/board/column", u.dealBoardColumn)
	page("GET /deals/new", u.dealNew)
	page("POST /deals/new", u.dealCreate)
	page("GET /deals/{id}", u.dealCard)
	page("GET /deals/{id}/edit", u.dealEdit)
	page("POST /deals/{id}/edit", u.dealUpdate)
	page("POST /deals/{id}/move", u.dealMove)
	page("POST /deals/{id}/hold", u.dealHold)
	page("POST /deals/{id}/delete", u.dealDelete)
	page("POST /deals/{id}/restore", u.dealRestore)

	page("GET /contracts", u.contractList)
	page("GET /contracts/new", u.contractNew)
	page("POST /contracts/new", u.contractCreate)
	page("GET /contracts/{id}", u.contractCard)
	page("GET /contracts/{id}/edit", u.contractEdit)
	page("POST /contracts/{id}/edit", u.contractUpdate)
	page("POST /contracts/{id}/delete", u.contractDelete)
	page("POST /contracts/{id}/restore", u.contractRestore)
	page("POST /contracts/{id}/payments", u.paymentAdd)
	page("POST /contracts/{id}/payments/{payment}/delete", u.paymentDelete)
}

var dealList = register(&listDef{
	Name: "deals", Path: "/deals", Entity: crm.EntityDeal, Search: true, SearchHint: "deals.search_hint",
	Columns: []colDef{
		{Key: "name", Label: "field.deal.name", Sort: "name", Fixed: true},
		{Key: "company", Label: "field.deal.company_id", Default: true},
		{Key: "stage", Label: "field.deal.stage_id", Default: true},
		{Key: "status", Label: "field.status", Default: true},
		{Key: "amount", Label: "field.deal.amount", Sort: "amount", Default: true, Num: true},
		{Key: "expected_close", Label: "field.deal.expected_close", Sort: "expected_close", Default: true},
		{Key: "responsible", Label: "field.responsible_id", Default: true},
		{Key: "contact", Label: "field.deal.contact_id"},
		{Key: "topic", Label: "field.deal.topic_id"},
		{Key: "type", Label: "field.deal.type"},
		{Key: "probability", Label: "field.deal.probability", Num: true},
		{Key: "directorate", Label: "field.directorate_id"},
		{Key: "tags", Label: "field.deal.tags"},
		{Key: "stage_entered_at", Label: "field.deal.stage_entered_at", Sort: "stage_entered_at"},
		{Key: "created_at", Label: "field.created_at", Sort: "created_at"},
		{Key: "updated_at", Label: "field.updated_at", Sort: "updated_at"},
	},
	Filters:     []string{"topic", "stage", "status", "type", "responsible", "directorate", "tag", "company", "close_from", "close_to"},
	DefaultSort: "created_at", DefaultDesc: true,
})

func init() { dealList.Rows = (*UI).dealRows }

// dealStatusColour is the badge colour of a deal status.
func dealStatusColour(s crm.DealStatus) string {
	switch s {
	case crm.DealWon:
		return "green"
	case crm.DealLost:
		return "red"
	case crm.DealOnHold:
		return "yellow"
	}
	return "blue"
}

func (u *UI) dealStatusOptions(r *http.Request) []option {
	out := make([]option, 0, 4)
	for _, s := range []crm.DealStatus{crm.DealOpen, crm.DealOnHold, crm.DealWon, crm.DealLost} {
		out = append(out, option{Value: string(s), Label: u.t(r, "deal.status."+string(s))})
	}
	return out
}

// dealLists are the lookups deal screens share in one request: topics with their stages and
// the labels of the deal type and rejection lists.
type dealLists struct {
	topics   []crm.Topic
	stages   map[int64]crm.Stage
	topicOf  map[int64]*crm.Topic
	lang     string
	typeName map[string]string // deal type code → label, deactivated codes included
	reasonOf map[string]string // rejection reason code → label
}

func (u *UI) dealLists(r *http.Request) (*dealLists, error) {
	ctx := r.Context()
	l := &dealLists{stages: map[int64]crm.Stage{}, topicOf: map[int64]*crm.Topic{}, lang: u.lang(r),
		typeName: u.choiceLabels(r, crm.ListDealType), reasonOf: u.choiceLabels(r, crm.ListLossReason)}
	var err error
	if l.topics, err = u.app.ActiveTopics(ctx); err != nil {
		return nil, err
	}
	for i := range l.topics {
		l.addTopic(&l.topics[i])
	}
	return l, nil
}

func (l *dealLists) addTopic(t *crm.Topic) {
	l.topicOf[t.ID] = t
	for _, s := range t.Stages {
		l.stages[s.ID] = s
	}
}

// topic returns a topic by id, reading an inactive one (an old deal's) on demand.
func (l *dealLists) topic(ctx context.Context, a *app.App, id int64) *crm.Topic {
	if t, ok := l.topicOf[id]; ok {
		return t
	}
	t, err := a.Topic(ctx, id)
	if err != nil {
		return nil
	}
	l.addTopic(t)
	return t
}

func (l *dealLists) stageName(id int64) string {
	if s, ok := l.stages[id]; ok {
		return s.Name(l.lang)
	}
	return ""
}

func (l *dealLists) topicName(id int64) string {
	if t, ok := l.topicOf[id]; ok {
		return t.Label(l.lang)
	}
	return ""
}

func (l *dealLists) topicOptions() []option {
	out := make([]option, 0, len(l.topics))
	for _, t := range l.topics {
		out = append(out, option{Value: formatID(t.ID), Label: t.Label(l.lang)})
	}
	return out
}

func choiceOpts(vals []crm.ChoiceValue, lang string, activeOnly bool) []option {
	out := make([]option, 0, len(vals))
	for _, v := range vals {
		if activeOnly && (!v.Active || v.Deleted()) {
			continue
		}
		out = append(out, option{Value: v.Code, Label: v.Label(lang)})
	}
	return out
}

func (u *UI) dealList(w http.ResponseWriter, r *http.Request) {
	s := u.parseList(r, dealList)
	if err := u.dealRows(r, s); err != nil {
		u.fail(w, r, err)
		return
	}
	u.partial(w, r, "deal_list.html", u.newView(r, "deals.title", "deals", s), "list-region")
}

// dealFilterOf reads the deal filters of a list state (the list and the board share them).
func dealFilterOf(s *listState) crm.DealFilter {
	f := crm.DealFilter{Q: s.Q, TopicID: s.Int("topic"), StageID: s.Int("stage"), Status: crm.DealStatus(s.Filter("status")),
		Type: s.Filter("type"), ResponsibleID: s.Int("responsible"), DirectorateID: s.Int("directorate"),
		Tag: s.Filter("tag"), CompanyID: s.Int("company"), Deleted: s.Deleted}
	if d, err := crm.ParseDate(s.Filter("close_from")); err == nil {
		f.CloseFrom = &d
	} else {
		s.Filters.Del("close_from")
	}
	if d, err := crm.ParseDate(s.Filter("close_to")); err == nil {
		f.CloseTo = &d
	} else {
		s.Filters.Del("close_to")
	}
	return f
}

// dealListExtra is what the deal list's own filter inputs show.
type dealListExtra struct {
	CloseFrom, CloseTo, Tag string
	CompanyID               int64
	CompanyName             string
	BoardURL                string
}

// dealRows loads one page of deals for the list state.
func (u *UI) dealRows(r *http.Request, s *listState) error {
	ctx := r.Context()
	lists, err := u.dealLists(r)
	if err != nil {
		return err
	}
	lang := lists.lang
	s.selectFilter("topic", u.t(r, "field.deal.topic_id"), lists.topicOptions())
	var stageOpts []option
	if t := lists.topicOf[s.Int("topic")]; t != nil {
		for _, st := range t.Stages {
			stageOpts = append(stageOpts, option{Value: formatID(st.ID), Label: st.Name(lang)})
		}
	}
	s.selectFilter("stage", u.t(r, "field.deal.stage_id"), stageOpts)
	s.selectFilter("status", u.t(r, "field.status"), u.dealStatusOptions(r))
	s.selectFilter("type", u.t(r, "field.deal.type"), choiceOptsActive(u, r, crm.ListDealType))
	u.userFilter(ctx, s, "responsible", u.t(r, "field.responsible_id"))
	s.selectFilter("directorate", u.t(r, "field.directorate_id"), u.directorateOptions(ctx))
	f := dealFilterOf(s)
	f.Page = s.Page()
	page, err := u.app.ListDeals(ctx, f)
	if err != nil {
		return err
	}
	var companyIDs, contactIDs []int64
	people := u.lookup(ctx)
	resp := make([]*int64, 0, len(page.Items))
	for _, d := range page.Items {
		if d.CompanyID != nil {
			companyIDs = append(companyIDs, *d.CompanyID)
		}
		if d.ContactID != nil {
			contactIDs = append(contactIDs, *d.ContactID)
		}
		resp = append(resp, d.ResponsibleID)
		lists.topic(ctx, u.app, d.TopicID)
	}
	if f.CompanyID != 0 {
		companyIDs = append(companyIDs, f.CompanyID)
	}
	people.prefetchUsers(resp...)
	companies, contacts, err := u.app.PartyNames(ctx, companyIDs, contactIDs)
	if err != nil {
		return err
	}
	loc := userLocation(ctx)
	for _, d := range page.Items {
		href := "/deals/" + strconv.FormatInt(d.ID, 10)
		rw := row{ID: d.ID, Href: href, Cells: map[string]cell{
			"name":             {Text: d.Name, Href: href},
			"company":          partyCell("/companies/", d.CompanyID, companies),
			"contact":          partyCell("/contacts/", d.ContactID, contacts),
			"stage":            {Text: lists.stageName(d.StageID)},
			"topic":            {Text: lists.topicName(d.TopicID)},
			"status":           {Text: u.t(r, "deal.status."+string(d.Status)), Badge: dealStatusColour(d.Status)},
			"amount":           {Text: formatMoney(lang, d.Amount, d.Currency)},
			"expected_close":   {Text: dayText(lang, d.ExpectedClose)},
			"responsible":      {Text: people.userName(d.ResponsibleID)},
			"type":             {Text: lists.typeName[d.Type]},
			"probability":      {Text: strconv.Itoa(d.Probability) + "%"},
			"directorate":      {Text: people.directorateName(d.DirectorateOf())},
			"tags":             {List: d.Tags},
			"stage_entered_at": {Text: formatDateTime(lang, d.StageEnteredAt, loc), Muted: true},
			"created_at":       {Text: formatDateTime(lang, d.CreatedAt, loc), Muted: true},
			"updated_at":       {Text: formatDateTime(lang, d.UpdatedAt, loc), Muted: true},
		}}
		if s.Deleted {
			rw.RestoreURL = href + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "deals.empty"
	if u.app.Allowed(ctx, app.ActCreate, crm.EntityDeal) {
		s.NewURL, s.NewLabel = "/deals/new", "deals.new"
	}
	board := "/deals/board"
	if f.TopicID != 0 {
		board += "?topic=" + formatID(f.TopicID)
	}
	s.Extra = dealListExtra{CloseFrom: s.Filter("close_from"), CloseTo: s.Filter("close_to"), Tag: s.Filter("tag"),
		CompanyID: f.CompanyID, CompanyName: companies[f.CompanyID], BoardURL: board}
	return nil
}

func partyCell(base string, id *int64, names map[int64]string) cell {
	if id == nil {
		return cell{}
	}
	name := names[*id]
	if name == "" {
		name = "#" + formatID(*id)
	}
	return cell{Text: name, Href: base + formatID(*id)}
}

// dealCardData is what the deal card shows besides its properties.
type dealCardData struct {
	Deal      *crm.Deal
	Lines     []dealLineView
	History   []stageChangeView
	Contracts []contractRow
	Stages    []option // the topic's stages, for the move form
	Reasons   []option
	CanEdit   bool
	Won       bool
	Currency  string
	LinesSum  int64
}

type dealLineView struct {
	Product     string
	Description string
	Quantity    int64
	Price       int64
	Amount      int64
}

type stageChangeView struct {
	At   string
	From string
	To   string
	Who  string
}

type contractRow struct {
	Href   string
	Number string
	Date   string
	Status string
	Colour string
	Amount int64
	Paid   int64
}

func (u *UI) dealCard(w http.ResponseWriter, r *http.Request) {
	id, d, ok := pathRecord(u, w, r, u.app.Deal)
	if !ok {
		return
	}
	ctx := r.Context()
	lists, err := u.dealLists(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	lang := lists.lang
	loc := userLocation(ctx)
	base := "/deals/" + strconv.FormatInt(id, 10)
	people := u.lookup(ctx)
	people.prefetchUsers(d.ResponsibleID, d.CreatedBy, d.UpdatedBy)
	topic := lists.topic(ctx, u.app, d.TopicID)
	if d.LostAtStageID != nil {
		// A retired stage is not in the topic any more; the name still shows.
		if _, known := lists.stages[*d.LostAtStageID]; !known {
			if st, err := u.app.Store().StageByID(ctx, *d.LostAtStageID); err == nil {
				lists.stages[st.ID] = *st
			}
		}
	}
	companies, contacts, err := u.app.PartyNames(ctx, ptrIDs(d.CompanyID), ptrIDs(d.ContactID))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	c := card{Title: d.Name, Badge: u.t(r, "deal.status."+string(d.Status)), BadgeCol: dealStatusColour(d.Status), Deleted: d.Deleted(),
		Subtitle: lists.topicName(d.TopicID) + " · " + lists.stageName(d.StageID)}
	c.Tabs, c.Tab = u.cardTabs(r, base)
	extra := &dealCardData{Deal: d, Currency: d.Currency}
	if d.Deleted() {
		if u.app.Allowed(ctx, app.ActRestore, crm.EntityDeal) {
			c.Restore = &recordAction{URL: base + "/restore"}
		}
	} else if u.app.CanEditDeal(ctx, d) {
		c.EditURL = base + "/edit"
		c.Delete = &recordAction{URL: base + "/delete", Version: d.Version, Confirm: u.t(r, "deals.delete_confirm", "Name", d.Name)}
		extra.CanEdit = true
	}
	extra.Won = d.Status == crm.DealWon
	if topic != nil {
		for _, st := range topic.Stages {
			extra.Stages = append(extra.Stages, option{Value: formatID(st.ID) + ":" + string(st.Kind), Label: st.Name(lang),
				Selected: st.ID == d.StageID})
		}
	}
	extra.Reasons = choiceOptsActive(u, r, crm.ListLossReason)
	products := u.productNames(ctx)
	for _, l := range d.Lines {
		name := ""
		if l.ProductID != nil {
			name = products.name(*l.ProductID)
		}
		extra.Lines = append(extra.Lines, dealLineView{Product: name, Description: l.Description, Quantity: l.Quantity, Price: l.Price, Amount: l.Amount})
		extra.LinesSum += l.Amount
	}
	hist, err := u.app.StageHistory(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	by := make([]*int64, 0, len(hist))
	for _, h := range hist {
		by = append(by, h.By)
	}
	people.prefetchUsers(by...)
	for i := len(hist) - 1; i >= 0; i-- { // newest first
		h := hist[i]
		v := stageChangeView{At: formatDateTime(lang, h.At, loc), To: lists.stageNameAny(ctx, u.app, h.ToStageID), Who: people.userName(h.By)}
		if h.FromStageID != nil {
			v.From = lists.stageNameAny(ctx, u.app, *h.FromStageID)
		}
		extra.History = append(extra.History, v)
	}
	contracts, err := u.app.ListContracts(ctx, crm.ContractFilter{DealID: id, Page: crm.PageRequest{Limit: crm.MaxPageSize}})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, k := range contracts.Items {
		extra.Contracts = append(extra.Contracts, contractRow{Href: "/contracts/" + formatID(k.ID), Number: k.Number,
			Date: formatDay(lang, k.Date.Time), Status: u.t(r, "contract.status."+string(k.Status)),
			Colour: contractStatusColour(k.Status), Amount: k.Amount, Paid: k.Paid})
	}
	company, contact := partyCell("/companies/", d.CompanyID, companies), partyCell("/contacts/", d.ContactID, contacts)
	props := []prop{
		{Label: u.t(r, "field.deal.company_id"), Value: company.Text, Href: company.Href},
		{Label: u.t(r, "field.deal.contact_id"), Value: contact.Text, Href: contact.Href},
		{Label: u.t(r, "field.deal.topic_id"), Value: lists.topicName(d.TopicID)},
		{Label: u.t(r, "field.deal.stage_id"), Value: lists.stageName(d.StageID)},
		{Label: u.t(r, "field.deal.amount"), Value: formatMoney(lang, d.Amount, d.Currency)},
		{Label: u.t(r, "field.deal.probability"), Value: u.probabilityText(r, d)},
		{Label: u.t(r, "field.deal.expected_close"), Value: dayText(lang, d.ExpectedClose)},
		{Label: u.t(r, "field.deal.type"), Value: lists.typeName[d.Type]},
		{Label: u.t(r, "field.responsible_id"), Value: people.userName(d.ResponsibleID)},
		{Label: u.t(r, "field.directorate_id"), Value: people.directorateName(d.DirectorateOf())},
	}
	if d.ProductID != nil {
		props = append(props, prop{Label: u.t(r, "field.deal.product_id"), Value: products.name(*d.ProductID)})
	}
	if len(d.Tags) > 0 {
		props = append(props, prop{Label: u.t(r, "field.deal.tags"), Value: strings.Join(d.Tags, ", ")})
	}
	props = append(props, u.customFieldProps(r, crm.EntityDeal, d.Attributes)...)
	if d.Status == crm.DealLost {
		props = append(props, prop{Label: u.t(r, "field.deal.loss_reason"), Value: lists.reasonOf[d.LossReason]})
		if d.LostAtStageID != nil {
			props = append(props, prop{Label: u.t(r, "field.deal.lost_at_stage_id"), Value: lists.stageName(*d.LostAtStageID)})
		}
	}
	if d.ClosedAt != nil {
		props = append(props, prop{Label: u.t(r, "field.deal.closed_at"), Value: formatDateTime(lang, *d.ClosedAt, loc)})
	}
	props = append(props,
		prop{Label: u.t(r, "field.deal.stage_entered_at"), Value: formatDateTime(lang, d.StageEnteredAt, loc)})
	props = append(props, u.stampProps(r, people, d.Meta)...)
	data := &cardPage{Card: c, Back: "/deals", BackLabel: "deals.title", Notes: d.Description, Props: props, Extra: extra}
	u.showCard(w, r, "deal_card.html", "deals", crm.EntityDeal, id, data)
}

func (u *UI) probabilityText(r *http.Request, d *crm.Deal) string {
	s := strconv.Itoa(d.Probability) + "%"
	if d.ProbabilityManual {
		s += " · " + u.t(r, "deal.probability_manual")
	}
	return s
}

func (l *dealLists) stageNameAny(ctx context.Context, a *app.App, id int64) string {
	if n := l.stageName(id); n != "" {
		return n
	}
	if st, err := a.Store().StageByID(ctx, id); err == nil {
		l.stages[st.ID] = *st
		return st.Name(l.lang)
	}
	return "#" + formatID(id)
}

func ptrIDs(ids ...*int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id != nil {
			out = append(out, *id)
		}
	}
	return out
}

// productNames names the products of a page: the live ones the user may pick in one call,
// any other by id.
type productNamer struct {
	u     *UI
	ctx   context.Context
	names map[int64]string
}

func (u *UI) productNames(ctx context.Context) *productNamer {
	p := &productNamer{u: u, ctx: ctx, names: map[int64]string{}}
	if list, err := u.app.ProductChoices(ctx, 0); err == nil {
		for _, pr := range list {
			p.names[pr.ID] = pr.Name
		}
	}
	return p
}

func (p *productNamer) name(id int64) string {
	if n, ok := p.names[id]; ok {
		return n
	}
	n := "#" + formatID(id)
	if pr, err := p.u.app.Product(p.ctx, id); err == nil {
		n = pr.Name
	}
	p.names[id] = n
	return n
}

func (u *UI) dealDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/deals", func(id, version int64) error { return u.app.DeleteDeal(r.Context(), id, version) })
}

func (u *UI) dealRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/deals", func(id int64) error { return u.app.RestoreDeal(r.Context(), id) })
}

// dealHold puts an open deal on hold or resumes it, from the card.
func (u *UI) dealHold(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	hold := r.PostFormValue("hold") == "1"
	card := "/deals/" + strconv.FormatInt(id, 10)
	if _, err := u.app.HoldDeal(r.Context(), id, version, hold); err != nil {
		switch crm.ErrorCode(err) {
		case crm.EConflict:
			u.flash(r, "danger", "err.stale_version")
		case crm.EInvalid:
			u.flash(r, "danger", firstField(err, crm.ErrorMessage(err)))
		default:
			u.fail(w, r, err)
			return
		}
		redirect(w, r, card)
		return
	}
	key := "deals.resumed"
	if hold {
		key = "deals.held"
	}
	u.flash(r, "success", key)
	redirect(w, r, card)
}
