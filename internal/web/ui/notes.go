package ui

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// loadTimeline reads one page of a card's timeline: changes, tasks, files and notes of the
// record (and of records merged into it), newest first, with the note form on top.
func (u *UI) loadTimeline(r *http.Request, p *workPanel, f *form) error {
	ctx := r.Context()
	var before *time.Time
	if s := r.URL.Query().Get("before"); s != "" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			before = &t
		}
	}
	items, next, err := u.app.Timeline(ctx, p.Entity, p.RecordID, before, 50)
	if err != nil {
		return err
	}
	names := newNamer(u, ctx)
	var audit []crm.AuditEntry
	var people []*int64
	for _, it := range items {
		switch {
		case it.Audit != nil:
			audit = append(audit, *it.Audit)
		case it.Task != nil:
			people = append(people, it.Task.CreatedBy, &it.Task.AssigneeID)
		case it.File != nil:
			people = append(people, it.File.CreatedBy)
		case it.Note != nil:
			people = append(people, it.Note.CreatedBy)
		}
	}
	names.prefetch(audit)
	names.prefetchUsers(people...)
	lang, loc := u.lang(r), userLocation(ctx)
	who := func(id *int64) string {
		if n := names.userName(id); n != "" {
			return n
		}
		return u.t(r, "audit.system")
	}
	for _, it := range items {
		var ev event
		switch {
		case it.Audit != nil:
			ev = names.event(lang, loc, *it.Audit)
		case it.Task != nil:
			t := it.Task
			ev = event{Who: who(t.CreatedBy), Action: u.t(r, "timeline.task_added"), Icon: "checklist", Colour: "azure",
				Title: t.Title, Detail: u.t(r, "timeline.task_detail", "Assignee", names.user(t.AssigneeID), "Status", u.t(r, "value.task_status."+string(t.Status)))}
			if t.DueAt != nil {
				ev.Detail += " · " + u.t(r, "field.task.due_at") + ": " + formatDateTime(lang, *t.DueAt, loc)
			}
			if t.Overdue(time.Now()) {
				ev.Colour = "red"
			}
		case it.File != nil:
			a := it.File
			ev = event{Who: who(a.CreatedBy), Action: u.t(r, "timeline.file_added"), Icon: "paperclip", Colour: "purple",
				Title: a.FileName, Href: "/files/" + strconv.FormatInt(a.ID, 10), Detail: formatSize(lang, a.Size)}
			if a.Description != "" {
				ev.Detail += " · " + a.Description
			}
		case it.Note != nil:
			n := it.Note
			ev = event{Who: who(n.CreatedBy), Action: u.t(r, "timeline.note_added"), Icon: "note", Colour: "yellow", Body: n.Body}
			if p.CanEdit {
				ev.DeleteURL, ev.Version = "/notes/"+strconv.FormatInt(n.ID, 10)+"/delete", n.Version
			}
		}
		ev.At = formatDateTime(lang, it.At, loc)
		if it.RecordID != p.RecordID {
			ev.Merged = u.t(r, "timeline.merged_from", "ID", it.RecordID)
		}
		p.Timeline = append(p.Timeline, ev)
	}
	if next != nil {
		p.MoreURL = p.Base + "?tab=history&before=" + next.UTC().Format(time.RFC3339Nano)
	}
	if p.CanEdit {
		if f == nil {
			f = newForm(p.Action("notes"), p.Base+"?tab=history")
		}
		p.NoteForm = f
	}
	return nil
}

// noteAdd writes a note from the timeline tab.
func (u *UI) noteAdd(w http.ResponseWriter, r *http.Request) {
	entity, id, ok := u.workRecord(w, r)
	if !ok {
		return
	}
	base := recordHref(entity, &id)
	p := &workPanel{Entity: entity, RecordID: id, Base: base}
	f := newForm(p.Action("notes"), base+"?tab=history")
	f.fromRequest(r)
	status, toastKey := http.StatusOK, "notes.added"
	if _, err := u.app.AddNote(r.Context(), entity, id, f.Get("body")); err != nil {
		if !f.absorb(err, "body") {
			u.fail(w, r, err)
			return
		}
		status, toastKey = formStatus(err), ""
	} else {
		f = nil
	}
	p.CanEdit = u.app.CanEditRecord(r.Context(), entity, id)
	r.URL.RawQuery = "" // the timeline from its newest entry
	if err := u.loadTimeline(r, p, f); err != nil {
		u.fail(w, r, err)
		return
	}
	if f != nil && !p.CanEdit {
		p.NoteForm = f
	}
	u.workRegion(w, r, status, p, "history", "work_timeline", toastKey)
}

// noteDelete moves a note to the trash.
func (u *UI) noteDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteFromRecord(w, r, "history", "notes.deleted", func(ctx context.Context, id int64) (string, int64, error) {
		n, err := u.app.Note(ctx, id)
		if err != nil {
			return "", 0, err
		}
		return n.Entity, n.RecordID, nil
	}, u.app.DeleteNote)
}
