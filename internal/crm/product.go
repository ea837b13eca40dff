package crm

import "strings"

// ProductKind tells a product from a service.
type ProductKind string

const (
	KindProduct ProductKind = "product"
	KindService ProductKind = "service"
)

// Product is a product or service (Услуга/Продукт), linked to the directorates that sell it:
// the link narrows choices on directorate-scoped records (R5, R6).
type Product struct {
	Meta
	Name         string      `json:"name"`
	Kind         ProductKind `json:"kind"`
	Code         string      `json:"code"`
	PriceMinor   int64       `json:"price_minor"` // kopecks
	Currency     string      `json:"currency"`
	Directorates []int64     `json:"directorates"`
	Active       bool        `json:"active"`
}

// Normalise trims text and fills the currency.
func (p *Product) Normalise() {
	p.Name = strings.TrimSpace(p.Name)
	p.Code = strings.TrimSpace(p.Code)
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	if p.Currency == "" {
		p.Currency = "RUB"
	}
}

// Validate checks required fields and ranges.
func (p *Product) Validate() error {
	pr := Problems{}
	requireName(pr, "name", p.Name)
	if p.Kind != KindProduct && p.Kind != KindService {
		pr.Add("kind", "err.choice")
	}
	if p.PriceMinor < 0 {
		pr.Add("price_minor", "err.negative")
	}
	if len(p.Currency) != 3 {
		pr.Add("currency", "err.currency")
	}
	if len(p.Code) > 64 {
		pr.Add("code", "err.too_long")
	}
	if hasDuplicate(p.Directorates) {
		pr.Add("directorates", "err.duplicate")
	}
	return pr.Err()
}

// SoldBy reports whether the product is linked to directorate id.
func (p *Product) SoldBy(id int64) bool {
	for _, d := range p.Directorates {
		if d == id {
			return true
		}
	}
	return false
}
