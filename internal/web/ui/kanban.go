package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// The kanban (/deals/board): one column per stage of a topic. A column head shows the count
// and sum of the filtered deals on the stage (one aggregate query for all heads); a column
// shows its first boardPageSize cards, newest on the stage first, and loads more on demand.
// Cards move between columns by drag and drop (Alpine's x-sort) posting to /deals/{id}/move.

const boardPageSize = 30

// boardFilters are the list filters the board honours (stage is the columns themselves).
var boardFilters = []string{"status", "type", "responsible", "directorate", "tag", "company", "close_from", "close_to"}

type boardPage struct {
	Topic       *crm.Topic
	Topics      []option
	Columns     []boardColumnView
	Filter      *listState
	ListURL     string
	Query       string // the filters, for column pages
	Reasons     []option
	Currency    string
	CompanyName string // of the company filter
	CanMove     bool
	ContractOK  bool // the user may create contracts (R38 offer on won columns)
}

type boardColumnView struct {
	StageID int64
	Name    string
	Kind    string
	Count   int
	Amount  int64
	Cards   []boardCard
	MoreURL string
}

type boardCard struct {
	ID          int64
	Version     int64
	Href        string
	Name        string
	Company     string
	Amount      int64
	Currency    string
	Responsible string
	Close       string
	Overdue     bool
	Status      string
	StatusText  string
	CanMove     bool
}

// boardState reads the board's topic and filters from the request through the deal list's
// declaration, so the board accepts exactly the filters the list does.
func (u *UI) boardState(r *http.Request) (*listState, crm.DealFilter) {
	s := u.parseList(r, dealList)
	for _, k := range []string{"stage"} {
		s.Filters.Del(k)
	}
	f := dealFilterOf(s)
	f.Deleted, f.Q = false, s.Q
	return s, f
}

func (u *UI) dealBoard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, f := u.boardState(r)
	topics, err := u.app.ActiveTopics(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if f.TopicID == 0 {
		if len(topics) == 0 {
			u.errorPage(w, r, http.StatusNotFound, "deals.no_topics")
			return
		}
		f.TopicID = topics[0].ID
	}
	b, err := u.app.DealBoard(ctx, f.TopicID, f, boardPageSize)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	lang := u.lang(r)
	page := &boardPage{Topic: b.Topic, Topics: u.topicOptions(r, b.Topic.ID), Filter: s,
		Reasons:    choiceOptsActive(u, r, crm.ListLossReason),
		CanMove:    u.app.Allowed(ctx, app.ActCreate, crm.EntityDeal), // may work on deals at all; each card says whether it moves
		ContractOK: u.app.Allowed(ctx, app.ActCreate, crm.EntityContract)}
	// The board and the list keep the same filters when switching between them.
	q := url.Values{}
	for _, k := range boardFilters {
		if v := s.Filter(k); v != "" {
			q.Set(k, v)
		}
	}
	if s.Q != "" {
		q.Set("q", s.Q)
	}
	q.Set("topic", formatID(b.Topic.ID))
	page.Query = q.Encode()
	page.ListURL = "/deals?" + page.Query
	cards := u.boardCards(r, b)
	for i, c := range b.Columns {
		col := boardColumnView{StageID: c.Stage.ID, Name: c.Stage.Name(lang), Kind: string(c.Stage.Kind),
			Count: c.Summary.Count, Amount: c.Summary.Amount, Cards: cards[i]}
		if c.Next != "" {
			col.MoreURL = columnURL(page.Query, c.Stage.ID, c.Next)
		}
		page.Columns = append(page.Columns, col)
	}
	if f.CompanyID != 0 {
		if names, _, err := u.app.PartyNames(ctx, []int64{f.CompanyID}, nil); err == nil {
			page.CompanyName = names[f.CompanyID]
		}
	}
	// The user's filter selects, drawn like the list's.
	u.boardFilterBar(r, s)
	u.render(w, r, http.StatusOK, "kanban.html", u.newView(r, "deals.board", "deals", page))
}

func columnURL(query string, stageID int64, after string) string {
	return "/deals/board/column?" + query + "&stage=" + formatID(stageID) + "&after=" + url.QueryEscape(after)
}

// boardFilterBar fills the filter selects the board shows (topic is the board's own switch).
func (u *UI) boardFilterBar(r *http.Request, s *listState) {
	ctx := r.Context()
	s.selectFilter("status", u.t(r, "field.status"), u.dealStatusOptions(r))
	s.selectFilter("type", u.t(r, "field.deal.type"), choiceOptsActive(u, r, crm.ListDealType))
	u.userFilter(ctx, s, "responsible", u.t(r, "field.responsible_id"))
	s.selectFilter("directorate", u.t(r, "field.directorate_id"), u.directorateOptions(ctx))
}

func choiceOptsActive(u *UI, r *http.Request, list crm.ChoiceList) []option {
	vals, err := u.app.Choices(r.Context(), list, true)
	if err != nil {
		return nil
	}
	return choiceOpts(vals, u.lang(r), true)
}

