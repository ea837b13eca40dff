package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// taskFrom joins the record a task is on, so that lists show its name without a query per
// row; each join is on one primary key and only for rows of that entity.
const taskFrom = `tasks t
	LEFT JOIN projects rp ON t.entity = 'project' AND rp.id = t.record_id
	LEFT JOIN companies rc ON t.entity = 'company' AND rc.id = t.record_id
	LEFT JOIN contacts rn ON t.entity = 'contact' AND rn.id = t.record_id
	LEFT JOIN deals rd ON t.entity = 'deal' AND rd.id = t.record_id
	LEFT JOIN contracts rk ON t.entity = 'contract' AND rk.id = t.record_id`

const taskColumns = `t.id, t.title, t.kind, t.description, t.assignee_id, t.due_at, t.remind_at, t.notified_at,
	t.dismissed_at, t.status, t.done_at, t.entity, t.record_id, t.origin, t.directorate_id,
	COALESCE(rp.name, rc.name, rn.full_name, rd.name, rk.number, ''),
	t.created_at, t.created_by, t.updated_at, t.updated_by, t.version, t.deleted_at, t.deleted_by`

func scanTask(row interface{ Scan(...any) error }, t *crm.Task, extra ...any) error {
	var due, remind, notified, dismissed, done, created, updated, deleted dbTime
	var record, dir, createdBy, updatedBy, deletedBy sql.NullInt64
	var kind, status string
	dest := []any{&t.ID, &t.Title, &kind, &t.Description, &t.AssigneeID, &due, &remind, &notified,
		&dismissed, &status, &done, &t.Entity, &record, &t.Origin, &dir, &t.RecordTitle,
		&created, &createdBy, &updated, &updatedBy, &t.Version, &deleted, &deletedBy}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	t.Kind, t.Status = crm.TaskKind(kind), crm.TaskStatus(status)
	t.DueAt, t.RemindAt, t.NotifiedAt, t.DismissedAt, t.DoneAt = due.ptr(), remind.ptr(), notified.ptr(), dismissed.ptr(), done.ptr()
	t.RecordID, t.DirectorateID = nullInt(record), nullInt(dir)
	t.CreatedAt, t.UpdatedAt, t.DeletedAt = created.T, updated.T, deleted.ptr()
	t.CreatedBy, t.UpdatedBy, t.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

// TaskByID reads one task, deleted or not.
func (r repo) TaskByID(ctx context.Context, id int64) (*crm.Task, error) {
	t := &crm.Task{}
	err := scanTask(r.r.QueryRowContext(ctx, "SELECT "+taskColumns+" FROM "+taskFrom+" WHERE t.id = $1", id), t)
	if err != nil {
		return nil, notFoundOr(err)
	}
	return t, nil
}

func (r repo) taskSorts() map[string]sortField {
	// A task without a due time sorts after every dated one (ascending): it is the least urgent.
	due := "COALESCE(t.due_at, '9999-12-31T00:00:00.000000Z')"
	if r.d.name() == "postgres" {
		due = "COALESCE(t.due_at, TIMESTAMPTZ '9999-12-31 00:00:00+00')"
	}
	return map[string]sortField{
		"due_at":     {due, sortTime},
		"created_at": {"t.created_at", sortTime},
		"updated_at": {"t.updated_at", sortTime},
		"title":      {"t.title", sortText},
		"id":         {"t.id", sortInt},
	}
}

// ListTasks reads a page of tasks.
func (r repo) ListTasks(ctx context.Context, f crm.TaskFilter) (crm.Page[crm.Task], error) {
	q := &listQuery{from: taskFrom, columns: taskColumns, sorts: r.taskSorts(), deflt: "due_at"}
	q.filter(deletedCond("t", f.Deleted))
	q.search("t", f.Q)
	if f.AssigneeID != 0 {
		q.filter("t.assignee_id = ?", f.AssigneeID)
	}
	if f.Status != "" {
		q.filter("t.status = ?", string(f.Status))
	}
	if f.Entity != "" {
		q.filter("t.entity = ?", f.Entity)
	}
	if f.RecordID != 0 {
		q.filter("t.record_id = ?", f.RecordID)
	}
	if f.Overdue {
		at := nowUTC()
		if f.OverdueAt != nil {
			at = *f.OverdueAt
		}
		q.filter("t.status = 'open' AND t.due_at < ?", r.d.time(at))
	}
	switch {
	case f.DueFrom != nil && f.DueBefore != nil && f.OrNoDue:
		q.filter("((t.due_at >= ? AND t.due_at < ?) OR t.due_at IS NULL)", r.d.time(*f.DueFrom), r.d.time(*f.DueBefore))
	case f.DueFrom != nil && f.DueBefore != nil:
		q.filter("t.due_at >= ? AND t.due_at < ?", r.d.time(*f.DueFrom), r.d.time(*f.DueBefore))
	case f.DueFrom != nil && f.OrNoDue:
		q.filter("(t.due_at >= ? OR t.due_at IS NULL)", r.d.time(*f.DueFrom))
	case f.DueFrom != nil:
		q.filter("t.due_at >= ?", r.d.time(*f.DueFrom))
	case f.DueBefore != nil && f.OrNoDue:
		q.filter("(t.due_at < ? OR t.due_at IS NULL)", r.d.time(*f.DueBefore))
	case f.DueBefore != nil:
		q.filter("t.due_at < ?", r.d.time(*f.DueBefore))
	}
	if f.RemindedBy != nil {
		q.filter("t.status = 'open' AND t.dismissed_at IS NULL AND t.remind_at <= ?", r.d.time(*f.RemindedBy))
	}
	var page crm.Page[crm.Task]
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		var t crm.Task
		err := scanTask(rows, &t, sv...)
		page.Items = append(page.Items, t)
		return t.ID, err
	})
	page.Next, page.Total = next, total
	return page, err
}

