package crm

import "strings"

// Directorate is a sales directorate (Дирекция продаж): the unit whose records a user may edit.
type Directorate struct {
	Meta
	Name   string `json:"name"`
	HeadID *int64 `json:"head_id,omitempty"`
	Active bool   `json:"active"`
}

// Normalise trims the name.
func (d *Directorate) Normalise() { d.Name = strings.TrimSpace(d.Name) }

// Validate checks required fields.
func (d *Directorate) Validate() error {
	p := Problems{}
	requireName(p, "name", d.Name)
	return p.Err()
}

func requireName(p Problems, field, v string) {
	if strings.TrimSpace(v) == "" {
		p.Add(field, "err.required")
	} else if len([]rune(v)) > 300 {
		p.Add(field, "err.too_long")
	}
}
