package app

import (
	"context"
	"sort"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// TimelineItem is one entry of a record's timeline: a change from the audit log, a task, a
// file or a note. Exactly one of the pointers is set.
type TimelineItem struct {
	At       time.Time
	RecordID int64 // the record it belongs to: this one, or one merged into it
	Audit    *crm.AuditEntry
	Task     *crm.Task
	File     *crm.Attachment
	Note     *crm.Note
}

// mergeable are the record types a duplicate merge folds together: their timelines carry the
// history of the records merged into them.
var mergeable = map[string]bool{crm.EntityCompany: true, crm.EntityContact: true}

// Timeline reads up to limit items of a record's timeline older than before (nil: from now),
// newest first, with the records merged into it; next is the before of the following page,
// nil at the end. Changes from the audit log are shown to those who may read the log.
func (a *App) Timeline(ctx context.Context, entity string, id int64, before *time.Time, limit int) ([]TimelineItem, *time.Time, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, err := canReadParent(ctx, a.store, act, entity, id); err != nil {
		return nil, nil, err
	}
	if limit <= 0 || limit > crm.MaxPageSize {
		limit = crm.DefaultPageSize
	}
	ids := []int64{id}
	if mergeable[entity] {
		merged, err := a.store.MergedFrom(ctx, entity, id)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, merged...)
	}
	var items []TimelineItem
	older := func(t time.Time) bool { return before == nil || t.Before(*before) }
	// Each source gives at most limit+1 items older than before: enough to fill the page and
	// to know whether anything is left.
	if Can(act, ActRead, crm.EntityAudit, nil) == nil {
		for _, rid := range ids {
			f := crm.AuditFilter{Entity: entity, RecordID: &rid, To: before, Page: crm.PageRequest{Limit: limit + 1, Sort: "id", Desc: true}}
			page, err := a.store.ListAudit(ctx, f)
			if err != nil {
				return nil, nil, err
			}
			for i := range page.Items {
				items = append(items, TimelineItem{At: page.Items[i].At, RecordID: rid, Audit: &page.Items[i]})
			}
		}
	}
	for _, rid := range ids {
		f := crm.TaskFilter{Entity: entity, RecordID: rid, Page: crm.PageRequest{Limit: limit + 1, Sort: "created_at", Desc: true}}
		if before != nil {
			// A keyset cursor at (before, id 0): strictly older than before, as the other sources.
			f.Page.After = crm.EncodeCursor(crm.Cursor{Value: before.UTC().Format(time.RFC3339Nano), ID: 0})
		}
		page, err := a.store.ListTasks(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		for i := range page.Items {
			items = append(items, TimelineItem{At: page.Items[i].CreatedAt, RecordID: rid, Task: &page.Items[i]})
		}
	}
	files, err := a.store.ListAttachments(ctx, entity, ids...)
	if err != nil {
		return nil, nil, err
	}
	for i := range files {
		if older(files[i].CreatedAt) {
			items = append(items, TimelineItem{At: files[i].CreatedAt, RecordID: files[i].RecordID, File: &files[i]})
		}
	}
	notes, err := a.store.ListNotes(ctx, entity, ids...)
	if err != nil {
		return nil, nil, err
	}
	for i := range notes {
		if older(notes[i].CreatedAt) {
			items = append(items, TimelineItem{At: notes[i].CreatedAt, RecordID: notes[i].RecordID, Note: &notes[i]})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].At.After(items[j].At) })
	if len(items) <= limit {
		return items, nil, nil
	}
	items = items[:limit]
	next := items[limit-1].At
	return items, &next, nil
}
