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

func (u *UI) auditRow(r *http.Request, names *namer, e crm.AuditEntry) auditRow {
	lang := u.lang(r)
	ev := names.event(lang, userLocation(r.Context()), e)
	row := auditRow{At: ev.At, Who: ev.Who, Action: ev.Action, Colour: ev.Colour, Changes: ev.Changes,
		Record: entityLabel(lang, e.Entity)}
	if e.RecordID != 0 {
		row.Record += " #" + strconv.FormatInt(e.RecordID, 10)
		if p, ok := recordPaths[e.Entity]; ok {
			row.Href = p + strconv.FormatInt(e.RecordID, 10)
		}
	}
	return row
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
	users := u.userOptions(ctx)
	s.selectFilter("user", u.t(r, "audit.user"), users)
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
	// Days are the user's days: "from 1 March" starts at midnight in their zone.
	if t, ok := parseDay(extra.From, loc, extra.Errors, "from"); ok {
		f.From = &t
	}
	if t, ok := parseDay(extra.To, loc, extra.Errors, "to"); ok {
		end := t.AddDate(0, 0, 1).Add(-time.Nanosecond)
		f.To = &end
	}
	s.Extra = extra
	if len(extra.Errors) == 0 {
		page, err := u.app.ListAudit(ctx, f)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		names := newNamer(u, ctx)
		for _, e := range page.Items {
			ar := u.auditRow(r, names, e)
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

func parseDay(v string, loc *time.Location, errs map[string]string, field string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		errs[field] = "err.date_format"
		return time.Time{}, false
	}
	return t.UTC(), true
}
