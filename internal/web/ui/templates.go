package ui

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/ladder-crm/ladder/internal/i18n"
)

//go:embed templates
var templateFS embed.FS

// templates holds one parsed set per page and language. Parsing per language lets templates
// call {{t "key"}} with no language argument while every set is still parsed only once.
type templates struct {
	sets map[string]*template.Template // "lang/page.html"
}

func parseTemplates() (*templates, error) {
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	ts := &templates{sets: map[string]*template.Template{}}
	for _, lang := range i18n.Languages {
		for _, p := range pages {
			t, err := template.New(path.Base(p)).Funcs(templateFuncs(lang)).ParseFS(templateFS,
				"templates/layout.html", "templates/partials/*.html", p)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", p, err)
			}
			ts.sets[lang+"/"+path.Base(p)] = t
		}
	}
	return ts, nil
}

func (ts *templates) lookup(lang, page string) (*template.Template, error) {
	t, ok := ts.sets[lang+"/"+page]
	if !ok {
		return nil, fmt.Errorf("no template %q", page)
	}
	return t, nil
}

// templateFuncs are the functions every template may call, bound to one language.
func templateFuncs(lang string) template.FuncMap {
	cat := i18n.Default()
	return template.FuncMap{
		// t translates a key; extra arguments are name/value pairs for the message's data.
		"t": func(key string, kv ...any) string { return cat.T(lang, key, pairs(kv)) },
		// tn translates a plural message for count n.
		"tn": func(key string, n int, kv ...any) string { return cat.N(lang, key, n, pairs(kv)) },
		// tf translates a field name of an entity, falling back to the generic field label.
		"tf":    func(entity, field string) string { return fieldLabel(lang, entity, field) },
		"num":   func(n int) string { return formatInt(lang, int64(n)) },
		"money": func(minor int64, currency string) string { return formatMoney(lang, minor, currency) },
		"lang":  func() string { return lang },
		"role":  func(role string) string { return roleLabel(lang, role) },
		"icon":  icon,
		"field": newField,
		"opts":  withOptions,
		"req":   required,
		"help":  withHelp,
		"attrs": withAttrs,
		"dict":  dict,
		"list":  func(v ...any) []any { return v },
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"has":   func(xs []string, x string) bool { return contains(xs, x) },
	}
}

func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}

// dict builds a map for passing several values to a partial.
func dict(kv ...any) map[string]any {
	m := pairs(kv)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// icon renders one symbol of the vendored Tabler sprite (names listed in scripts/icons.txt).
func icon(name string, class ...string) template.HTML {
	c := "icon"
	if len(class) > 0 {
		c += " " + strings.Join(class, " ")
	}
	return template.HTML(`<svg class="` + template.HTMLEscapeString(c) + `" aria-hidden="true" focusable="false"><use href="/static/vendor/tabler-sprite.svg#tabler-` +
		template.HTMLEscapeString(name) + `"></use></svg>`)
}

func contains[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
