package app

import (
	"context"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// TaskInput is what a person may set on a new task.
type TaskInput struct {
	Title       string
	Kind        crm.TaskKind
	Description string
	AssigneeID  int64 // 0 = the caller
	DueAt       *time.Time
	RemindAt    *time.Time
	Entity      string // the record it is about; "" = none
	RecordID    int64
}

// CreateTask adds a task. On a record it is part of the record (R8): adding it needs the
// right to edit the record, and it takes the record's directorate. On no record it belongs to
// its creator and its assignee.
func (a *App) CreateTask(ctx context.Context, in TaskInput) (*crm.Task, error) {
	act, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	t := &crm.Task{Title: in.Title, Kind: in.Kind, Description: in.Description, AssigneeID: in.AssigneeID,
		DueAt: utcPtr(in.DueAt), RemindAt: utcPtr(in.RemindAt), Entity: in.Entity}
	if t.AssigneeID == 0 {
		t.AssigneeID = act.User.ID
	}
	if in.Entity != "" || in.RecordID != 0 {
		id := in.RecordID
		t.RecordID = &id
	}
	t.CreatedBy = act.userID()
	t.Normalise()
	t.Status = crm.TaskOpen
	if err := t.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if t.Entity != "" {
			parent, err := a.canEditParent(ctx, r, act, t.Entity, *t.RecordID)
			if err != nil {
				return recordRefErr(err)
			}
			t.DirectorateID, t.RecordTitle = optionalID(parent.Scope.DirectorateID), parent.Title
		} else if err := Can(act, ActCreate, crm.EntityTask, nil); err != nil {
			return err
		}
		if err := checkAssignee(ctx, r, t.AssigneeID); err != nil {
			return err
		}
		if err := r.CreateTask(ctx, t); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityTask, t.ID, nil, t)
	})
	if err != nil {
		return nil, err
	}
	if t.RemindAt != nil {
		a.Notifier().Wake()
	}
	return t, nil
}

// TaskPatch changes some fields of a task; Version must be the one read. The record a task
// is on does not change.
type TaskPatch struct {
	Version     int64
	Title       *string
	Kind        *crm.TaskKind
	Description *string
	AssigneeID  *int64
	DueAt       **time.Time
	RemindAt    **time.Time
	Status      *crm.TaskStatus
}

// statusOnly reports whether a patch changes nothing but the status.
func (pt TaskPatch) statusOnly() bool {
	return pt.Title == nil && pt.Kind == nil && pt.Description == nil && pt.AssigneeID == nil &&
		pt.DueAt == nil && pt.RemindAt == nil
}

// UpdateTask applies a patch. Whoever may edit the task's record may change everything; the
// assignee may always change the status (close, reopen, cancel), whatever the directorate.
func (a *App) UpdateTask(ctx context.Context, id int64, pt TaskPatch) (*crm.Task, error) {
	act, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Task
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		t, err := live(r.TaskByID(ctx, id))
		if err != nil {
			return err
		}
		if err := a.canChangeTask(ctx, r, act, t, pt.statusOnly()); err != nil {
			return err
		}
		before := *t
		setIf(&t.Title, pt.Title)
		setIf(&t.Kind, pt.Kind)
		setIf(&t.Description, pt.Description)
		setIf(&t.AssigneeID, pt.AssigneeID)
		if pt.DueAt != nil {
			t.DueAt = utcPtr(*pt.DueAt)
		}
		if pt.RemindAt != nil {
			t.RemindAt = utcPtr(*pt.RemindAt)
		}
		if pt.Status != nil && *pt.Status != t.Status {
			t.Status = *pt.Status
			t.DoneAt = nil
			if t.Status == crm.TaskDone {
				now := a.now()
				t.DoneAt = &now
			}
		}
		t.Normalise()
		if err := t.Validate(); err != nil {
			return err
		}
		if t.AssigneeID != before.AssigneeID {
			if err := checkAssignee(ctx, r, t.AssigneeID); err != nil {
				return err
			}
		}
		t.Version, t.UpdatedBy = pt.Version, act.userID()
		if err := r.UpdateTask(ctx, t); err != nil {
			return err
		}
		out = t
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityTask, id, &before, t)
	})
	if err != nil {
		return nil, err
	}
	if out.RemindAt != nil && out.Status == crm.TaskOpen {
		a.Notifier().Wake()
	}
	// The assignee's bell may have changed (a done task leaves it): tell their open pages.
	a.Notifier().Publish(out.AssigneeID, Notice{At: a.now()})
	return out, nil
}

