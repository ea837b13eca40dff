package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/importer"
)

// Export of any list: GET <list path>/export?format=csv|xlsx&<the list's query> writes the
// rows the list shows under the same filters and sort, every page of them, as the cells of
// the visible columns under a header of the column labels in the user's language. The rows
// come from the list's own Rows, so an export can never show what the list would not.

// exportMaxRows bounds one export: far above any list a person exports, low enough that a
// runaway request ends. A variable so that tests can lower it.
var exportMaxRows = 1_000_000

// registerExports adds the export route of every list that loads its rows through Rows. It
// runs from registerImport, after every package-level list definition and init() ran.
func (u *UI) registerExports(page pageFunc) {
	for _, d := range lists {
		if d.Rows == nil {
			continue
		}
		page("GET "+d.Path+"/export", func(w http.ResponseWriter, r *http.Request) { u.exportList(w, r, d) })
	}
}

// Exportable reports whether the list offers export (it loads its rows through Rows).
func (s *listState) Exportable() bool { return s.Def.Rows != nil }

// ExportURL is the export of the list under its current filters and sort.
func (s *listState) ExportURL(format string) string {
	return s.Def.Path + "/export?" + s.query(map[string]string{"format": format})
}

// listRequest is r asking for the list under query (a list's own query string, as the
// group-action form carries it) rather than under r's own parameters.
func listRequest(r *http.Request, query string) *http.Request {
	r2 := r.Clone(r.Context())
	u2 := *r.URL
	u2.RawQuery = strings.TrimPrefix(query, "?")
	r2.URL = &u2
	return r2
}

// exportPageTime is how long one page of an export may take to load and write; the deadline
// moves on with every page, so a million-row export is not cut at the server's WriteTimeout.
const exportPageTime = 2 * time.Minute

func (u *UI) exportList(w http.ResponseWriter, r *http.Request, d *listDef) {
	q := r.URL.Query()
	format := q.Get("format")
	if format != importer.FormatCSV && format != importer.FormatXLSX {
		u.errorPage(w, r, http.StatusUnprocessableEntity, "err.validation")
		return
	}
	// "Export the selection" names the checked rows by id (and carries the list's query in
	// query=); without ids the whole filter is exported.
	var only map[int64]bool
	if q.Get("all") != "1" {
		for _, v := range q["id"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
				if only == nil {
					only = map[int64]bool{}
				}
				only[id] = true
			}
		}
	}
	lr := r
	if q.Has("query") {
		lr = listRequest(r, q.Get("query"))
	}
	s := u.parseList(lr, d)
	s.After, s.Limit, s.NoTotal = "", crm.MaxPageSize, true
	if only != nil && q.Get("after") != "" {
		// The selection is on the page the user looks at: start there.
		s.After = q.Get("after")
	}
	if err := d.Rows(u, lr, s); err != nil {
		u.fail(w, r, err)
		return
	}

	ctx := r.Context()
	name := d.Name + "-" + time.Now().In(userLocation(ctx)).Format("2006-01-02") + "." + format
	h := w.Header()
	h.Set("Content-Type", importer.ContentType(format))
	h.Set("Content-Disposition", app.ContentDisposition(name))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	tw, err := importer.NewTableWriter(format, w)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	header := make([]string, len(s.Visible))
	for i, c := range s.Visible {
		header[i] = u.t(r, c.Label)
	}
	rc := http.NewResponseController(w)
	// From here on the status is sent: a failure can only cut the file short (and is logged).
	n, err := 0, tw.Write(header)
	found := 0
	for err == nil {
		for _, rw := range s.Rows {
			if only != nil && !only[rw.ID] {
				continue
			}
			cells := make([]string, len(s.Visible))
			for i, c := range s.Visible {
				cells[i] = cellText(rw.Cells[c.Key])
			}
			if err = tw.Write(cells); err != nil {
				break
			}
			n++
			found++
		}
		if err != nil || s.Next == "" || n >= exportMaxRows || (only != nil && found >= len(only)) {
			break
		}
		if err = ctx.Err(); err != nil {
			break
		}
		s.After, s.Rows, s.FilterBar, s.Next = s.Next, nil, nil, ""
		// A long export outlives the server's write timeout: each page buys time for the next.
		_ = rc.SetWriteDeadline(time.Now().Add(exportPageTime))
		err = d.Rows(u, lr, s)
	}
	if err == nil {
		_ = rc.SetWriteDeadline(time.Now().Add(exportPageTime)) // an XLSX is assembled at Close
		err = tw.Close()
	}
	if err != nil {
		u.log.Warn("export cut short", "list", d.Name, "rows", n, "err", err)
	}
	// What left the server is audited, a file cut short too.
	entity := d.Entity
	if entity == "" {
		entity = d.Name
	}
	if err := u.app.AuditExport(ctx, entity, format, n, exportQuery(s, only)); err != nil {
		u.log.Error("export audit", "list", d.Name, "err", err)
	}
}

// exportQuery is what the audit keeps of an export: the list's query and, for a selection,
// how many rows were chosen.
func exportQuery(s *listState, only map[int64]bool) string {
	q := s.Query()
	if only != nil {
		v, _ := url.ParseQuery(q)
		v.Set("selected", strconv.Itoa(len(only)))
		q = v.Encode()
	}
	return q
}

// cellText is what a list cell says as plain text.
func cellText(c cell) string {
	switch {
	case len(c.Changes) > 0:
		parts := make([]string, len(c.Changes))
		for i, ch := range c.Changes {
			parts[i] = ch.Field + ": " + ch.Old + " → " + ch.New
		}
		return strings.Join(parts, "; ")
	case len(c.List) > 0:
		return strings.Join(c.List, ", ")
	}
	return c.Text
}
