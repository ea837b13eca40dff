package crm

import "time"

// ContractStatus is Проект/Заключён/Исполнен/Расторгнут.
type ContractStatus string

const (
	ContractDraft     ContractStatus = "draft"
	ContractSigned    ContractStatus = "signed"
	ContractCompleted ContractStatus = "completed"
	ContractCancelled ContractStatus = "cancelled"
)

// CountsAsIncome tells whether a contract's amount is income (R39).
func (s ContractStatus) CountsAsIncome() bool {
	return s == ContractSigned || s == ContractCompleted
}

// Contract (Договор) D.
type Contract struct {
	Meta
	Number        string         `json:"number"`
	Date          Date           `json:"date"`
	CompanyID     int64          `json:"company_id"`
	DealID        *int64         `json:"deal_id,omitempty"`
	EventID       *int64         `json:"event_id,omitempty"`
	TopicID       *int64         `json:"topic_id,omitempty"`
	Amount        int64          `json:"amount"` // minor units
	Currency      string         `json:"currency"`
	Status        ContractStatus `json:"status"`
	SignedAt      *time.Time     `json:"signed_at,omitempty"`
	ResponsibleID *int64         `json:"responsible_id,omitempty"`
	DirectorateID *int64         `json:"directorate_id,omitempty"`
	Description   string         `json:"description"`
	Payments      []Payment      `json:"payments"`
	Paid          int64          `json:"paid"` // Σ payments, minor units
}

// DirectorateOf returns the directorate id or 0.
func (c *Contract) DirectorateOf() int64 { return derefInt(c.DirectorateID) }

// Payment is money received under a contract.
type Payment struct {
	ID     int64  `json:"id"`
	PaidOn Date   `json:"paid_on"`
	Amount int64  `json:"amount"`
	Note   string `json:"note"`
}

// ContractFilter narrows the contract list.
type ContractFilter struct {
	Q             string
	Status        ContractStatus
	CompanyID     int64
	DealID        int64
	DirectorateID int64
	ResponsibleID int64
	DateFrom      *Date
	DateTo        *Date
	Deleted       bool
	Page          PageRequest
}

// IncomeTotals are the income of a set of contracts (R39) and what was paid on them.
type IncomeTotals struct {
	Income int64 `json:"income"`
	Paid   int64 `json:"paid"`
}
