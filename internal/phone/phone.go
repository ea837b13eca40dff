// Package phone normalises telephone numbers to E.164 with libphonenumber (product.md R13).
// It lives outside internal/crm, which stays standard library only; the app layer calls Parse
// before the domain validation, the importer and the search box call it too.
package phone

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/ladder-crm/ladder/internal/crm"
)

// DefaultRegion is the region of numbers written without a country code (Settings.
// default_phone_region, RU until settings exist).
const DefaultRegion = "RU"

// maxRaw bounds the text we hand to libphonenumber: nobody types a 200-character phone, and the
// library's regular expressions should not be fed arbitrary pasted documents.
const maxRaw = 100

// ErrInvalid says the text is not a possible phone number of any region.
var ErrInvalid = errors.New("phone: not a valid phone number")

// Parse reads one phone as a person typed it: «8 (916) 123-45-67», «+7 916 1234567»,
// «9161234567», «+7 495 123-45-67 доб. 12», «+44 20 7946 0958». Numbers without a country code
// are read in region (DefaultRegion when empty); a leading 8 is Russia's trunk prefix. The
// result keeps the typed text in Raw and the extension in Ext. A number that is not valid for
// its country (wrong length, unassigned range) is an error: storing it would break duplicate
// detection and phone lookup, which match on E.164.
func Parse(raw, region string) (crm.Phone, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxRaw || !utf8.ValidString(raw) {
		return crm.Phone{}, ErrInvalid
	}
	if region == "" {
		region = DefaultRegion
	}
	region = strings.ToUpper(region)
	// A bare ten-digit Russian number (9161234567) parses as national in region RU; the
	// international prefixes of each region (00, 810…) are libphonenumber's business.
	num, err := phonenumbers.Parse(raw, region)
	if err != nil {
		return crm.Phone{}, ErrInvalid
	}
	if !phonenumbers.IsValidNumber(num) {
		return crm.Phone{}, ErrInvalid
	}
	return crm.Phone{
		E164: phonenumbers.Format(num, phonenumbers.E164),
		Raw:  raw,
		Ext:  num.GetExtension(),
	}, nil
}

// Normalise returns the E.164 form of raw, or "" when it does not parse: for lookups (search
// box, duplicate check of an imported row) where a bad number simply matches nothing.
func Normalise(raw, region string) string {
	p, err := Parse(raw, region)
	if err != nil {
		return ""
	}
	return p.E164
}

// Format shows an E.164 number in the international format people read
// (+7 916 123-45-67), with the extension; the stored E.164 text when it does not parse.
func Format(p crm.Phone) string {
	num, err := phonenumbers.Parse(p.E164, DefaultRegion)
	if err != nil {
		return p.E164
	}
	out := phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	if p.Ext != "" {
		out += " ext. " + p.Ext
	}
	return out
}
