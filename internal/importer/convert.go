package importer

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/phone"
)

// Record is one data row turned into a record of its entity, with what the file names by
// text and the database must resolve (people, companies, topics, choice values).
type Record struct {
	Row     int64
	Company *crm.Company
	Contact *crm.Contact
	Deal    *crm.Deal
	Refs    Refs
	// Keys are the row's dedup keys ("inn:…", "ref:…", "email:…", "phone:<E.164 digits>"),
	// in the form crm.ImportRepo.ImportMatches takes.
	Keys []string
	// Problems maps a field to the catalogue key of what is wrong with it; a row with any
	// problem imports nothing.
	Problems crm.Problems
}

// Refs are the texts of a row that name other records or choice values.
type Refs struct {
	Responsible string // login, e-mail or full name of a user
	Company     string // a company's name (contacts, deals)
	CompanyINN  string
	Topic       string            // a topic's name (deals)
	Stage       string            // a stage's name within the topic
	Choices     map[string]string // field (type, industry, role) → code or label
}

// Limits of text fields, as the forms have them.
const (
	maxName = 500
	maxText = 10_000
)

// Convert turns the cells of one row into a record under mapping (field per column).
func Convert(entity string, mapping []string, rowNo int64, cells []string) *Record {
	rec := &Record{Row: rowNo, Problems: crm.Problems{}, Refs: Refs{Choices: map[string]string{}}}
	vals := map[string][]string{}
	for i, key := range mapping {
		if key == "" || i >= len(cells) {
			continue
		}
		if v := strings.TrimSpace(cells[i]); v != "" {
			vals[key] = append(vals[key], v)
		}
	}
	one := func(key string) string {
		if v := vals[key]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	text := func(key string, limit int) string {
		v := one(key)
		if utf8.RuneCountInString(v) > limit {
			rec.Problems.Add(key, "err.too_long")
			return ""
		}
		return v
	}
	rec.Refs.Responsible = text("responsible", maxName)
	tags := splitList(vals["tags"])
	for _, t := range tags {
		if utf8.RuneCountInString(t) > 100 {
			rec.Problems.Add("tags", "err.too_long")
		}
	}
	switch entity {
	case crm.EntityCompany:
		c := &crm.Company{Name: text("name", maxName), LegalName: text("legal_name", maxName), ExternalRef: text("external_ref", 200),
			Size: text("size", 50), INN: digitsOnly(one("inn")), KPP: strings.ToUpper(strings.ReplaceAll(one("kpp"), " ", "")),
			Region: text("region", maxName), Website: text("website", maxName), Address: text("address", maxText),
			Notes: text("notes", maxText), Tags: tags, Kind: crm.KindLegal}
		if c.Name == "" && rec.Problems["name"] == "" {
			rec.Problems.Add("name", "err.required")
		}
		if k := one("kind"); k != "" {
			kind, ok := parseKind(k)
			if !ok {
				rec.Problems.Add("kind", "err.choice")
			}
			c.Kind = kind
		} else if len(c.INN) == 12 {
			c.Kind = crm.KindSoleProp // a 12-digit INN belongs to a person, most often an ИП
		}
		if raw := one("inn"); raw != "" && !crm.ValidINN(c.INN) {
			rec.Problems.Add("inn", "import.err.inn")
		} else if c.INN != "" && !crm.INNFitsKind(c.INN, c.Kind) {
			rec.Problems.Add("inn", "import.err.inn_kind")
		}
		if c.KPP != "" && !crm.ValidKPP(c.KPP) {
			rec.Problems.Add("kpp", "import.err.kpp")
		}
		if s := one("is_supplier"); s != "" {
			b, ok := parseBool(s)
			if !ok {
				rec.Problems.Add("is_supplier", "import.err.bool")
			}
			c.IsSupplier = b
		}
		c.Phones = parsePhones(rec, vals["phone"])
		c.Emails = parseEmails(rec, vals["email"])
		for _, f := range []string{"type", "industry"} {
			if v := one(f); v != "" {
				rec.Refs.Choices[f] = v
			}
		}
		rec.Company = c
		if c.INN != "" && rec.Problems["inn"] == "" {
			rec.Keys = append(rec.Keys, "inn:"+c.INN)
		}
		if c.ExternalRef != "" {
			rec.Keys = append(rec.Keys, "ref:"+c.ExternalRef)
		}
		rec.addContactKeys(c.Phones, c.Emails)
	case crm.EntityContact:
		c := &crm.Contact{LastName: text("last_name", maxName), FirstName: text("first_name", maxName),
			MiddleName: text("middle_name", maxName), Position: text("position", maxName),
			PostalAddress: text("postal_address", maxText), Notes: text("notes", maxText), Tags: tags}
		if full := text("full_name", maxName); full != "" && c.LastName == "" && c.FirstName == "" {
			c.LastName, c.FirstName, c.MiddleName = splitFullName(full)
		}
		if c.LastName == "" && c.FirstName == "" && rec.Problems["full_name"] == "" {
			rec.Problems.Add(firstMapped(mapping, "full_name", "last_name", "first_name"), "err.required")
		}
		if s := one("is_decision_maker"); s != "" {
			b, ok := parseBool(s)
			if !ok {
				rec.Problems.Add("is_decision_maker", "import.err.bool")
			}
			c.IsDecisionMaker = b
		}
		c.Phones = parsePhones(rec, vals["phone"])
		c.Emails = parseEmails(rec, vals["email"])
		rec.companyRef(text("company", maxName), one("company_inn"))
		for _, f := range []string{"type", "role"} {
			if v := one(f); v != "" {
				rec.Refs.Choices[f] = v
			}
		}
		rec.Contact = c
		rec.addContactKeys(c.Phones, c.Emails)
	case crm.EntityDeal:
		d := &crm.Deal{Name: text("name", maxName), Description: text("description", maxText), Tags: tags,
			Currency: strings.ToUpper(one("currency")), Status: crm.DealOpen}
		if d.Name == "" && rec.Problems["name"] == "" {
			rec.Problems.Add("name", "err.required")
		}
		if d.Currency == "" || d.Currency == "РУБ" || d.Currency == "₽" || d.Currency == "RUR" {
			d.Currency = "RUB"
		}
		if len(d.Currency) != 3 || strings.ToUpper(d.Currency) != d.Currency || !isASCIIUpper(d.Currency) {
			rec.Problems.Add("currency", "import.err.currency")
		}
		if s := one("amount"); s != "" {
			amt, ok := ParseAmount(s)
			if !ok {
				rec.Problems.Add("amount", "import.err.amount")
			}
			d.Amount = amt
		}
		if s := one("expected_close"); s != "" {
			day, ok := ParseDay(s)
			if !ok {
				rec.Problems.Add("expected_close", "import.err.date")
			} else {
				d.ExpectedClose = &day
			}
		}
		rec.companyRef(text("company", maxName), one("company_inn"))
		rec.Refs.Topic, rec.Refs.Stage = text("topic", maxName), text("stage", maxName)
		if v := one("type"); v != "" {
			rec.Refs.Choices["type"] = v
		}
		rec.Deal = d
	}
	return rec
}

func (rec *Record) companyRef(name, inn string) {
	rec.Refs.Company = name
	if inn == "" {
		return
	}
	rec.Refs.CompanyINN = digitsOnly(inn)
	if !crm.ValidINN(rec.Refs.CompanyINN) {
		rec.Problems.Add("company_inn", "import.err.inn")
	}
}

func (rec *Record) addContactKeys(phones []crm.Phone, emails []string) {
	for _, e := range emails {
		rec.Keys = append(rec.Keys, "email:"+e)
	}
	for _, p := range phones {
		rec.Keys = append(rec.Keys, "phone:"+strings.TrimPrefix(p.E164, "+"))
	}
}

func firstMapped(mapping []string, keys ...string) string {
	for _, k := range keys {
		for _, m := range mapping {
			if m == k {
				return k
			}
		}
	}
	return keys[0]
}

// parsePhones normalises each phone cell; a cell may hold several numbers separated by
// commas or semicolons. Numbers repeated in a row are kept once.
func parsePhones(rec *Record, cells []string) []crm.Phone {
	var out []crm.Phone
	seen := map[string]bool{}
	for _, cell := range cells {
		for _, raw := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
			if raw = strings.TrimSpace(raw); raw == "" {
				continue
			}
			p, err := phone.Parse(raw, phone.DefaultRegion)
			if err != nil {
				rec.Problems.Add("phone", "import.err.phone")
				continue
			}
			if !seen[p.E164+"/"+p.Ext] {
				seen[p.E164+"/"+p.Ext] = true
				out = append(out, p)
			}
		}
	}
	return out
}

