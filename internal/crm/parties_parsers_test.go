package crm

import (
	"strings"
	"testing"
)

func TestValidINN(t *testing.T) {
	for s, want := range map[string]bool{
		"7707083893":   true,  // Сбербанк
		"7736207543":   true,  // Яндекс
		"500100732259": true,  // a person's INN
		"7830002293":   true,  //
		"7707083894":   false, // last digit off
		"500100732258": false, // 12th digit off
		"500100732269": false, // 11th digit off
		"0000000000":   false,
		"000000000000": false,
		"770708389":    false,
		"77070838931":  false,
		"77070838a3":   false,
		" 7707083893":  false,
		"":             false,
		"７７０７０８３８９３":   false, // full-width digits
	} {
		if got := ValidINN(s); got != want {
			t.Errorf("ValidINN(%q) = %v, want %v", s, got, want)
		}
	}
	if !INNFitsKind("7707083893", KindLegal) || INNFitsKind("7707083893", KindSoleProp) ||
		!INNFitsKind("500100732259", KindIndividual) || INNFitsKind("500100732259", KindLegal) {
		t.Fatal("INNFitsKind")
	}
}

func TestValidKPP(t *testing.T) {
	for s, want := range map[string]bool{
		"773601001":  true,
		"7736AB001":  true,
		"77360Z001":  true,
		"7736ab001":  false,
		"77360100":   false,
		"7736010011": false,
		"A73601001":  false,
		"773601A01":  false,
		"7736Ж1001":  false,
		"":           false,
	} {
		if got := ValidKPP(s); got != want {
			t.Errorf("ValidKPP(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestParseEmail(t *testing.T) {
	for in, want := range map[string]string{
		"  Ivanov@Example.RU ":             "ivanov@example.ru",
		"a.b+tag@mail.co.uk":               "a.b+tag@mail.co.uk",
		"иван@пример.рф":                   "иван@пример.рф",
		"ivanov":                           "",
		"ivanov@":                          "",
		"@example.ru":                      "",
		"ivanov@localhost":                 "",
		"Иван <ivan@example.ru>":           "",
		"a@b@example.ru":                   "",
		"ivan@example..ru":                 "",
		"ivan@.example.ru":                 "",
		"ivan @example.ru":                 "",
		"":                                 "",
		strings.Repeat("a", 250) + "@x.ru": "",
	} {
		got, ok := ParseEmail(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseEmail(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func FuzzValidINN(f *testing.F) {
	for _, s := range []string{"7707083893", "500100732259", "0000000000", "", "77070838９3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidINN(s) && len(s) != 10 && len(s) != 12 {
			t.Fatalf("ValidINN(%q) accepted a wrong length", s)
		}
	})
}

func FuzzValidKPP(f *testing.F) {
	for _, s := range []string{"773601001", "7736AB001", "", "ЖЖЖ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidKPP(s) && len(s) != 9 {
			t.Fatalf("ValidKPP(%q) accepted a wrong length", s)
		}
	})
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"Ivanov@Example.RU", "a@b", "<a@b.ru>", "\"q\"@x.ru", "", "@", "a@b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseEmail(s)
		if !ok {
			return
		}
		if again, ok2 := ParseEmail(got); !ok2 || again != got {
			t.Fatalf("ParseEmail(%q) = %q is not stable: %q %v", s, got, again, ok2)
		}
	})
}
