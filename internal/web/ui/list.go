package ui

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// listDef declares one list screen: its columns, which of them sort, and which filters it
// takes. Everything a request may ask of a list is checked against this declaration, so no
// column, sort or filter name from a URL reaches the store unless it is listed here.
type listDef struct {
	Name        string // key of saved filters and column choices: "projects"
	Path        string // "/projects"
	Entity      string // for the trash permission; "" = no trash
	Columns     []colDef
	Filters     []string // query keys of the list's own filters, besides q
	DefaultSort string
	DefaultDesc bool
	Search      bool   // shows the text search box
	SearchHint  string // catalogue key of the search box placeholder: what the search looks in
	// Rows loads one page for the state (filters, sort, cursor) into s.Rows, s.Total and s.Next
	// and fills the filter bar. The list screen renders what it loads; export and group
	// actions page through it, so they see exactly the rows the user filtered.
	Rows func(u *UI, r *http.Request, s *listState) error
}

// colDef is one column of a list.
type colDef struct {
	Key     string // allow-listed name, stored in the user's column choice
	Label   string // catalogue key
	Sort    string // store sort field; "" = not sortable
	Default bool   // shown until the user chooses
	Fixed   bool   // always shown (the record's name: the link to the card)
	Num     bool   // right-aligned
}

var lists = map[string]*listDef{}

// register adds a list definition to the registry the column and saved-filter handlers use.
func register(d *listDef) *listDef {
	lists[d.Name] = d
	return d
}

func (d *listDef) sortable(field string) bool {
	for _, c := range d.Columns {
		if c.Sort != "" && c.Sort == field {
			return true
		}
	}
	return false
}

// listState is one request's view of a list: what it asks for (already checked against the
// definition) and, after the query, what came back.
type listState struct {
	Def     *listDef
	Q       string
	Sort    string
	Desc    bool
	After   string
	Deleted bool
	Filters url.Values // only keys of Def.Filters
	Visible []colDef
	Columns []colDef // every column, for the chooser

	CanTrash  bool
	Views     []crm.SavedView
	Rows      []row
	Total     int
	Next      string
	FilterBar []filterSelect
	EmptyKey  string // catalogue key shown when there are no rows
	NewURL    string // "" = no create button
	NewLabel  string
	Extra     any // a screen's own filter inputs

	// Limit is the page size Rows asks for; 0 = the store's default (export and group
	// actions page through a list with the largest page the store gives).
	Limit int
	// NoTotal skips the capped count: export and group actions page through a list without
	// showing how many rows it has.
	NoTotal bool
	// Bulk is the group-action toolbar of the list, nil when the list offers none to the
	// user (no right to edit, the trash, a record type group actions do not cover).
	Bulk *bulkBar
}

// row is one line of a list: its cells by column key.
type row struct {
	ID         int64
	Href       string
	Cells      map[string]cell
	RestoreURL string // trash view only
}

// cell is what a list column shows for one row. A screen fills it; the shared table partial
// renders it, so every list looks and behaves the same.
type cell struct {
	Text    string
	Href    string
	Badge   string // Tabler badge colour: "green", "secondary"…
	Muted   bool
	Changes []change // audit diff
	List    []string // several values, shown as tags
}

// filterSelect is one select of a list's filter bar.
type filterSelect struct {
	Name    string
	Label   string // translated
	Options []option
}

type option struct {
	Value    string
	Label    string
	Selected bool
}

// listPage serves a list screen: parse the request, load a page with d.Rows, render.
func (u *UI) listPage(w http.ResponseWriter, r *http.Request, d *listDef, title, nav string) {
	s := u.parseList(r, d)
	if err := d.Rows(u, r, s); err != nil {
		u.fail(w, r, err)
		return
	}
	u.partial(w, r, "list.html", u.newView(r, title, nav, s), "list-region")
}

