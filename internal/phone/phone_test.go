package phone

import (
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		raw, region string
		e164, ext   string
	}{
		// product.md R13
		{"8 (912) 345-67-89", "", "+79123456789", ""},
		{"9123456789", "", "+79123456789", ""},
		{"+7 495 123-45-67 доб. 12", "", "+74951234567", "12"},
		{"+44 20 7946 0958", "", "+442079460958", ""},
		// the example: two spellings of one number
		{"8 (916) 123-45-67", "RU", "+79161234567", ""},
		{"+7 916 1234567", "RU", "+79161234567", ""},
		{"  +7(916)123-45-67  ", "ru", "+79161234567", ""},
		{"+7 495 123 45 67 ext. 305", "", "+74951234567", "305"},
		{"020 7946 0958", "GB", "+442079460958", ""},
	} {
		got, err := Parse(tc.raw, tc.region)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.raw, err)
			continue
		}
		if got.E164 != tc.e164 || got.Ext != tc.ext {
			t.Errorf("Parse(%q) = %s ext %q, want %s ext %q", tc.raw, got.E164, got.Ext, tc.e164, tc.ext)
		}
		if got.Raw == "" {
			t.Errorf("Parse(%q) lost the raw text", tc.raw)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, raw := range []string{"", "   ", "abc", "123", "+7 916 12", "8 (916) 123-45-67-89-00-11", "+999 123 456 789",
		string([]byte{0xff, 0xfe}), "+7 916 123 45 67" + string(make([]byte, 200))} {
		if p, err := Parse(raw, ""); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", raw, p)
		}
	}
}

func TestNormaliseAndFormat(t *testing.T) {
	if got := Normalise("8 916 123 45 67", ""); got != "+79161234567" {
		t.Fatalf("Normalise = %q", got)
	}
	if got := Normalise("nonsense", ""); got != "" {
		t.Fatalf("Normalise(nonsense) = %q", got)
	}
	if got := Format(crm.Phone{E164: "+74951234567", Ext: "12"}); got != "+7 495 123-45-67 ext. 12" {
		t.Fatalf("Format = %q", got)
	}
}

// FuzzParsePhone: whatever a person or an imported file types, Parse never panics, and what it
// accepts is E.164 that parses again to itself.
func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"8 (912) 345-67-89", "9123456789", "+7 495 123-45-67 доб. 12", "+44 20 7946 0958",
		"", "+", "++7", "8", "доб.", "+7 (999) 999-99-99 x", "tel:+7-916-123-45-67", "\x00"} {
		f.Add(s, "RU")
	}
	f.Add("020 7946 0958", "GB")
	f.Add("123", "ZZ")
	f.Fuzz(func(t *testing.T, raw, region string) {
		p, err := Parse(raw, region)
		if err != nil {
			return
		}
		if len(p.E164) < 2 || p.E164[0] != '+' {
			t.Fatalf("Parse(%q) = %q: not E.164", raw, p.E164)
		}
		again, err := Parse(p.E164, "")
		if err != nil || again.E164 != p.E164 {
			t.Fatalf("E.164 %q does not parse back to itself: %+v %v", p.E164, again, err)
		}
	})
}
