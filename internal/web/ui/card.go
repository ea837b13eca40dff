package ui

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// card is the shared frame of a record's page: title, actions, tabs, and the history tab
// built from the audit log.
type card struct {
	Title    string
	Subtitle string
	Badge    string // translated status
	BadgeCol string
	Deleted  bool
	Tabs     []tab
	Tab      string // active tab key
	EditURL  string // "" = no edit button
	Delete   *recordAction
	Restore  *recordAction
	Events   []event // history tab
	MoreURL  string  // older history
	// Work is the tasks, files or timeline tab of a record that carries them (nil elsewhere).
	Work *workPanel
}

type tab struct {
	Key   string
	Label string // catalogue key
	Href  string
}

// recordAction is a POST button on a card (delete, restore) with the version it acts on.
type recordAction struct {
	URL     string
	Version int64
	Confirm string // translated confirmation text; "" = no dialog
}

// event is one entry of the activity timeline: a change from the audit log, or (on records
// that carry work) a task, a file or a note.
type event struct {
	At      string
	Who     string
	Action  string // translated
	Icon    string
	Colour  string
	Changes []change

	Title     string // a task's title, a file's name
	Href      string // where Title leads (a file's download)
	Detail    string // one line under the title
	Body      string // a note's text
	Merged    string // "from record #12 merged into this one"
	DeleteURL string // a note's delete action
	Version   int64
}

// change is one field of an audit entry: old → new, already formatted for people.
type change struct {
	Field string
	Old   string
	New   string
}

// cardTabs returns the tabs of a card; History only for those who may read the audit log
// (the tab is hidden, not greyed out: the log is not theirs to know about).
func (u *UI) cardTabs(r *http.Request, base string, extra ...tab) ([]tab, string) {
	tabs := append([]tab{{Key: "main", Label: "card.tab_main", Href: base}}, extra...)
	if u.app.Allowed(r.Context(), app.ActRead, crm.EntityAudit) {
		tabs = append(tabs, tab{Key: "history", Label: "card.tab_history", Href: base + "?tab=history"})
	}
	cur := r.URL.Query().Get("tab")
	for _, t := range tabs {
		if t.Key == cur {
			return tabs, cur
		}
	}
	return tabs, "main"
}

// showCard draws a record's page (the page template's "card-body" alone for htmx tab
// switches); on the history tab it reads the record's timeline first. A record that carries
// work (app.HasWork) gets the tabs Tasks and Files, and a timeline that merges its changes,
// tasks, files and notes in place of the history.
func (u *UI) showCard(w http.ResponseWriter, r *http.Request, page, nav, entity string, id int64, data *cardPage) {
	if app.HasWork(entity) {
		c := &data.Card
		base := r.URL.Path
		c.Tabs = u.workTabs(base, c.Tabs)
		if cur := r.URL.Query().Get("tab"); cur == "tasks" || cur == "files" || cur == "history" {
			c.Tab = cur
		}
		if err := u.loadWork(r, c, entity, id, base); err != nil {
			u.fail(w, r, err)
			return
		}
		u.partial(w, r, page, u.newView(r, "", nav, data), "card-body")
		return
	}
	if data.Card.Tab == "history" {
		var err error
		if data.Card.Events, data.Card.MoreURL, err = u.history(r, entity, id); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	u.partial(w, r, page, u.newView(r, "", nav, data), "card-body")
}

// history loads the timeline of one record, newest first.
func (u *UI) history(r *http.Request, entity string, id int64) ([]event, string, error) {
	ctx := r.Context()
	after := r.URL.Query().Get("after")
	page, err := u.app.ListAudit(ctx, crm.AuditFilter{Entity: entity, RecordID: &id,
		Page: crm.PageRequest{Limit: 50, After: after, Desc: true}})
	if err != nil {
		return nil, "", err
	}
	names := newNamer(u, ctx)
	names.prefetch(page.Items)
	lang, loc := u.lang(r), userLocation(ctx)
	events := make([]event, 0, len(page.Items))
	for _, e := range page.Items {
		events = append(events, names.event(lang, loc, e))
	}
	more := ""
	if page.Next != "" {
		more = r.URL.Path + "?tab=history&after=" + page.Next
	}
	return events, more, nil
}

func userLocation(ctx context.Context) *time.Location {
	if act := app.ActorFrom(ctx); act != nil && act.User != nil {
		return location(act.User.TimeZone)
	}
	return location("")
}

var actionLook = map[string][2]string{ // action → icon, colour
	crm.AuditCreate: {"plus", "green"}, crm.AuditUpdate: {"pencil", "blue"},
	crm.AuditDelete: {"trash", "red"}, crm.AuditRestore: {"restore", "teal"},
	crm.AuditPurge: {"trash", "red"}, crm.AuditLogin: {"login", "azure"},
	crm.AuditLoginFailed: {"alert-triangle", "orange"}, crm.AuditLogout: {"logout", "secondary"},
	crm.AuditPasswordChange: {"key", "purple"}, crm.AuditTokenCreate: {"api", "indigo"},
	crm.AuditTokenRevoke: {"api", "secondary"}, crm.AuditExport: {"list-details", "cyan"},
}

// namer turns ids found in audit entries into names people recognise, through the
// request's lookup.
type namer struct {
	*lookup
}

func newNamer(u *UI, ctx context.Context) *namer {
	return &namer{u.lookup(ctx)}
}

// prefetch reads at once the names of the users a page of entries mentions.
func (n *namer) prefetch(entries []crm.AuditEntry) {
	var ids []*int64
	for _, e := range entries {
		if e.UserName == "" {
			ids = append(ids, e.UserID)
		}
		for field, v := range e.Changes {
			if userIDFields[field] {
				for _, x := range v {
					if f, ok := x.(float64); ok {
						id := int64(f)
						ids = append(ids, &id)
					}
				}
			}
		}
	}
	n.prefetchUsers(ids...)
}

// userIDFields are the audit fields that hold a user id.
var userIDFields = map[string]bool{"responsible_id": true, "head_id": true, "user_id": true}

func (n *namer) directorate(id int64) string { return n.anyDirectorateName(id) }

func (n *namer) event(lang string, loc *time.Location, e crm.AuditEntry) event {
	cat := i18n.Default()
	look, ok := actionLook[e.Action]
	if !ok {
		look = [2]string{"info-circle", "secondary"}
	}
	who := e.UserName
	if who == "" && e.UserID != nil {
		who = n.user(*e.UserID)
	}
	if who == "" {
		who = cat.T(lang, "audit.system", nil)
	}
	return event{At: formatDateTime(lang, e.At, loc), Who: who, Action: actionLabel(lang, e.Action),
		Icon: look[0], Colour: look[1], Changes: n.changes(lang, e.Entity, e.Changes)}
}

func actionLabel(lang, action string) string {
	cat := i18n.Default()
	if k := "audit.action." + action; cat.Has(lang, k) {
		return cat.T(lang, k, nil)
	}
	return action
}

func entityLabel(lang, entity string) string {
	cat := i18n.Default()
	if k := "entity." + entity; cat.Has(lang, k) {
		return cat.T(lang, k, nil)
	}
	return entity
}

// changes formats an audit diff, fields in a stable order.
func (n *namer) changes(lang, entity string, m map[string][2]any) []change {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]change, 0, len(keys))
	for _, k := range keys {
		out = append(out, change{Field: fieldLabel(lang, entity, k),
			Old: n.value(lang, k, m[k][0]), New: n.value(lang, k, m[k][1])})
	}
	return out
}

