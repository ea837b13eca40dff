package crm

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FieldType is the data type of an admin-defined custom field (Аналитика).
type FieldType string

const (
	FieldText   FieldType = "text"
	FieldNumber FieldType = "number"
	FieldDate   FieldType = "date"
	FieldList   FieldType = "list"
	FieldFlag   FieldType = "flag"
)

// FieldTypes are the custom field types in menu order.
var FieldTypes = []FieldType{FieldText, FieldNumber, FieldDate, FieldList, FieldFlag}

// CustomFieldEntities are the record types that carry custom fields.
var CustomFieldEntities = []string{EntityCompany, EntityContact, EntityDeal}

// CustomField is an admin-defined field of companies, contacts or deals. Values live in the
// record's Attributes under Code. Entity, Code and Type are fixed once created: stored values
// are keyed by the code and shaped by the type.
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

// Label returns the label in lang, falling back to the other language.
func (f CustomField) Label(lang string) string {
	if lang == "en" && f.LabelEN != "" {
		return f.LabelEN
	}
	if f.LabelRU != "" {
		return f.LabelRU
	}
	return f.LabelEN
}

// Normalise trims the texts and drops empty and repeated options; only list fields keep
// options.
func (f *CustomField) Normalise() {
	f.Entity = strings.TrimSpace(f.Entity)
	f.Code = strings.TrimSpace(f.Code)
	f.LabelRU = strings.TrimSpace(f.LabelRU)
	f.LabelEN = strings.TrimSpace(f.LabelEN)
	opts := make([]string, 0, len(f.Options))
	seen := map[string]bool{}
	for _, o := range f.Options {
		o = strings.TrimSpace(o)
		if o == "" || seen[o] {
			continue
		}
		seen[o] = true
		opts = append(opts, o)
	}
	if f.Type != FieldList {
		opts = nil
	}
	f.Options = opts
}

// Validate checks the entity, code, type and labels; a list field needs at least one option.
func (f *CustomField) Validate() error {
	p := Problems{}
	if !slices.Contains(CustomFieldEntities, f.Entity) {
		p.Add("entity", "err.choice")
	}
	if f.Code == "" {
		p.Add("code", "err.required")
	} else if !ValidCode(f.Code) {
		p.Add("code", "config.err.code_format")
	}
	requireName(p, "label_ru", f.LabelRU)
	if len([]rune(f.LabelEN)) > 300 {
		p.Add("label_en", "err.too_long")
	}
	if !slices.Contains(FieldTypes, f.Type) {
		p.Add("type", "err.choice")
	}
	if f.Type == FieldList && len(f.Options) == 0 {
		p.Add("options", "config.err.options_required")
	}
	if len(f.Options) > 200 {
		p.Add("options", "err.too_long")
	}
	for _, o := range f.Options {
		if len([]rune(o)) > 200 {
			p.Add("options", "err.too_long")
		}
	}
	if f.Sort < 0 || f.Sort > 1_000_000 {
		p.Add("sort", "err.range")
	}
	return p.Err()
}

// MaxAttributeText bounds a text value of a custom field.
const MaxAttributeText = 2000

// NormaliseValue turns one incoming value (JSON-decoded or a form's string) into the stored
// form of the field's type: string for text and list, "YYYY-MM-DD" for date, float64 for
// number, bool for flag. empty is true for a value that means "no value" (nil, blank text).
// problem is a catalogue key when the value does not fit.
func (f *CustomField) NormaliseValue(v any) (out any, empty bool, problem string) {
	if v == nil {
		return nil, true, ""
	}
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, true, ""
		}
		v = s
	}
	switch f.Type {
	case FieldText:
		s, ok := v.(string)
		if !ok {
			return nil, false, "config.err.text_value"
		}
		if len([]rune(s)) > MaxAttributeText {
			return nil, false, "err.too_long"
		}
		return s, false, ""
	case FieldNumber:
		var n float64
		switch x := v.(type) {
		case float64:
			n = x
		case int:
			n = float64(x)
		case int64:
			n = float64(x)
		case string:
			// Russian users type "1 234,5": spaces (also non-breaking) group digits, comma is
			// the decimal mark.
			x = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(x)
			var err error
			if n, err = strconv.ParseFloat(x, 64); err != nil {
				return nil, false, "err.number_format"
			}
		default:
			return nil, false, "err.number_format"
		}
		if math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) > 1e15 {
			return nil, false, "err.range"
		}
		return n, false, ""
	case FieldDate:
		s, ok := v.(string)
		if !ok {
			return nil, false, "err.date_format"
		}
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, false, "err.date_format"
		}
		return d.Format(time.DateOnly), false, ""
	case FieldList:
		s, ok := v.(string)
		if !ok {
			return nil, false, "err.choice"
		}
		for _, o := range f.Options {
			if strings.EqualFold(o, s) {
				return o, false, ""
			}
		}
		return nil, false, "err.choice"
	case FieldFlag:
		switch x := v.(type) {
		case bool:
			return x, false, ""
		case string:
			switch strings.ToLower(x) {
			case "1", "true", "on", "yes", "да":
				return true, false, ""
			case "0", "false", "off", "no", "нет":
				return false, false, ""
			}
		}
		return nil, false, "config.err.flag_value"
	}
	return nil, false, "err.choice"
}

// NormaliseAttributes applies incoming custom field values to stored ones as a merge patch
// (RFC 7396): a key with a value sets it, a key with null or blank text removes it, a key
// absent keeps the stored value. So a form that shows only the active fields keeps the values
// of deactivated ones, and an API client may send only what it changes. Each value is
// normalised by its field (NormaliseValue); a code that is not an active field of fields is
// refused unless its value equals the stored one. Problems are reported as
// "attributes.<code>".
func NormaliseAttributes(fields []CustomField, in, stored Attributes) (Attributes, error) {
	byCode := make(map[string]*CustomField, len(fields))
	for i := range fields {
		if fields[i].Active && !fields[i].Deleted() {
			byCode[fields[i].Code] = &fields[i]
		}
	}
	out := make(Attributes, len(stored)+len(in))
	for k, v := range stored {
		out[k] = v
	}
	p := Problems{}
	for code, v := range in {
		f := byCode[code]
		if f == nil {
			old, had := stored[code]
			switch {
			case v == nil || v == "":
				delete(out, code) // clearing a value of a retired field is always allowed
			case had && sameValue(old, v):
			default:
				p.Add("attributes."+code, "config.err.field_unknown")
			}
			continue
		}
		val, empty, problem := f.NormaliseValue(v)
		switch {
		case problem != "":
			p.Add("attributes."+code, problem)
		case empty:
			delete(out, code)
		default:
			out[code] = val
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// sameValue compares two attribute values as JSON would carry them.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case float64:
		switch y := b.(type) {
		case float64:
			return x == y
		case int:
			return x == float64(y)
		case int64:
			return x == float64(y)
		}
		return false
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	return false
}

// Attributes are a record's custom field values by field code: string for text, list and date
// (YYYY-MM-DD), float64 for number, bool for flag.
type Attributes map[string]any
