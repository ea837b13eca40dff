package crm

import "time"

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
