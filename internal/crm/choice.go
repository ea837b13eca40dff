package crm

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

// ChoiceFilter narrows a choice list.
type ChoiceFilter struct {
	List    ChoiceList
	Active  *bool
	Deleted bool
}
