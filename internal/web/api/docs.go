package api

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/i18n"
)

// The reference page is rendered once, on the server, from the same OpenAPI document that
// /api/openapi.json serves: no script, no CDN, so it works offline and under a strict CSP.

//go:embed docs.html
var docsHTML string

//go:embed docs.css
var docsCSS []byte

var docsTemplate = template.Must(template.New("docs").Funcs(template.FuncMap{
	"prose": prose,
	"lower": strings.ToLower,
}).Parse(docsHTML))

type docPage struct {
	Title, Version string
	Intro          template.HTML
	Tags           []docTag
	Schemas        []docSchema
	Problems       []docProblem
}

type docTag struct {
	Name        string
	Description template.HTML
	Ops         []docOp
}

type docOp struct {
	ID, Method, Path, Summary, Description string
	Params                                 []docField
	Body                                   *docSchema
	Responses                              []docResponse
}

type docResponse struct {
	Status, Description string
	Schema              *docSchema
	Error               bool
}

// docSchema is a named schema (or an inline one with no name) and its fields.
type docSchema struct {
	Name   string // component name; "" for inline schemas
	Type   string // for schemas that are not objects, e.g. "array of Token"
	Fields []docField
}

type docField struct {
	Name, In, Type, Link, Description string
	Required                          bool
	Constraints                       []string
}

type docProblem struct {
	Code, Title, Detail string
	Status              int
}

// docs serves the rendered page.
type docs struct{ page []byte }

func newDocs(oapi *huma.OpenAPI) *docs {
	var buf bytes.Buffer
	if err := docsTemplate.Execute(&buf, buildDocPage(oapi)); err != nil {
		panic(fmt.Errorf("api reference: %w", err)) // a programming error, caught by the tests
	}
	return &docs{page: buf.Bytes()}
}

func (d *docs) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The page has no script at all; only its own and the vendored styles load.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(d.page)
}

func serveDocsCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(docsCSS)
}

var methodOrder = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete}

func buildDocPage(oapi *huma.OpenAPI) docPage {
	reg := oapi.Components.Schemas
	page := docPage{Title: oapi.Info.Title, Version: oapi.Info.Version, Intro: prose(oapi.Info.Description)}
	byTag := map[string]*docTag{}
	var tagOrder []string
	for _, t := range oapi.Tags {
		byTag[t.Name] = &docTag{Name: t.Name, Description: prose(t.Description)}
		tagOrder = append(tagOrder, t.Name)
	}
	paths := make([]string, 0, len(oapi.Paths))
	for p := range oapi.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		item := oapi.Paths[p]
		for _, m := range methodOrder {
			o := operationOf(item, m)
			if o == nil || o.Hidden {
				continue
			}
			tag := "Other"
			if len(o.Tags) > 0 {
				tag = o.Tags[0]
			}
			if byTag[tag] == nil {
				byTag[tag] = &docTag{Name: tag}
				tagOrder = append(tagOrder, tag)
			}
			byTag[tag].Ops = append(byTag[tag].Ops, docOperation(reg, p, m, o))
		}
	}
	for _, t := range tagOrder {
		if len(byTag[t].Ops) > 0 {
			page.Tags = append(page.Tags, *byTag[t])
		}
	}
	names := make([]string, 0)
	for name := range reg.Map() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := describeSchema(reg, reg.Map()[name])
		s.Name = name
		page.Schemas = append(page.Schemas, s)
	}
	codes := make([]string, 0, len(statusOf))
	for c := range statusOf {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return statusOf[codes[i]] < statusOf[codes[j]] })
	for _, c := range codes {
		st := statusOf[c]
		key := keyOf(st)
		page.Problems = append(page.Problems, docProblem{Code: c, Status: st, Title: http.StatusText(st),
			Detail: i18n.Default().T("en", key, nil)})
	}
	return page
}

func operationOf(item *huma.PathItem, method string) *huma.Operation {
	switch method {
	case http.MethodGet:
		return item.Get
	case http.MethodPost:
		return item.Post
	case http.MethodPatch:
		return item.Patch
	case http.MethodPut:
		return item.Put
	case http.MethodDelete:
		return item.Delete
	}
	return nil
}