// boardCards turns the cards of every column into what a card shows, with the names of
// companies and responsible users read once for the whole board.
func (u *UI) boardCards(r *http.Request, b *app.Board) [][]boardCard {
	var deals [][]crm.Deal
	for _, c := range b.Columns {
		deals = append(deals, c.Cards)
	}
	return u.cardViews(r, deals)
}

func (u *UI) cardViews(r *http.Request, cols [][]crm.Deal) [][]boardCard {
	ctx := r.Context()
	lang := u.lang(r)
	people := u.lookup(ctx)
	var companyIDs []int64
	var resp []*int64
	for _, col := range cols {
		for _, d := range col {
			if d.CompanyID != nil {
				companyIDs = append(companyIDs, *d.CompanyID)
			}
			resp = append(resp, d.ResponsibleID)
		}
	}
	people.prefetchUsers(resp...)
	companies, _, _ := u.app.PartyNames(ctx, companyIDs, nil)
	today := time.Now().In(userLocation(ctx)).Format(time.DateOnly)
	out := make([][]boardCard, len(cols))
	for i, col := range cols {
		out[i] = []boardCard{}
		for _, d := range col {
			c := boardCard{ID: d.ID, Version: d.Version, Href: "/deals/" + formatID(d.ID), Name: d.Name, Amount: d.Amount,
				Currency: d.Currency, Responsible: people.userName(d.ResponsibleID), Close: dayText(lang, d.ExpectedClose),
				Status: string(d.Status), StatusText: u.t(r, "deal.status."+string(d.Status)), CanMove: u.app.CanEditDeal(ctx, &d)}
			if d.CompanyID != nil {
				c.Company = companies[*d.CompanyID]
			}
			if d.ExpectedClose != nil && d.Open() && d.ExpectedClose.String() < today {
				c.Overdue = true
			}
			out[i] = append(out[i], c)
		}
	}
	return out
}

// dealBoardColumn answers "show more" of one column: the next cards and a new "more" button.
func (u *UI) dealBoardColumn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, f := u.boardState(r)
	stageID, _ := strconv.ParseInt(r.URL.Query().Get("stage"), 10, 64)
	if f.TopicID == 0 || stageID == 0 {
		u.notFound(w, r)
		return
	}
	f.TopicID = s.Int("topic")
	page, err := u.app.BoardCards(ctx, f, stageID, r.URL.Query().Get("after"), boardPageSize)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	q := url.Values{}
	for _, k := range boardFilters {
		if v := s.Filter(k); v != "" {
			q.Set(k, v)
		}
	}
	if s.Q != "" {
		q.Set("q", s.Q)
	}
	q.Set("topic", formatID(f.TopicID))
	col := boardColumnView{StageID: stageID, Cards: u.cardViews(r, [][]crm.Deal{page.Items})[0]}
	if page.Next != "" {
		col.MoreURL = columnURL(q.Encode(), stageID, page.Next)
	}
	u.execute(w, r, http.StatusOK, "kanban.html", "kanban_more", u.newView(r, "", "deals", col))
}

// moveResult is the JSON answer of a move to the board's script.
type moveResult struct {
	OK      bool              `json:"ok"`
	Version int64             `json:"version,omitempty"`
	Status  string            `json:"status,omitempty"`
	Message string            `json:"message,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
	Won     bool              `json:"won,omitempty"`
	Href    string            `json:"href,omitempty"`
}

// dealMove moves a deal to a stage: the board's script posts here (and reads JSON back); the
// card's move form posts here too and is redirected back with a toast.
func (u *UI) dealMove(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	_ = r.ParseForm()
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	// The card's select sends "id:kind" so that the loss reason field can follow the kind.
	stageText, _, _ := strings.Cut(r.PostForm.Get("stage_id"), ":")
	stageID, _ := strconv.ParseInt(stageText, 10, 64)
	reason := strings.TrimSpace(r.PostForm.Get("loss_reason"))
	d, err := u.app.MoveDeal(r.Context(), id, version, stageID, reason)
	wantsJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	card := "/deals/" + strconv.FormatInt(id, 10)
	if wantsJSON {
		res := moveResult{OK: err == nil}
		status := http.StatusOK
		if err != nil {
			switch crm.ErrorCode(err) {
			case crm.EInvalid:
				status = http.StatusUnprocessableEntity
			case crm.EConflict:
				status = http.StatusConflict
			case crm.EForbidden, crm.EUnauthorized:
				status = http.StatusForbidden
			case crm.ENotFound:
				status = http.StatusNotFound
			default:
				u.log.Error("deal move", "id", id, "err", err)
				status = http.StatusInternalServerError
			}
			key := firstField(err, crm.ErrorMessage(err))
			if status == http.StatusInternalServerError {
				key = "err.internal"
			}
			res.Message = u.t(r, key)
			res.Fields = map[string]string{}
			for k, v := range crm.ErrorFields(err) {
				res.Fields[k] = u.t(r, v)
			}
		} else {
			res.Version, res.Status, res.Won, res.Href = d.Version, string(d.Status), d.Status == crm.DealWon, card
			res.Message = u.t(r, "deals.moved")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(res)
		return
	}
	if err != nil {
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
	u.flash(r, "success", "deals.moved")
	redirect(w, r, card)
}
