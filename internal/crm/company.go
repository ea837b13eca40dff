package crm

import (
	"slices"
	"strings"
)

// CompanyKind says whether a counterparty is a legal entity, a sole proprietor or a private
// person (Физлицо).
type CompanyKind string

const (
	KindLegal      CompanyKind = "legal"
	KindSoleProp   CompanyKind = "sole_prop"
	KindIndividual CompanyKind = "individual"
)

// Company is a counterparty (Контрагент) D.
type Company struct {
	Meta
	Name          string      `json:"name"`
	LegalName     string      `json:"legal_name"`
	ExternalRef   string      `json:"external_ref,omitempty"`
	Kind          CompanyKind `json:"kind"`
	Type          string      `json:"type,omitempty"`     // code of ListCompanyType
	Industry      string      `json:"industry,omitempty"` // code of ListIndustry
	Size          string      `json:"size,omitempty"`     // employee band: micro, small, medium, large, enterprise
	INN           string      `json:"inn,omitempty"`
	KPP           string      `json:"kpp,omitempty"`
	Region        string      `json:"region"`
	Website       string      `json:"website"`
	Phones        []Phone     `json:"phones"`
	Emails        []string    `json:"emails"`
	Address       string      `json:"address"`
	ResponsibleID *int64      `json:"responsible_id,omitempty"`
	DirectorateID *int64      `json:"directorate_id,omitempty"`
	IsSupplier    bool        `json:"is_supplier"`
	Tags          []string    `json:"tags"`
	Attributes    Attributes  `json:"attributes,omitempty"`
	Notes         string      `json:"notes"`
	MergedInto    *int64      `json:"merged_into,omitempty"` // set on the record a merge removed
}

// DirectorateOf returns the directorate id or 0.
func (c *Company) DirectorateOf() int64 { return derefInt(c.DirectorateID) }

// CompanyFilter narrows the company list.
type CompanyFilter struct {
	Q             string
	IDs           []int64
	Kind          CompanyKind
	Type          string
	Industry      string
	Region        string
	DirectorateID int64
	ResponsibleID int64
	Tag           string
	Supplier      *bool
	CreatedFrom   *Date
	CreatedTo     *Date
	Attr          map[string]string // custom field code → value (exact)
	Deleted       bool
	Page          PageRequest
}

func derefInt(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// CompanySizes are the employee bands of Size.
var CompanySizes = []string{"micro", "small", "medium", "large", "enterprise"}

// Normalise trims text, folds INN/KPP to their canonical spelling and drops repeated phones,
// e-mails and tags. Phones must already be parsed (internal/phone) and e-mails lowered.
func (c *Company) Normalise() {
	for _, s := range []*string{&c.Name, &c.LegalName, &c.ExternalRef, &c.Type, &c.Industry, &c.Size, &c.Region,
		&c.Website, &c.Address, &c.Notes} {
		*s = strings.TrimSpace(*s)
	}
	c.INN = strings.Join(strings.Fields(c.INN), "")
	c.KPP = strings.ToUpper(strings.Join(strings.Fields(c.KPP), ""))
	if c.Kind == "" {
		c.Kind = KindLegal
	}
	c.Phones = uniquePhones(c.Phones)
	c.Emails = uniqueStrings(c.Emails)
	c.Tags = NormaliseTags(c.Tags)
	if c.Attributes == nil {
		c.Attributes = Attributes{}
	}
}

// Validate checks what a person can get wrong on a counterparty (R16: INN checksum and length
// by kind, KPP shape).
func (c *Company) Validate() error {
	p := Problems{}
	requireName(p, "name", c.Name)
	maxLen(p, "legal_name", c.LegalName, 500)
	maxLen(p, "external_ref", c.ExternalRef, 100)
	switch c.Kind {
	case KindLegal, KindSoleProp, KindIndividual:
	default:
		p.Add("kind", "err.choice")
	}
	if c.Size != "" && !slices.Contains(CompanySizes, c.Size) {
		p.Add("size", "err.choice")
	}
	if c.INN != "" {
		if !ValidINN(c.INN) {
			p.Add("inn", "party.err.inn")
		} else if !INNFitsKind(c.INN, c.Kind) {
			p.Add("inn", "party.err.inn_kind")
		}
	}
	if c.KPP != "" && !ValidKPP(c.KPP) {
		p.Add("kpp", "party.err.kpp")
	}
	maxLen(p, "region", c.Region, 200)
	maxLen(p, "website", c.Website, 300)
	maxLen(p, "address", c.Address, 1000)
	maxLen(p, "notes", c.Notes, 10000)
	checkPartyLists(p, c.Phones, c.Emails, c.Tags)
	return p.Err()
}

// MaxPartyItems bounds the phones, e-mails and tags of one record.
const MaxPartyItems = 20

func checkPartyLists(p Problems, phones []Phone, emails, tags []string) {
	if len(phones) > MaxPartyItems {
		p.Add("phones", "err.too_long")
	}
	for _, ph := range phones {
		if ph.E164 == "" || len(ph.Raw) > 100 || len(ph.Ext) > 10 {
			p.Add("phones", "party.err.phone")
		}
	}
	if len(emails) > MaxPartyItems {
		p.Add("emails", "err.too_long")
	}
	for _, e := range emails {
		if n, ok := ParseEmail(e); !ok || n != e {
			p.Add("emails", "err.email_format")
		}
	}
	if len(tags) > MaxPartyItems {
		p.Add("tags", "err.too_long")
	}
	for _, t := range tags {
		if len([]rune(t)) > 50 {
			p.Add("tags", "err.too_long")
		}
	}
}

func maxLen(p Problems, field, v string, n int) {
	if len([]rune(v)) > n {
		p.Add(field, "err.too_long")
	}
}

// NormaliseTags trims tags, drops empty and repeated ones (case-insensitively, keeping the
// first spelling) and keeps their order.
func NormaliseTags(tags []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.Join(strings.Fields(t), " ")
		k := strings.ToLower(t)
		if t == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

func uniqueStrings(xs []string) []string {
	out := []string{}
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func uniquePhones(xs []Phone) []Phone {
	out := []Phone{}
	for _, x := range xs {
		if !slices.ContainsFunc(out, func(y Phone) bool { return y.E164 == x.E164 && y.Ext == x.Ext }) {
			out = append(out, x)
		}
	}
	return out
}
