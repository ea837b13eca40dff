package crm

// FieldType is the data type of an admin-defined custom field (Аналитика).
type FieldType string

const (
	FieldText   FieldType = "text"
	FieldNumber FieldType = "number"
	FieldDate   FieldType = "date"
	FieldList   FieldType = "list"
	FieldFlag   FieldType = "flag"
)

// CustomField is an admin-defined field of companies, contacts or deals. Values live in the
// record's Attributes under Code.
type CustomField struct {
	Meta
	Entity  string    `json:"entity"` // EntityCompany, EntityContact, EntityDeal
	Code    string    `json:"code"`
	LabelRU string    `json:"label_ru"`
	LabelEN string    `json:"label_en"`
	Type    FieldType `json:"type"`
	Options []string  `json:"options,omitempty"` // values of a list field
	Sort    int       `json:"sort"`
	Active  bool      `json:"active"`
}

// Attributes are a record's custom field values by field code: string for text, list and date
// (YYYY-MM-DD), float64 for number, bool for flag.
type Attributes map[string]any
