package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// registerWork adds the routes of tasks and reminders, files, notes.
func (u *UI) registerWork(page pageFunc) {
	page("GET /tasks", u.taskList)
	page("POST /tasks/new", u.taskQuickAdd)
	page("POST /tasks/{id}/status", u.taskStatus)
	page("POST /tasks/{id}/dismiss", u.taskDismiss)
	page("POST /tasks/{id}/delete", u.taskDelete)
	page("POST /tasks/{id}/restore", u.taskRestore)
	page("GET /bell", u.bellPartial)
	page("GET /events", u.events)

	page("POST /work/{entity}/{id}/tasks", u.recordTaskAdd)
	page("POST /work/{entity}/{id}/files", u.fileUpload)
	page("POST /work/{entity}/{id}/notes", u.noteAdd)
	page("GET /files/{id}", u.fileDownload)
	page("POST /files/{id}/delete", u.fileDelete)
	page("POST /notes/{id}/delete", u.noteDelete)
}

// workRecordPaths are where the card of each record type that carries work lives.
var workRecordPaths = map[string]string{
	crm.EntityProject:  "/projects/",
	crm.EntityCompany:  "/companies/",
	crm.EntityContact:  "/contacts/",
	crm.EntityDeal:     "/deals/",
	crm.EntityContract: "/contracts/",
}

// recordHref is the card of a record, "" for a task on no record.
func recordHref(entity string, id *int64) string {
	p, ok := workRecordPaths[entity]
	if !ok || id == nil {
		return ""
	}
	return p + strconv.FormatInt(*id, 10)
}

// workRecord reads the {entity} and {id} of a work route; ok is false (and a 404 written)
// for an entity that carries no work.
func (u *UI) workRecord(w http.ResponseWriter, r *http.Request) (string, int64, bool) {
	entity := r.PathValue("entity")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if !app.HasWork(entity) || err != nil || id <= 0 {
		u.notFound(w, r)
		return "", 0, false
	}
	return entity, id, true
}

// workPanel is what the work tabs of a card show: the tasks, the files or the timeline of
// one record, with the forms to add to them.
type workPanel struct {
	Entity   string
	RecordID int64
	Base     string // the card's URL
	CanEdit  bool   // may add tasks, files, notes

	Tasks     []taskView
	TaskForm  *form
	Users     []option
	Kinds     []option
	Files     []fileView
	FileForm  *form
	MaxSizeMB int64
	Timeline  []event
	NoteForm  *form
	MoreURL   string
}

// Action is where the panel's forms post.
func (p *workPanel) Action(what string) string {
	return "/work/" + p.Entity + "/" + strconv.FormatInt(p.RecordID, 10) + "/" + what
}

// workTabs are the card tabs of a record that carries work; the timeline takes the place of
// the history tab (it holds the history too, for those who may read the audit log).
func (u *UI) workTabs(base string, tabs []tab) []tab {
	out := make([]tab, 0, len(tabs)+3)
	for _, t := range tabs {
		if t.Key != "history" {
			out = append(out, t)
		}
	}
	return append(out,
		tab{Key: "tasks", Label: "work.tab_tasks", Href: base + "?tab=tasks"},
		tab{Key: "files", Label: "work.tab_files", Href: base + "?tab=files"},
		tab{Key: "history", Label: "work.tab_timeline", Href: base + "?tab=history"})
}

// loadWork fills the panel of the active tab.
func (u *UI) loadWork(r *http.Request, c *card, entity string, id int64, base string) error {
	ctx := r.Context()
	p := &workPanel{Entity: entity, RecordID: id, Base: base, CanEdit: !c.Deleted && u.app.CanEditRecord(ctx, entity, id)}
	c.Work = p
	switch c.Tab {
	case "tasks":
		return u.loadTaskPanel(r, p, nil)
	case "files":
		return u.loadFilePanel(r, p, nil)
	case "history":
		return u.loadTimeline(r, p, nil)
	}
	return nil
}

// workRegion answers a work form posted with htmx with the region it came from, or a plain
// POST with a redirect to the card's tab (and the toast as a flash).
func (u *UI) workRegion(w http.ResponseWriter, r *http.Request, status int, p *workPanel, tabKey, region, toastKey string) {
	if !isHTMX(r) {
		if status == http.StatusForbidden {
			u.errorPage(w, r, status, "err.forbidden")
			return
		}
		if toastKey != "" {
			u.flash(r, "success", toastKey)
		} else if status >= 400 {
			u.flash(r, "danger", firstFormError(p, tabKey))
		}
		redirect(w, r, p.Base+"?tab="+tabKey)
		return
	}
	v := u.newView(r, "", "", &cardPage{Card: card{Tab: tabKey, Work: p}})
	if toastKey != "" {
		triggerToast(w, toast{Level: "success", Text: u.t(r, toastKey)})
	}
	u.execute(w, r, status, "tasks.html", region, v)
}

func firstFormError(p *workPanel, tabKey string) string {
	var f *form
	switch tabKey {
	case "tasks":
		f = p.TaskForm
	case "files":
		f = p.FileForm
	default:
		f = p.NoteForm
	}
	if f == nil {
		return "err.validation"
	}
	for _, k := range []string{"file", "title", "body", "due_at", "remind_at", "assignee_id", "kind", "description"} {
		if e := f.Errors[k]; e != "" {
			return e
		}
	}
	if f.Message != "" {
		return f.Message
	}
	return "form.fix_errors"
}

// parseLocalTime reads a datetime-local input in the user's time zone; "" is nil.
func parseLocalTime(v string, loc *time.Location) (*time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			t = t.UTC()
			return &t, true
		}
	}
	return nil, false
}

// deleteFromRecord moves a file or a note to the trash and goes back to the tab of the record
// it belongs to (owner names that record); a stale version is a message there, not an error
// page, since the tab shows the item again as it now is.
func (u *UI) deleteFromRecord(w http.ResponseWriter, r *http.Request, tab, doneKey string,
	owner func(ctx context.Context, id int64) (entity string, recordID int64, err error),
	del func(ctx context.Context, id, version int64) error) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	entity, recordID, err := owner(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	back := recordHref(entity, &recordID) + "?tab=" + tab
	if err := del(r.Context(), id, version); err != nil {
		if crm.ErrorCode(err) == crm.EConflict {
			u.flash(r, "danger", "err.stale_version")
			redirect(w, r, back)
			return
		}
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", doneKey)
	redirect(w, r, back)
}