// parseList reads a list request: unknown sort fields, columns and filters are dropped, so
// a hand-edited URL shows the default rather than an error.
func (u *UI) parseList(r *http.Request, d *listDef) *listState {
	q := r.URL.Query()
	s := &listState{Def: d, Q: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Desc: q.Get("desc") == "1",
		After: q.Get("after"), Filters: url.Values{}}
	if len([]rune(s.Q)) > 200 {
		s.Q = string([]rune(s.Q)[:200])
	}
	if !d.sortable(s.Sort) {
		s.Sort, s.Desc = d.DefaultSort, d.DefaultDesc
	}
	for _, f := range d.Filters {
		if v := strings.TrimSpace(q.Get(f)); v != "" {
			s.Filters.Set(f, v)
		}
	}
	ctx := r.Context()
	if d.Entity != "" {
		s.CanTrash = u.app.Allowed(ctx, app.ActRestore, d.Entity)
		s.Deleted = s.CanTrash && q.Get("deleted") == "1"
	}
	s.Columns = d.Columns
	chosen, err := u.app.ListColumns(ctx, d.Name)
	if err != nil {
		u.log.Warn("list columns", "list", d.Name, "err", err)
	}
	for _, c := range d.Columns {
		if c.Fixed || (len(chosen) == 0 && c.Default) || contains(chosen, c.Key) {
			s.Visible = append(s.Visible, c)
		}
	}
	if views, err := u.app.SavedViews(ctx, d.Name); err == nil {
		s.Views = views
	}
	s.Bulk = u.bulkBarOf(r, s)
	return s
}

// Page is the store's page request of this state.
func (s *listState) Page() crm.PageRequest {
	return crm.PageRequest{After: s.After, Sort: s.Sort, Desc: s.Desc, Limit: s.Limit, NoTotal: s.NoTotal}
}

// Int reads a numeric filter; 0 when absent or malformed.
func (s *listState) Int(name string) int64 {
	n, _ := strconv.ParseInt(s.Filters.Get(name), 10, 64)
	return n
}

// Filter returns a filter's value.
func (s *listState) Filter(name string) string { return s.Filters.Get(name) }

