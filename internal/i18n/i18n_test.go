package i18n

import "testing"

func TestCatalogLanguagesHaveTheSameKeys(t *testing.T) {
	c := Default()
	ru, en := c.Keys("ru"), c.Keys("en")
	if len(ru) == 0 {
		t.Fatal("no Russian messages")
	}
	for k := range ru {
		if !en[k] {
			t.Errorf("key %q has no English text", k)
		}
	}
	for k := range en {
		if !ru[k] {
			t.Errorf("key %q has no Russian text", k)
		}
	}
}

func TestTranslate(t *testing.T) {
	c := Default()
	if got := c.T("ru", "err.not_found", nil); got != "Запись не найдена." {
		t.Errorf("ru: %q", got)
	}
	if got := c.T("en", "err.not_found", nil); got != "Record not found." {
		t.Errorf("en: %q", got)
	}
	if got := c.T("en", "no.such.key", nil); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "ru",
		"de-DE,de;q=0.9":          "ru",
		"en-US,en;q=0.9":          "en",
		"ru-RU,ru;q=0.9,en;q=0.8": "ru",
		"fr-FR,en;q=0.5":          "en",
		"garbage;;;":              "ru",
	} {
		if got := Negotiate(in); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", in, got, want)
		}
	}
}
