package crm

import (
	"strings"
	"time"
)

// ProjectStatus is active or closed.
type ProjectStatus string

const (
	ProjectActive ProjectStatus = "active"
	ProjectClosed ProjectStatus = "closed"
)

// Project (Проект) is the first directorate-scoped business record.
type Project struct {
	Meta
	Name          string        `json:"name"`
	ResponsibleID *int64        `json:"responsible_id,omitempty"`
	DateFrom      *Date         `json:"date_from,omitempty"`
	DateTo        *Date         `json:"date_to,omitempty"`
	Status        ProjectStatus `json:"status"`
	DirectorateID *int64        `json:"directorate_id,omitempty"`
	Description   string        `json:"description"`
}

// Normalise trims text and fills the status.
func (p *Project) Normalise() {
	p.Name = strings.TrimSpace(p.Name)
	p.Description = strings.TrimSpace(p.Description)
	if p.Status == "" {
		p.Status = ProjectActive
	}
}

// Validate checks required fields and the date order.
func (p *Project) Validate() error {
	pr := Problems{}
	requireName(pr, "name", p.Name)
	if p.Status != ProjectActive && p.Status != ProjectClosed {
		pr.Add("status", "err.choice")
	}
	if p.DateFrom != nil && p.DateTo != nil && p.DateTo.Before(p.DateFrom.Time) {
		pr.Add("date_to", "err.date_order")
	}
	if len([]rune(p.Description)) > 10000 {
		pr.Add("description", "err.too_long")
	}
	return pr.Err()
}

// DirectorateOf returns the directorate id or 0.
func (p *Project) DirectorateOf() int64 {
	if p.DirectorateID == nil {
		return 0
	}
	return *p.DirectorateID
}

// Date is a calendar day without a time of day, written as YYYY-MM-DD.
type Date struct{ time.Time }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return Date{t}, err
}

func (d Date) String() string { return d.Format(time.DateOnly) }

// MarshalText writes YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	x, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = x
	return nil
}

// MarshalJSON writes "YYYY-MM-DD": without it the embedded time.Time's method would win and
// write a timestamp.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return &Error{Code: EInvalid, Message: "err.date_format"}
	}
	return d.UnmarshalText([]byte(s[1 : len(s)-1]))
}