// CreateTask inserts a task.
func (r repo) CreateTask(ctx context.Context, t *crm.Task) error {
	now := nowUTC()
	t.CreatedAt, t.UpdatedAt, t.Version, t.UpdatedBy = now, now, 1, t.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO tasks (title, kind, description, assignee_id, due_at, remind_at,
		status, done_at, entity, record_id, origin, directorate_id, search, created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$14,$15,1) RETURNING id`,
		t.Title, string(t.Kind), t.Description, t.AssigneeID, r.taskTime(t.DueAt), r.taskTime(t.RemindAt),
		string(t.Status), r.taskTime(t.DoneAt), t.Entity, nullID(t.RecordID), t.Origin, nullID(t.DirectorateID),
		searchText(t.Title, t.Description), r.d.time(now), nullID(t.CreatedBy)).Scan(&t.ID)
	return r.writeErr(err)
}

// UpdateTask writes a task if t.Version is current; a moved reminder rings again.
func (r repo) UpdateTask(ctx context.Context, t *crm.Task) error {
	now := nowUTC()
	remind := r.taskTime(t.RemindAt)
	// The marks stay only while the reminder time and the assignee stay: a new time, or a new
	// person, rings again. SQLite spells the NULL-safe comparison "IS".
	same := "remind_at IS NOT DISTINCT FROM $6 AND assignee_id = $4"
	if r.d.name() == "sqlite" {
		same = "remind_at IS $6 AND assignee_id = $4"
	}
	res, err := r.w.ExecContext(ctx, `UPDATE tasks SET title=$1, kind=$2, description=$3, assignee_id=$4, due_at=$5,
		notified_at = CASE WHEN `+same+` THEN notified_at END,
		dismissed_at = CASE WHEN `+same+` THEN dismissed_at END,
		remind_at=$6, status=$7, done_at=$8, entity=$9, record_id=$10, origin=$11, directorate_id=$12, search=$13,
		updated_at=$14, updated_by=$15, version=version+1
		WHERE id=$16 AND version=$17 AND deleted_at IS NULL`,
		t.Title, string(t.Kind), t.Description, t.AssigneeID, r.taskTime(t.DueAt), remind,
		string(t.Status), r.taskTime(t.DoneAt), t.Entity, nullID(t.RecordID), t.Origin, nullID(t.DirectorateID),
		searchText(t.Title, t.Description), r.d.time(now), nullID(t.UpdatedBy), t.ID, t.Version)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.checkVersion(ctx, res, "tasks", t.ID); err != nil {
		return err
	}
	t.Version++
	t.UpdatedAt = now
	// Read back what the statement decided about the reminder marks.
	var notified, dismissed dbTime
	if err := r.w.QueryRowContext(ctx, "SELECT notified_at, dismissed_at FROM tasks WHERE id = $1", t.ID).Scan(&notified, &dismissed); err != nil {
		return err
	}
	t.NotifiedAt, t.DismissedAt = notified.ptr(), dismissed.ptr()
	return nil
}

// DueReminders lists open live tasks whose reminder time has come and that nobody notified.
func (r repo) DueReminders(ctx context.Context, now time.Time, limit int) ([]crm.Task, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := r.r.QueryContext(ctx, "SELECT "+taskColumns+" FROM "+taskFrom+
		` WHERE t.status = 'open' AND t.notified_at IS NULL AND t.deleted_at IS NULL AND t.remind_at <= $1
		ORDER BY t.remind_at, t.id LIMIT $2`, r.d.time(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Task
	for rows.Next() {
		var t crm.Task
		if err := scanTask(rows, &t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// MarkNotified claims a reminder in one statement: of two instances racing for it, the one
// whose UPDATE finds notified_at still empty wins, the other changes nothing.
func (r repo) MarkNotified(ctx context.Context, taskID int64, at time.Time) (bool, error) {
	res, err := r.w.ExecContext(ctx, `UPDATE tasks SET notified_at = $1
		WHERE id = $2 AND notified_at IS NULL AND status = 'open' AND deleted_at IS NULL`, r.d.time(at), taskID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DismissReminder marks a reminder put away by its assignee. It is not an edit of the task:
// version and updated_at stay, so a form open elsewhere does not go stale.
func (r repo) DismissReminder(ctx context.Context, taskID, assigneeID int64, at time.Time) error {
	res, err := r.w.ExecContext(ctx, `UPDATE tasks SET dismissed_at = $1
		WHERE id = $2 AND assignee_id = $3 AND deleted_at IS NULL`, r.d.time(at), taskID, assigneeID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.ErrNotFound
	}
	return nil
}

// NextReminder is the earliest reminder still to notify.
func (r repo) NextReminder(ctx context.Context) (*time.Time, error) {
	var at dbTime
	err := r.r.QueryRowContext(ctx, `SELECT MIN(remind_at) FROM tasks
		WHERE status = 'open' AND notified_at IS NULL AND deleted_at IS NULL`).Scan(&at)
	if err != nil {
		return nil, err
	}
	return at.ptr(), nil
}

// taskTime is an optional time as the column expects it.
func (r repo) taskTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return r.d.time(*t)
}
