package crm

import (
	"regexp"
	"slices"
	"strings"
)

// ChoiceList names an admin-editable list of values (product.md §4.9). The Type lists are the
// Bitrix24 "types" of companies, contacts and deals.
type ChoiceList string

const (
	ListCompanyType  ChoiceList = "company_type"
	ListContactType  ChoiceList = "contact_type"
	ListDealType     ChoiceList = "deal_type"
	ListIndustry     ChoiceList = "industry"
	ListLossReason   ChoiceList = "rejection_reason"
	ListContactRole  ChoiceList = "contact_role"
	ListProductGroup ChoiceList = "product_group"
)

// ChoiceLists are every list an admin may edit, in menu order.
var ChoiceLists = []ChoiceList{ListCompanyType, ListContactType, ListDealType, ListIndustry,
	ListLossReason, ListContactRole, ListProductGroup}

// Known reports whether l is one of ChoiceLists.
func (l ChoiceList) Known() bool { return slices.Contains(ChoiceLists, l) }

// ChoiceValue is one value of a choice list. Records store Code; labels follow the reader's
// language (R73).
type ChoiceValue struct {
	Meta
	List      ChoiceList `json:"list"`
	Code      string     `json:"code"`
	LabelRU   string     `json:"label_ru"`
	LabelEN   string     `json:"label_en"`
	Sort      int        `json:"sort"`
	IsDefault bool       `json:"is_default"`
	Active    bool       `json:"active"`
}

// Label returns the label in lang, falling back to the other language.
func (v ChoiceValue) Label(lang string) string {
	if lang == "en" && v.LabelEN != "" {
		return v.LabelEN
	}
	if v.LabelRU != "" {
		return v.LabelRU
	}
	return v.LabelEN
}

// codeRE is the shape of the codes records and the API carry for choice values and custom
// fields: stable English snake_case that never needs escaping anywhere.
var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ValidCode reports whether s is a well-formed value or field code.
func ValidCode(s string) bool { return codeRE.MatchString(s) }

// Normalise trims the texts; a deactivated value cannot be the default one (pickers would
// preselect a value they do not offer).
func (v *ChoiceValue) Normalise() {
	v.Code = strings.TrimSpace(v.Code)
	v.LabelRU = strings.TrimSpace(v.LabelRU)
	v.LabelEN = strings.TrimSpace(v.LabelEN)
	if !v.Active {
		v.IsDefault = false
	}
}

// Validate checks the list, the code's shape and the labels. Uniqueness of the code within
// the list and the one default per list are the use case's and the database's to check.
func (v *ChoiceValue) Validate() error {
	p := Problems{}
	if !v.List.Known() {
		p.Add("list", "err.choice")
	}
	if v.Code == "" {
		p.Add("code", "err.required")
	} else if !ValidCode(v.Code) {
		p.Add("code", "config.err.code_format")
	}
	requireName(p, "label_ru", v.LabelRU)
	if len([]rune(v.LabelEN)) > 300 {
		p.Add("label_en", "err.too_long")
	}
	if v.Sort < 0 || v.Sort > 1_000_000 {
		p.Add("sort", "err.range")
	}
	return p.Err()
}

// ChoiceFilter narrows a choice list.
type ChoiceFilter struct {
	List    ChoiceList // empty: every list
	Active  *bool
	Deleted bool
}
