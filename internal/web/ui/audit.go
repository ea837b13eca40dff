package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

var auditList = register(&listDef{
	Name: "audit", Path: "/admin/audit",
	Columns: []colDef{
		{Key: "at", Label: "audit.at", Fixed: true},
		{Key: "user", Label: "audit.user", Default: true},
		{Key: "action", Label: "audit.action", Default: true},
		{Key: "record", Label: "audit.record", Default: true},
		{Key: "changes", Label: "audit.changes", Default: true},
		{Key: "ip", Label: "audit.ip"},
		{Key: "request", Label: "audit.request_id"},
	},
	Filters:     []string{"user", "entity", "action", "record", "from", "to"},
	DefaultDesc: true,
})

// auditEntities are the record types whose changes the log filter offers.
var auditEntities = []string{crm.EntityUser, crm.EntityDirectorate, crm.EntityProduct, crm.EntityProject,
	crm.EntityToken, crm.EntitySavedView}

var auditActions = []string{crm.AuditCreate, crm.AuditUpdate, crm.AuditDelete, crm.AuditRestore, crm.AuditPurge,
	crm.AuditLogin, crm.AuditLoginFailed, crm.AuditLogout, crm.AuditPasswordChange, crm.AuditTokenCreate,
	crm.AuditTokenRevoke, crm.AuditExport}

// recordPaths lead from an audit line to the record's card.
var recordPaths = map[string]string{
	crm.EntityUser: "/admin/users/", crm.EntityDirectorate: "/admin/directorates/",
	crm.EntityProduct: "/admin/products/", crm.EntityProject: "/projects/",
}

type auditRow struct {
	At      string
	Who     string
	Action  string
	Colour  string
	Record  string
	Href    string
	Changes []change
}

// auditRows formats audit entries for people, the names of every user they mention read at
// once.
func (u *UI) auditRows(r *http.Request, entries []crm.AuditEntry) []auditRow {
	ctx := r.Context()
	names := newNamer(u, ctx)
	names.prefetch(entries)
	lang, loc := u.lang(r), userLocation(ctx)
	out := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		ev := names.event(lang, loc, e)
		row := auditRow{At: ev.At, Who: ev.Who, Action: ev.Action, Colour: ev.Colour, Changes: ev.Changes,
			Record: entityLabel(lang, e.Entity)}
		if e.RecordID != 0 {
			row.Record += " #" + strconv.FormatInt(e.RecordID, 10)
			if p, ok := recordPaths[e.Entity]; ok {
				row.Href = p + strconv.FormatInt(e.RecordID, 10)
			}
		}
		out = append(out, row)
	}
	return out
}

// auditFilters are the inputs of the audit filter bar that are not selects.
type auditFilters struct {
	Record, From, To string
	Errors           map[string]string
}

func (u *UI) auditList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s := u.parseList(r, auditList)
	lang := u.lang(r)
	u.userFilter(ctx, s, "user", u.t(r, "audit.user"))
	var ents, acts []option
	for _, e := range auditEntities {
		ents = append(ents, option{Value: e, Label: entityLabel(lang, e)})
	}
	for _, a := range auditActions {
		acts = append(acts, option{Value: a, Label: actionLabel(lang, a)})
	}
	s.selectFilter("entity", u.t(r, "audit.entity"), ents)
	s.selectFilter("action", u.t(r, "audit.action"), acts)

	f := crm.AuditFilter{Entity: s.Filter("entity"), Action: s.Filter("action"), Page: s.Page()}
	if id := s.Int("user"); id > 0 {
		f.UserID = &id
	}
	extra := auditFilters{Record: s.Filter("record"), From: s.Filter("from"), To: s.Filter("to"), Errors: map[string]string{}}
	if extra.Record != "" {
		if id, err := strconv.ParseInt(strings.TrimPrefix(extra.Record, "#"), 10, 64); err == nil && id > 0 {
			f.RecordID = &id
		} else {
			extra.Errors["record"] = "err.number_format"
		}
	}
	loc := userLocation(ctx)
	// Days are the user's days: "from 1 March" starts at midnight in their zone, "to 31 March"
	// takes in everything before midnight that starts 1 April there (the store's To is
	// exclusive). A day is not always 24 hours long: summer time makes some 23 or 25.
	if start, ok := parseDay(extra.From, loc, 0, extra.Errors, "from"); ok {
		f.From = &start
	}
	if end, ok := parseDay(extra.To, loc, 1, extra.Errors, "to"); ok {
		f.To = &end
	}
	s.Extra = extra
	if len(extra.Errors) == 0 {
		page, err := u.app.ListAudit(ctx, f)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for i, ar := range u.auditRows(r, page.Items) {
			e := page.Items[i]
			s.Rows = append(s.Rows, row{ID: e.ID, Cells: map[string]cell{
				"at":      {Text: ar.At},
				"user":    {Text: ar.Who},
				"action":  {Text: ar.Action, Badge: ar.Colour},
				"record":  {Text: ar.Record, Href: ar.Href},
				"changes": {Changes: ar.Changes},
				"ip":      {Text: e.IP, Muted: true},
				"request": {Text: e.RequestID, Muted: true},
			}})
		}
		s.Total, s.Next = page.Total, page.Next
	}
	s.EmptyKey = "audit.empty"
	u.partial(w, r, "audit.html", u.newView(r, "audit.title", "admin", s), "list-region")
}

// parseDay reads a YYYY-MM-DD day of the user's calendar and returns the instant (in UTC) at
// which the day plus offset days begins in loc.
func parseDay(v string, loc *time.Location, offset int, errs map[string]string, field string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		errs[field] = "err.date_format"
		return time.Time{}, false
	}
	return time.Date(d.Year(), d.Month(), d.Day()+offset, 0, 0, 0, 0, loc).UTC(), true
}