// SetTaskStatus closes, reopens or cancels a task: the assignee always may.
func (a *App) SetTaskStatus(ctx context.Context, id, version int64, status crm.TaskStatus) (*crm.Task, error) {
	return a.UpdateTask(ctx, id, TaskPatch{Version: version, Status: &status})
}

// canChangeTask: a task on a record is edited by those who may edit the record (R8); a task
// on no record by its author and its assignee; crm_admin and admin always; and the assignee
// may change the status of any task given to them.
func (a *App) canChangeTask(ctx context.Context, r crm.Repo, act *Actor, t *crm.Task, statusOnly bool) error {
	if !writesAnything(act) {
		return crm.ErrForbidden
	}
	assignee := t.AssigneeID == act.User.ID
	if assignee && (statusOnly || t.Entity == "") {
		return nil
	}
	if t.Entity == "" {
		return Can(act, ActUpdate, crm.EntityTask, &Scope{AuthorID: t.CreatedBy})
	}
	scope, err := a.parentScope(ctx, r, t.Entity, derefID(t.RecordID))
	if isNotFound(err) {
		// The record is gone (deleted): only admins still tidy its tasks.
		if !act.User.Roles.IsFullAdmin() {
			return crm.ErrForbidden
		}
		return nil
	}
	if err != nil {
		return err
	}
	return Can(act, ActUpdate, t.Entity, scope)
}

// CanEditTask tells a skin whether to offer editing and deleting a task; CanCloseTask
// whether to offer done/reopen. The use cases check again.
func (a *App) CanEditTask(ctx context.Context, t *crm.Task) bool {
	act, err := writer(ctx)
	return err == nil && a.canChangeTask(ctx, a.store, act, t, false) == nil
}

// CanCloseTask tells whether the caller may change the task's status.
func (a *App) CanCloseTask(ctx context.Context, t *crm.Task) bool {
	act, err := writer(ctx)
	return err == nil && a.canChangeTask(ctx, a.store, act, t, true) == nil
}

// DeleteTask moves a task to the trash: those who may edit it.
func (a *App) DeleteTask(ctx context.Context, id, version int64) error {
	act, err := writer(ctx)
	if err != nil {
		return err
	}
	var assignee int64
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		t, err := live(r.TaskByID(ctx, id))
		if err != nil {
			return err
		}
		if err := a.canChangeTask(ctx, r, act, t, false); err != nil {
			return err
		}
		assignee = t.AssigneeID
		if err := r.SoftDelete(ctx, crm.EntityTask, id, version, derefID(act.userID())); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditDelete, crm.EntityTask, id, t, nil)
	})
	if err == nil {
		a.Notifier().Publish(assignee, Notice{At: a.now()})
	}
	return err
}

// RestoreTask brings a task back from the trash (crm_admin, admin).
func (a *App) RestoreTask(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityTask, id, nil)
}

// Task reads one task: every CRM role reads every task (R2).
func (a *App) Task(ctx context.Context, id int64) (*crm.Task, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := a.store.TaskByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return t, canRead(act, crm.EntityTask, t.Meta)
}

// ListTasks reads a page of tasks.
func (a *App) ListTasks(ctx context.Context, f crm.TaskFilter) (crm.Page[crm.Task], error) {
	if _, err := readList(ctx, crm.EntityTask, f.Deleted); err != nil {
		return crm.Page[crm.Task]{}, err
	}
	if f.Entity != "" && !HasWork(f.Entity) {
		return crm.Page[crm.Task]{}, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"entity": "err.choice"}}
	}
	if f.Overdue && f.OverdueAt == nil {
		now := a.now()
		f.OverdueAt = &now
	}
	f.Page.Clamp()
	return a.store.ListTasks(ctx, f)
}

// Task tabs of "my tasks".
const (
	TabOverdue  = "overdue"
	TabToday    = "today"
	TabUpcoming = "upcoming"
	TabDone     = "done"
)

// TaskTabs lists the tabs in the order the page shows them.
var TaskTabs = []string{TabOverdue, TabToday, TabUpcoming, TabDone}

