package ui

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// Every catalogue key the templates and list definitions name exists in both languages: a
// missing key would show up on screen as "list.total" instead of words.
func TestEveryUIKeyIsTranslated(t *testing.T) {
	keyRE := regexp.MustCompile(`\b(?:t|tn|help) "([a-z0-9_.]+)"|field \$\w+ "[a-z_]+" "([a-z0-9_.]+)"`)
	keys := map[string]bool{}
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]+m[2]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range lists {
		for _, c := range d.Columns {
			keys[c.Label] = true
		}
		if d.Search {
			keys[d.SearchHint] = true
		}
	}
	for _, r := range crm.AllRoles {
		keys["role."+string(r)] = true
	}
	for _, a := range auditActions {
		keys["audit.action."+a] = true
	}
	for _, e := range auditEntities {
		keys["entity."+e] = true
	}
	if len(keys) < 100 {
		t.Fatalf("only %d keys found: the pattern is broken", len(keys))
	}
	cat := i18n.Default()
	for k := range keys {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, k) {
				t.Errorf("%s: no %q", lang, k)
			}
		}
	}
}

// No template carries inline script or event handler attributes: the CSP forbids them.
func TestTemplatesHaveNoInlineScript(t *testing.T) {
	bad := regexp.MustCompile(`<script>|<script [^>]*>[^<]|\son[a-z]+=`)
	_ = fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templateFS, path)
		for _, line := range strings.Split(string(b), "\n") {
			if bad.MatchString(line) {
				t.Errorf("%s: %s", path, strings.TrimSpace(line))
			}
		}
		return nil
	})
}

func TestFormatMoneyAndNumbers(t *testing.T) {
	for _, c := range []struct {
		lang     string
		minor    int64
		currency string
		want     string
	}{
		{"ru", 123456, "RUB", "1\u00a0234,56\u00a0₽"},
		{"en", 123456, "RUB", "1,234.56 RUB"},
		{"ru", 5, "", "0,05\u00a0₽"},
		{"en", -100000000, "USD", "-1,000,000.00 USD"},
		{"ru", 0, "EUR", "0,00\u00a0EUR"},
	} {
		if got := formatMoney(c.lang, c.minor, c.currency); got != c.want {
			t.Errorf("formatMoney(%s, %d, %s) = %q, want %q", c.lang, c.minor, c.currency, got, c.want)
		}
	}
	if got := formatInt("ru", 10000); got != "10\u00a0000" {
		t.Errorf("ru 10000: %q", got)
	}
	if got := formatInt("en", 1234567); got != "1,234,567" {
		t.Errorf("en 1234567: %q", got)
	}
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]int64{
		"": 0, "0": 0, "1234": 123400, "1234.5": 123450, "1 234,56": 123456, "1\u00a0234,56 ₽": 123456,
		",5": 50, "-3.10": -310, "007.01": 701,
	} {
		got, ok := parseMoney(in)
		if !ok || got != want {
			t.Errorf("parseMoney(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"abc", "1.234", "1,2,3", "12.3.4", "--1", "1e5", ".", "99999999999999999999"} {
		if _, ok := parseMoney(in); ok {
			t.Errorf("parseMoney(%q) accepted", in)
		}
	}
	for _, minor := range []int64{0, 1, 99, 100, 123456, -250} {
		back, ok := parseMoney(moneyInput(minor))
		if !ok || back != minor {
			t.Errorf("round trip of %d: %q → %d", minor, moneyInput(minor), back)
		}
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/projects?x=1": "/projects?x=1", "": "/", "//evil.example": "/", "https://evil.example/": "/",
		"/\\evil.example": "/", "projects": "/", "/a\r\nSet-Cookie: x": "/",
	} {
		if got := localPath(in, "/"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
