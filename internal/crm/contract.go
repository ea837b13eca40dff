package crm

import (
	"strings"
	"time"
)

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

// Normalise trims text and fills defaults.
func (c *Contract) Normalise() {
	c.Number = strings.TrimSpace(c.Number)
	c.Description = strings.TrimSpace(c.Description)
	if c.Currency == "" {
		c.Currency = BaseCurrency
	}
	if c.Status == "" {
		c.Status = ContractDraft
	}
}

// Validate checks a contract's own fields: number, date, counterparty, amount, status and the
// signing date a signed contract needs.
func (c *Contract) Validate() error {
	pr := Problems{}
	requireName(pr, "number", c.Number)
	if len([]rune(c.Number)) > 100 {
		pr.Add("number", "err.too_long")
	}
	if c.Date.IsZero() {
		pr.Add("date", "err.required")
	}
	if c.CompanyID == 0 {
		pr.Add("company_id", "err.required")
	}
	if c.Amount < 0 {
		pr.Add("amount", "err.negative")
	}
	switch c.Status {
	case ContractDraft, ContractSigned, ContractCompleted, ContractCancelled:
	default:
		pr.Add("status", "err.choice")
	}
	if c.Status == ContractSigned && c.SignedAt == nil {
		pr.Add("signed_at", "err.required")
	}
	if len([]rune(c.Description)) > 10000 {
		pr.Add("description", "err.too_long")
	}
	return pr.Err()
}

// Validate checks a payment: a positive amount on a day.
func (p *Payment) Validate() error {
	pr := Problems{}
	if p.Amount <= 0 {
		pr.Add("amount", "contract.err_payment_amount")
	}
	if p.PaidOn.IsZero() {
		pr.Add("paid_on", "err.required")
	}
	p.Note = strings.TrimSpace(p.Note)
	if len([]rune(p.Note)) > 1000 {
		pr.Add("note", "err.too_long")
	}
	return pr.Err()
}