// TaskTabFilter narrows f to one tab of "my tasks". "Today" is the caller's calendar day in
// their own time zone: what is due before midnight there.
func (a *App) TaskTabFilter(ctx context.Context, tab string, f crm.TaskFilter) crm.TaskFilter {
	now := a.now()
	loc := time.UTC
	if act := ActorFrom(ctx); act != nil && act.User != nil {
		tz := act.User.TimeZone
		if tz == "" {
			tz = crm.DefaultTimeZone
		}
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	local := now.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc).UTC()
	switch tab {
	case TabOverdue:
		f.Overdue, f.OverdueAt = true, &now
	case TabToday:
		f.Status, f.DueFrom, f.DueBefore = crm.TaskOpen, &now, &midnight
	case TabUpcoming:
		f.Status, f.DueFrom, f.OrNoDue = crm.TaskOpen, &midnight, true
	case TabDone:
		f.Status = crm.TaskDone
		if f.Page.Sort == "" {
			f.Page.Sort, f.Page.Desc = "updated_at", true
		}
	}
	return f
}

// MyTasks reads a page of one tab of the caller's own tasks.
func (a *App) MyTasks(ctx context.Context, tab string, page crm.PageRequest) (crm.Page[crm.Task], error) {
	act, err := actor(ctx)
	if err != nil {
		return crm.Page[crm.Task]{}, err
	}
	return a.ListTasks(ctx, a.TaskTabFilter(ctx, tab, crm.TaskFilter{AssigneeID: act.User.ID, Page: page}))
}

// bellSize is how many reminders the bell's dropdown lists; the count covers them all.
const bellSize = 10

// UnreadReminders is the bell: the caller's open tasks whose reminder time has come and that
// they have not dismissed, soonest due first, with their number.
func (a *App) UnreadReminders(ctx context.Context) (int, []crm.Task, error) {
	act, err := actor(ctx)
	if err != nil {
		return 0, nil, err
	}
	if !act.User.Roles.IsCRMUser() {
		return 0, nil, nil
	}
	now := a.now()
	page, err := a.store.ListTasks(ctx, crm.TaskFilter{AssigneeID: act.User.ID, RemindedBy: &now,
		Page: crm.PageRequest{Limit: bellSize, Sort: "due_at"}})
	if err != nil {
		return 0, nil, err
	}
	return page.Total, page.Items, nil
}

// DismissReminder takes a reminder out of the caller's bell; the task stays open.
func (a *App) DismissReminder(ctx context.Context, id int64) error {
	act, err := writer(ctx)
	if err != nil {
		return err
	}
	if !writesAnything(act) {
		return crm.ErrForbidden
	}
	if err := a.store.DismissReminder(ctx, id, act.User.ID, a.now()); err != nil {
		return err
	}
	a.Notifier().Publish(act.User.ID, Notice{At: a.now()})
	return nil
}

// DeliverDueReminders claims the reminders whose time has come and publishes each to its
// assignee's open pages; it returns how many it claimed. Several instances may run it at
// once: MarkNotified lets exactly one of them have each reminder.
func (a *App) DeliverDueReminders(ctx context.Context, limit int) (int, error) {
	now := a.now()
	due, err := a.store.DueReminders(ctx, now, limit)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range due {
		t := &due[i]
		ok, err := a.store.MarkNotified(ctx, t.ID, now)
		if err != nil {
			return n, err
		}
		if !ok {
			continue // another instance took it
		}
		n++
		t.NotifiedAt = &now
		a.Notifier().Publish(t.AssigneeID, Notice{Task: t, At: now})
	}
	return n, nil
}

// NextReminder is when the earliest reminder still to deliver is due (nil: none).
func (a *App) NextReminder(ctx context.Context) (*time.Time, error) {
	return a.store.NextReminder(ctx)
}

// checkAssignee: a task goes to an active, live user who can see and close it: one with a
// CRM role that writes (not crm_read_admin alone).
func checkAssignee(ctx context.Context, r crm.Repo, id int64) error {
	u, err := r.UserByID(ctx, id)
	if isNotFound(err) || (err == nil && (u.Deleted() || !writesAnything(&Actor{User: u}))) {
		return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"assignee_id": "err.user_unknown"}}
	}
	return err
}

// recordRefErr turns "the record is not there" into a field error of the form or body that
// named it; other errors (forbidden) pass unchanged.
func recordRefErr(err error) error {
	if isNotFound(err) {
		return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"record_id": "err.record_unknown"}}
	}
	return err
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	x := t.UTC().Truncate(time.Microsecond)
	return &x
}
