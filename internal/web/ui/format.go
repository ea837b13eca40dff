package ui

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// nbsp separates digit groups in Russian: a line never breaks inside a number.
const nbsp = "\u00a0"

// formatInt groups digits: "10 000" in Russian, "10,000" in English.
func formatInt(lang string, n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	sep := ","
	if lang == "ru" {
		sep = nbsp
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatMoney shows minor units: "1 234,56 ₽" in Russian, "1,234.56 RUB" in English.
func formatMoney(lang string, minor int64, currency string) string {
	if currency == "" {
		currency = "RUB"
	}
	neg := minor < 0
	if neg {
		minor = -minor
	}
	whole, frac := formatInt(lang, minor/100), minor%100
	dec := "."
	if lang == "ru" {
		dec = ","
	}
	s := whole + dec + twoDigits(frac)
	if neg {
		s = "-" + s
	}
	if lang == "ru" && currency == "RUB" {
		return s + nbsp + "₽"
	}
	if lang == "ru" {
		return s + nbsp + currency
	}
	return s + " " + currency
}

// moneyInput writes minor units as the form shows them: "1234.56", no grouping, so that the
// value parses back unchanged.
func moneyInput(minor int64) string {
	neg := minor < 0
	if neg {
		minor = -minor
	}
	s := strconv.FormatInt(minor/100, 10) + "." + twoDigits(minor%100)
	if neg {
		return "-" + s
	}
	return s
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// parseMoney reads a price typed in roubles ("1 234,56", "1234.5", "1234") into kopecks
// without floating point, so no amount is ever rounded wrong.
func parseMoney(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", nbsp, "", "\u202f", "", "₽", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" && frac == "" || len(frac) > 2 || strings.Contains(frac, ".") {
		return 0, false
	}
	if whole == "" {
		whole = "0"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w < 0 || f < 0 || w > (1<<62)/100 {
		return 0, false
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	return v, true
}

var (
	zonesMu sync.Mutex
	zones   = map[string]*time.Location{}
)

// location returns the user's time zone, Moscow when unset or unknown.
func location(name string) *time.Location {
	if name == "" {
		name = crm.DefaultTimeZone
	}
	zonesMu.Lock()
	defer zonesMu.Unlock()
	if l, ok := zones[name]; ok {
		return l
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l, err = time.LoadLocation(crm.DefaultTimeZone)
		if err != nil {
			l = time.FixedZone("MSK", 3*3600)
		}
	}
	zones[name] = l
	return l
}

func formatDateTime(lang string, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	if lang == "ru" {
		return t.Format("02.01.2006 15:04")
	}
	return t.Format("Jan 2, 2006 15:04")
}

func formatDay(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == "ru" {
		return t.Format("02.01.2006")
	}
	return t.Format("Jan 2, 2006")
}

// fieldLabel names a field of an entity: "field.<entity>.<name>", else "field.<name>", else
// the raw name, so that a field added later still shows something readable in the history.
func fieldLabel(lang, entity, name string) string {
	cat := i18n.Default()
	if k := "field." + entity + "." + name; cat.Has(lang, k) {
		return cat.T(lang, k, nil)
	}
	if k := "field." + name; cat.Has(lang, k) {
		return cat.T(lang, k, nil)
	}
	return name
}
