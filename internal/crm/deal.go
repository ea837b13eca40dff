package crm

import (
	"math"
	"strings"
	"time"
)

// DealStatus follows the stage kind; on_hold is an open deal put aside by hand.
type DealStatus string

const (
	DealOpen   DealStatus = "open"
	DealOnHold DealStatus = "on_hold"
	DealWon    DealStatus = "won"
	DealLost   DealStatus = "lost"
)

// Deal is a sales opportunity (Сделка) D.
type Deal struct {
	Meta
	Name              string     `json:"name"`
	CompanyID         *int64     `json:"company_id,omitempty"`
	ContactID         *int64     `json:"contact_id,omitempty"`
	TopicID           int64      `json:"topic_id"`
	StageID           int64      `json:"stage_id"`
	Status            DealStatus `json:"status"`
	Amount            int64      `json:"amount"` // minor units
	Currency          string     `json:"currency"`
	Probability       int        `json:"probability"`
	ProbabilityManual bool       `json:"probability_manual"` // false: follows the stage (R36)
	ExpectedClose     *Date      `json:"expected_close,omitempty"`
	ResponsibleID     *int64     `json:"responsible_id,omitempty"`
	DirectorateID     *int64     `json:"directorate_id,omitempty"`
	ProductID         *int64     `json:"product_id,omitempty"` // sale object (R5)
	ProjectID         *int64     `json:"project_id,omitempty"`
	Type              string     `json:"type,omitempty"`        // code of ListDealType
	LossReason        string     `json:"loss_reason,omitempty"` // code of ListLossReason
	LostAtStageID     *int64     `json:"lost_at_stage_id,omitempty"`
	ClosedAt          *time.Time `json:"closed_at,omitempty"`
	StageEnteredAt    time.Time  `json:"stage_entered_at"`
	SourceLeadID      *int64     `json:"source_lead_id,omitempty"`
	SourceEventID     *int64     `json:"source_event_id,omitempty"`
	SourceCampaignID  *int64     `json:"source_campaign_id,omitempty"`
	Tags              []string   `json:"tags"`
	Attributes        Attributes `json:"attributes,omitempty"`
	Description       string     `json:"description"`
	Lines             []DealLine `json:"lines"`
}

// DirectorateOf returns the directorate id or 0.
func (d *Deal) DirectorateOf() int64 { return derefInt(d.DirectorateID) }

// DealLine is a product or service line of a deal.
type DealLine struct {
	ID          int64  `json:"id"`
	ProductID   *int64 `json:"product_id,omitempty"`
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
	Price       int64  `json:"price"`  // minor units
	Amount      int64  `json:"amount"` // = Quantity × Price
}

// StageChange is one row of a deal's stage history.
type StageChange struct {
	ID          int64     `json:"id"`
	DealID      int64     `json:"deal_id"`
	FromStageID *int64    `json:"from_stage_id,omitempty"`
	ToStageID   int64     `json:"to_stage_id"`
	At          time.Time `json:"at"`
	By          *int64    `json:"by,omitempty"`
}

// DealFilter narrows the deal list and the kanban.
type DealFilter struct {
	Q             string
	IDs           []int64
	TopicID       int64
	StageID       int64
	Status        DealStatus
	CompanyID     int64
	ContactID     int64
	Type          string
	DirectorateID int64
	ResponsibleID int64
	Tag           string
	CloseFrom     *Date
	CloseTo       *Date
	CreatedFrom   *Date
	CreatedTo     *Date
	Attr          map[string]string
	Deleted       bool
	Page          PageRequest
}

// StageSummary is one kanban column's head: how many deals and their sum.
type StageSummary struct {
	StageID int64 `json:"stage_id"`
	Count   int   `json:"count"`
	Amount  int64 `json:"amount"`
}

// MaxDealLines bounds the lines of one deal: a deal is not an order book.
const MaxDealLines = 200

// Normalise trims text, fills defaults and recomputes line amounts.
func (d *Deal) Normalise() {
	d.Name = strings.TrimSpace(d.Name)
	d.Description = strings.TrimSpace(d.Description)
	d.Type = strings.TrimSpace(d.Type)
	d.LossReason = strings.TrimSpace(d.LossReason)
	if d.Currency == "" {
		d.Currency = BaseCurrency
	}
	if d.Status == "" {
		d.Status = DealOpen
	}
	d.Tags = normaliseDealTags(d.Tags)
	if d.Attributes == nil {
		d.Attributes = Attributes{}
	}
	for i := range d.Lines {
		l := &d.Lines[i]
		l.Description = strings.TrimSpace(l.Description)
		l.Amount = l.Quantity * l.Price
	}
}

// Validate checks what a deal needs whatever its stage: the stage rules live in the app.
func (d *Deal) Validate() error {
	pr := Problems{}
	requireName(pr, "name", d.Name)
	if d.CompanyID == nil && d.ContactID == nil {
		pr.Add("company_id", "deal.err_party_required")
	}
	if d.TopicID == 0 {
		pr.Add("topic_id", "err.required")
	}
	if d.Amount < 0 {
		pr.Add("amount", "err.negative")
	}
	if d.Probability < 0 || d.Probability > 100 {
		pr.Add("probability", "err.range")
	}
	switch d.Status {
	case DealOpen, DealOnHold, DealWon, DealLost:
	default:
		pr.Add("status", "err.choice")
	}
	if len([]rune(d.Description)) > 10000 {
		pr.Add("description", "err.too_long")
	}
	if len(d.Lines) > MaxDealLines {
		pr.Add("lines", "deal.err_lines_too_many")
	}
	for _, l := range d.Lines {
		if l.Quantity <= 0 || l.Price < 0 {
			pr.Add("lines", "deal.err_line")
		}
		if l.ProductID == nil && l.Description == "" {
			pr.Add("lines", "deal.err_line")
		}
		// Guard the multiplication: a quantity and price whose product overflows int64 are
		// not a line anyone sells.
		if l.Price != 0 && l.Quantity > math.MaxInt64/l.Price {
			pr.Add("lines", "deal.err_line")
		}
	}
	return pr.Err()
}

// Open tells whether the deal is still being worked (on hold counts as open for the kanban).
func (d *Deal) Open() bool { return d.Status == DealOpen || d.Status == DealOnHold }

// normaliseDealTags trims tags and drops empty and repeated ones, keeping the order.
func normaliseDealTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	return out
}