// query is the URL query of the state with some parameters replaced; after is never carried
// over unless set, since a cursor means nothing under another filter or sort.
func (s *listState) query(set map[string]string) string {
	v := url.Values{}
	if s.Q != "" {
		v.Set("q", s.Q)
	}
	for k, vals := range s.Filters {
		v[k] = vals
	}
	if s.Sort != s.Def.DefaultSort || s.Desc != s.Def.DefaultDesc {
		v.Set("sort", s.Sort)
		if s.Desc {
			v.Set("desc", "1")
		}
	}
	if s.Deleted {
		v.Set("deleted", "1")
	}
	for k, x := range set {
		if x == "" {
			v.Del(k)
		} else {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

func (s *listState) url(set map[string]string) string {
	q := s.query(set)
	if q == "" {
		return s.Def.Path
	}
	return s.Def.Path + "?" + q
}

// Query is what a saved filter stores: the filters and the sort, no page position.
func (s *listState) Query() string { return s.query(nil) }

// URL is the current list address without page position.
func (s *listState) URL() string { return s.url(nil) }

// SortURL toggles the direction on the current sort column, else sorts ascending by col.
func (s *listState) SortURL(c colDef) string {
	desc := ""
	if c.Sort == s.Sort && !s.Desc {
		desc = "1"
	}
	// Spelling the sort out even when it is the default keeps the toggle working both ways.
	v, _ := url.ParseQuery(s.query(nil))
	v.Set("sort", c.Sort)
	v.Del("desc")
	if desc != "" {
		v.Set("desc", "1")
	}
	return s.Def.Path + "?" + v.Encode()
}

// SortDir is "asc"/"desc" on the sorted column, "" elsewhere (aria-sort and the arrow).
func (s *listState) SortDir(c colDef) string {
	if c.Sort == "" || c.Sort != s.Sort {
		return ""
	}
	if s.Desc {
		return "desc"
	}
	return "asc"
}

// NextURL is the next keyset page.
func (s *listState) NextURL() string { return s.url(map[string]string{"after": s.Next}) }

// ViewURL opens a saved filter. The whole address is built here: html/template would
// query-escape a query string written after a literal "?" in the template.
func (s *listState) ViewURL(v crm.SavedView) string {
	if v.Query == "" {
		return s.Def.Path
	}
	return s.Def.Path + "?" + v.Query
}

// FirstURL is the first page under the same filter.
func (s *listState) FirstURL() string { return s.url(nil) }

// TrashURL switches between live rows and the trash.
func (s *listState) TrashURL() string {
	if s.Deleted {
		return s.url(map[string]string{"deleted": ""})
	}
	return s.url(map[string]string{"deleted": "1"})
}

// Capped reports a total that stopped counting at crm.TotalCap.
func (s *listState) Capped() bool { return s.Total >= crm.TotalCap }

// Shown reports whether a column is visible (the chooser's checkboxes).
func (s *listState) Shown(key string) bool {
	for _, c := range s.Visible {
		if c.Key == key {
			return true
		}
	}
	return false
}

// Filtered reports whether any filter or search narrows the list.
func (s *listState) Filtered() bool { return s.Q != "" || len(s.Filters) > 0 }

// selectFilter builds a filter select whose options are checked against the request value.
func (s *listState) selectFilter(name, label string, opts []option) {
	cur := s.Filters.Get(name)
	valid := false
	for i := range opts {
		if opts[i].Value == cur {
			opts[i].Selected, valid = true, true
		}
	}
	if !valid {
		s.Filters.Del(name)
	}
	s.FilterBar = append(s.FilterBar, filterSelect{Name: name, Label: label, Options: opts})
}

// saveColumns keeps the user's column choice of a list: only names the list declares.
func (u *UI) saveColumns(w http.ResponseWriter, r *http.Request) {
	d, ok := lists[r.PathValue("list")]
	if !ok {
		u.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		u.errorPage(w, r, http.StatusBadRequest, "err.validation")
		return
	}
	var cols []string
	if r.PostForm.Get("reset") == "" {
		for _, c := range d.Columns {
			if !c.Fixed && contains(r.PostForm["col"], c.Key) {
				cols = append(cols, c.Key)
			}
		}
		if len(cols) == 0 {
			// An empty choice would read back as "the default"; keep the name column alone instead.
			cols = []string{d.Columns[0].Key}
		}
	}
	if err := u.app.SetListColumns(r.Context(), d.Name, cols); err != nil {
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "list.columns_saved")
	back := localPath(r.PostForm.Get("back"), d.Path)
	if isHTMX(r) {
		// Redraw just the table under the new columns; the toast rides on that response.
		loc, _ := json.Marshal(map[string]string{"path": back, "target": "#list-region", "swap": "outerHTML"})
		w.Header().Set("HX-Location", string(loc))
		w.WriteHeader(http.StatusNoContent)
		return
	}
	redirect(w, r, back)
}

// saveView stores the current filter of a list under a name.
func (u *UI) saveView(w http.ResponseWriter, r *http.Request) {
	d, ok := lists[r.PathValue("list")]
	if !ok {
		u.notFound(w, r)
		return
	}
	query := strings.TrimPrefix(r.PostFormValue("query"), "?")
	// Re-read the query through the list's own rules: a saved filter holds only what the list
	// allows, whatever the form sent.
	parsed, err := url.ParseQuery(query)
	if err != nil {
		parsed = url.Values{}
	}
	clean := url.Values{}
	for k, vals := range parsed {
		if k == "q" || k == "sort" || k == "desc" || contains(d.Filters, k) {
			clean[k] = vals[:1]
		}
	}
	_, err = u.app.SaveView(r.Context(), d.Name, r.PostFormValue("name"), clean.Encode())
	if err != nil {
		if crm.ErrorCode(err) == crm.EInvalid {
			u.flash(r, "danger", firstField(err, "err.validation"))
			redirect(w, r, d.Path+"?"+clean.Encode())
			return
		}
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "list.view_saved")
	redirect(w, r, d.Path+"?"+clean.Encode())
}

func (u *UI) deleteView(w http.ResponseWriter, r *http.Request) {
	d, ok := lists[r.PathValue("list")]
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if !ok || err != nil {
		u.notFound(w, r)
		return
	}
	if err := u.app.DeleteView(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "list.view_deleted")
	redirect(w, r, d.Path)
}

// firstField returns the problem key of a validation error's first field by name (one
// toast has room for one problem; the same error always shows the same one), or fallback.
func firstField(err error, fallback string) string {
	fields := crm.ErrorFields(err)
	if len(fields) == 0 {
		return fallback
	}
	return fields[slices.Min(slices.Collect(maps.Keys(fields)))]
}

// yesNo is a boolean filter's options.
func (u *UI) activeOptions(r *http.Request) []option {
	return []option{{Value: "1", Label: u.t(r, "common.active")}, {Value: "0", Label: u.t(r, "common.inactive")}}
}

// boolFilter reads a "1"/"0" filter into the store's *bool.
func boolFilter(s string) *bool {
	switch s {
	case "1":
		b := true
		return &b
	case "0":
		b := false
		return &b
	}
	return nil
}