// value formats one audit value. Values arrive as decoded JSON (float64 numbers, []any
// lists), so ids are recognised by the field name.
func (n *namer) value(lang, field string, v any) string {
	cat := i18n.Default()
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return cat.T(lang, "common.yes", nil)
		}
		return cat.T(lang, "common.no", nil)
	case float64:
		id := int64(x)
		switch {
		case field == "directorate_id":
			return n.directorate(id)
		case userIDFields[field]:
			return n.user(id)
		case field == "price_minor":
			return formatMoney(lang, id, "")
		}
		if x == float64(id) {
			return strconv.FormatInt(id, 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if x == "" {
			return "—"
		}
		if k := "value." + field + "." + x; cat.Has(lang, k) {
			return cat.T(lang, k, nil)
		}
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil && strings.Contains(x, "T") {
			// Calendar days (crm.Date) reach the log as midnight UTC: show them as days, not
			// as an instant moved into the reader's time zone.
			if strings.HasPrefix(field, "date_") || strings.HasSuffix(field, "_date") {
				return formatDay(lang, t.UTC())
			}
			return formatDateTime(lang, t, userLocation(n.ctx))
		}
		if t, err := time.Parse(time.DateOnly, x); err == nil {
			return formatDay(lang, t)
		}
		return x
	case []any:
		if len(x) == 0 {
			return "—"
		}
		parts := make([]string, 0, len(x))
		for _, e := range x {
			switch field {
			case "directorates":
				if f, ok := e.(float64); ok {
					parts = append(parts, n.directorate(int64(f)))
					continue
				}
			case "roles":
				if s, ok := e.(string); ok {
					parts = append(parts, roleLabel(lang, s))
					continue
				}
			}
			parts = append(parts, n.value(lang, "", e))
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

func roleLabel(lang, role string) string {
	cat := i18n.Default()
	if k := "role." + role; cat.Has(lang, k) {
		return cat.T(lang, k, nil)
	}
	return role
}

// stampProps are the last two lines of every record card: when and by whom it was created
// and last changed.
func (u *UI) stampProps(r *http.Request, people *lookup, m crm.Meta) []prop {
	lang, loc := u.lang(r), userLocation(r.Context())
	return []prop{
		{Label: u.t(r, "field.created_at"), Value: formatDateTime(lang, m.CreatedAt, loc) + byWhom(people, m.CreatedBy)},
		{Label: u.t(r, "field.updated_at"), Value: formatDateTime(lang, m.UpdatedAt, loc) + byWhom(people, m.UpdatedBy)},
	}
}
