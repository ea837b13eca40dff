// Package i18n is Ladder's message catalogue: every user-visible string, in Russian and English.
// Messages live in embedded JSON files named <area>.<lang>.json (errors, ui, …), one key a
// message; plural messages carry CLDR forms (one, few, many, other for Russian).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed catalog/*.json
var files embed.FS

// Languages the UI speaks; the first is the default when a browser asks for neither.
var Languages = []string{"ru", "en"}

// Catalog translates message keys.
type Catalog struct {
	bundle     *goi18n.Bundle
	mu         sync.Mutex
	localizers map[string]*goi18n.Localizer
	keys       map[string]map[string]bool // lang → keys present
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
)

// Default returns the catalogue built from the embedded files; it panics on a broken file,
// which the package's own test catches first.
func Default() *Catalog {
	defaultOnce.Do(func() {
		c, err := Load(files)
		if err != nil {
			panic(err)
		}
		defaultCat = c
	})
	return defaultCat
}

// Load builds a catalogue from every catalog/*.json of fsys.
func Load(fsys fs.FS) (*Catalog, error) {
	b := goi18n.NewBundle(language.Russian)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{bundle: b, localizers: map[string]*goi18n.Localizer{}, keys: map[string]map[string]bool{}}
	names, err := fs.Glob(fsys, "catalog/*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		mf, err := b.ParseMessageFileBytes(data, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		lang := mf.Tag.String()
		if c.keys[lang] == nil {
			c.keys[lang] = map[string]bool{}
		}
		for _, m := range mf.Messages {
			if c.keys[lang][m.ID] {
				return nil, fmt.Errorf("%s: key %q defined twice", name, m.ID)
			}
			c.keys[lang][m.ID] = true
		}
	}
	return c, nil
}

// Keys returns the keys defined for lang (tests compare the languages).
func (c *Catalog) Keys(lang string) map[string]bool { return c.keys[lang] }

func (c *Catalog) localizer(lang string) *goi18n.Localizer {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.localizers[lang]
	if !ok {
		l = goi18n.NewLocalizer(c.bundle, lang)
		c.localizers[lang] = l
	}
	return l
}

// T translates key into lang with optional template data ({{.Name}}). A missing key comes back
// as the key itself, so that it shows up in tests and screenshots instead of a blank.
func (c *Catalog) T(lang, key string, data map[string]any) string {
	s, err := c.localizer(lang).Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil || s == "" {
		return key
	}
	return s
}

// N translates a plural message for count n (Russian: 1 запись, 2 записи, 5 записей).
func (c *Catalog) N(lang, key string, n int, data map[string]any) string {
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = n
	s, err := c.localizer(lang).Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: n})
	if err != nil || s == "" {
		return key
	}
	return s
}

// Has reports whether key exists in lang.
func (c *Catalog) Has(lang, key string) bool { return c.keys[lang][key] }

// Negotiate picks ru or en from an Accept-Language header; Russian when it asks for neither.
func Negotiate(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "ru"
	}
	for _, t := range tags {
		base, _ := t.Base()
		switch base.String() {
		case "ru":
			return "ru"
		case "en":
			return "en"
		}
	}
	return "ru"
}

// Supported reports whether lang is one the UI speaks.
func Supported(lang string) bool {
	for _, l := range Languages {
		if strings.EqualFold(l, lang) {
			return true
		}
	}
	return false
}