func parseEmails(rec *Record, cells []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, cell := range cells {
		for _, raw := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
			if raw == "" {
				continue
			}
			e, ok := crm.ParseEmail(raw)
			if !ok {
				rec.Problems.Add("email", "import.err.email")
				continue
			}
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// splitList splits tag cells on commas and semicolons, trimmed, without repeats.
func splitList(cells []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, cell := range cells {
		for _, t := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' }) {
			if t = strings.TrimSpace(t); t != "" && !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// splitFullName reads «Фамилия Имя Отчество»: the Russian order of documents and of most
// exported lists. Two words are surname and name; one word is the surname.
func splitFullName(s string) (last, first, middle string) {
	parts := strings.Fields(s)
	switch len(parts) {
	case 0:
		return "", "", ""
	case 1:
		return parts[0], "", ""
	case 2:
		return parts[0], parts[1], ""
	}
	return parts[0], parts[1], strings.Join(parts[2:], " ")
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r != ' ' && r != '-' && r != '\u00a0' {
			return s // letters in an INN: keep it so that the checksum fails visibly
		}
	}
	return b.String()
}

func isASCIIUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func parseKind(s string) (crm.CompanyKind, bool) {
	switch normHeader(s) {
	case "legal", "юрлицо", "юридическоелицо", "юл", "организация":
		return crm.KindLegal, true
	case "soleprop", "ип", "индивидуальныйпредприниматель", "soleproprietor":
		return crm.KindSoleProp, true
	case "individual", "физлицо", "физическоелицо", "фл", "person":
		return crm.KindIndividual, true
	}
	return crm.KindLegal, false
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "да", "д", "yes", "y", "true", "истина", "+", "x", "✓":
		return true, true
	case "0", "нет", "н", "no", "n", "false", "ложь", "-", "":
		return false, true
	}
	return false, false
}

// ParseAmount reads a sum of money into minor units: «1 234 567,89», "1,234,567.89",
// "1234567.8", «150 000 ₽». The last of '.' and ',' followed by one or two digits is the
// decimal mark; other separators group thousands.
func ParseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, unit := range []string{"руб.", "руб", "р.", "RUB", "₽", "$", "€"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, unit))
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',', r == '-':
			b.WriteRune(r)
		case r == ' ', r == '\u00a0', r == '\u202f', r == '\'':
		default:
			return 0, false
		}
	}
	t := b.String()
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	if t == "" || strings.Contains(t, "-") {
		return 0, false
	}
	intPart, frac := t, ""
	if i := strings.LastIndexAny(t, ".,"); i >= 0 && len(t)-i-1 <= 2 {
		intPart, frac = t[:i], t[i+1:]
	}
	intPart = strings.NewReplacer(".", "", ",", "").Replace(intPart)
	if intPart == "" {
		intPart = "0"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	whole, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || whole > math.MaxInt64/100-1 {
		return 0, false
	}
	cents, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, false
	}
	v := whole*100 + cents
	if neg {
		return 0, false // a deal's amount is never negative
	}
	return v, true
}

// ParseDay reads a calendar day: ISO, Russian «31.12.2026», "31/12/2026", or an Excel serial
// day number (XLSX cells are read raw, so a date cell arrives as its serial).
func ParseDay(s string) (crm.Date, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, "02.01.2006", "2.1.2006", "02/01/2006", "2/1/2006", "02.01.06",
		"2006-01-02T15:04:05", "2006-01-02 15:04:05", "02.01.2006 15:04", "02.01.2006 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return crm.Date{Time: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}, t.Year() >= 1900 && t.Year() <= 2200
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 109574 { // up to 2199-12-31
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		return crm.Date{Time: base.AddDate(0, 0, int(f))}, true
	}
	return crm.Date{}, false
}