func docOperation(reg huma.Registry, path, method string, o *huma.Operation) docOp {
	d := docOp{ID: o.OperationID, Method: method, Path: path, Summary: o.Summary, Description: o.Description}
	for _, p := range o.Parameters {
		f := fieldOf(reg, p.Name, p.Schema, p.Required)
		f.In = p.In
		if p.Description != "" {
			f.Description = p.Description
		}
		d.Params = append(d.Params, f)
	}
	if rb := o.RequestBody; rb != nil {
		if mt := rb.Content["application/json"]; mt != nil && mt.Schema != nil {
			s := describeSchema(reg, mt.Schema)
			d.Body = &s
		}
	}
	statuses := make([]string, 0, len(o.Responses))
	for st := range o.Responses {
		statuses = append(statuses, st)
	}
	sort.Strings(statuses) // "default" sorts after the numbers
	for _, st := range statuses {
		r := o.Responses[st]
		dr := docResponse{Status: st, Description: r.Description, Error: !strings.HasPrefix(st, "2")}
		for _, mt := range r.Content {
			if mt.Schema != nil {
				s := describeSchema(reg, mt.Schema)
				dr.Schema = &s
				break
			}
		}
		d.Responses = append(d.Responses, dr)
	}
	return d
}

// describeSchema lists the fields of an object schema, following one $ref.
func describeSchema(reg huma.Registry, s *huma.Schema) docSchema {
	var d docSchema
	if s.Ref != "" {
		d.Name = refName(s.Ref)
		s = reg.SchemaFromRef(s.Ref)
	}
	if s == nil {
		return d
	}
	if s.Type != huma.TypeObject || len(s.Properties) == 0 {
		d.Type, _ = typeOf(s)
		return d
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.SliceStable(names, func(i, j int) bool {
		if required[names[i]] != required[names[j]] {
			return required[names[i]]
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		d.Fields = append(d.Fields, fieldOf(reg, n, s.Properties[n], required[n]))
	}
	return d
}

func fieldOf(reg huma.Registry, name string, s *huma.Schema, required bool) docField {
	f := docField{Name: name, Required: required}
	if s == nil {
		return f
	}
	f.Type, f.Link = typeOf(s)
	f.Description = s.Description
	target := s
	if s.Ref != "" {
		target = reg.SchemaFromRef(s.Ref)
	}
	if target.Type == huma.TypeArray && target.Items != nil {
		target = target.Items
	}
	if len(target.Enum) > 0 {
		vals := make([]string, len(target.Enum))
		for i, v := range target.Enum {
			vals[i] = fmt.Sprint(v)
		}
		f.Constraints = append(f.Constraints, "one of: "+strings.Join(vals, ", "))
	}
	if s.Minimum != nil {
		f.Constraints = append(f.Constraints, fmt.Sprintf("≥ %v", *s.Minimum))
	}
	if s.Maximum != nil {
		f.Constraints = append(f.Constraints, fmt.Sprintf("≤ %v", *s.Maximum))
	}
	if s.MaxLength != nil {
		f.Constraints = append(f.Constraints, fmt.Sprintf("at most %d characters", *s.MaxLength))
	}
	if s.Default != nil {
		f.Constraints = append(f.Constraints, fmt.Sprintf("default %v", s.Default))
	}
	if s.ReadOnly {
		f.Constraints = append(f.Constraints, "read-only")
	}
	if s.WriteOnly {
		f.Constraints = append(f.Constraints, "write-only")
	}
	return f
}

// typeOf names a schema's type for a reader, with the anchor of a referenced schema.
func typeOf(s *huma.Schema) (name, link string) {
	switch {
	case s.Ref != "":
		n := refName(s.Ref)
		return n, "schema-" + n
	case s.Type == huma.TypeArray && s.Items != nil:
		inner, l := typeOf(s.Items)
		return "array of " + inner, l
	case s.Type == huma.TypeObject && s.AdditionalProperties != nil:
		if inner, ok := s.AdditionalProperties.(*huma.Schema); ok {
			in, l := typeOf(inner)
			return "map of " + in, l
		}
	}
	t := s.Type
	if t == "" {
		t = "any"
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	if s.Nullable {
		t += " or null"
	}
	return t, ""
}

func refName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

var codeSpan = regexp.MustCompile("`([^`]+)`")

// prose renders the little Markdown the descriptions use: paragraphs and `code`.
func prose(s string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if para == "" {
			continue
		}
		esc := template.HTMLEscapeString(strings.ReplaceAll(para, "\n", " "))
		b.WriteString("<p>")
		b.WriteString(codeSpan.ReplaceAllString(esc, "<code>$1</code>"))
		b.WriteString("</p>")
	}
	return template.HTML(b.String()) // #nosec G203 -- built from escaped text only
}
