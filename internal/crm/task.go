package crm

import "time"

// TaskKind: message = a notice to an employee (S2:42).
type TaskKind string

const (
	TaskTask     TaskKind = "task"
	TaskCall     TaskKind = "call"
	TaskMeeting  TaskKind = "meeting"
	TaskMessage  TaskKind = "message"
	TaskReminder TaskKind = "reminder"
)

// TaskStatus is open, done or cancelled.
type TaskStatus string

const (
	TaskOpen      TaskStatus = "open"
	TaskDone      TaskStatus = "done"
	TaskCancelled TaskStatus = "cancelled"
)

// Task is a task or reminder (Задание / Напоминание) on any record, or on none.
type Task struct {
	Meta
	Title         string     `json:"title"`
	Kind          TaskKind   `json:"kind"`
	Description   string     `json:"description"`
	AssigneeID    int64      `json:"assignee_id"`
	DueAt         *time.Time `json:"due_at,omitempty"`
	RemindAt      *time.Time `json:"remind_at,omitempty"`
	NotifiedAt    *time.Time `json:"notified_at,omitempty"` // when the reminder went out
	Status        TaskStatus `json:"status"`
	DoneAt        *time.Time `json:"done_at,omitempty"`
	Entity        string     `json:"entity,omitempty"` // the record it is about
	RecordID      *int64     `json:"record_id,omitempty"`
	Origin        string     `json:"origin"` // manual, stage, automation, lead_next_contact…
	DirectorateID *int64     `json:"directorate_id,omitempty"`
}

// DirectorateOf returns the directorate id or 0.
func (t *Task) DirectorateOf() int64 { return derefInt(t.DirectorateID) }

// Overdue tells whether an open task is past due at now.
func (t *Task) Overdue(now time.Time) bool {
	return t.Status == TaskOpen && t.DueAt != nil && t.DueAt.Before(now)
}

// TaskFilter narrows the task list.
type TaskFilter struct {
	Q          string
	AssigneeID int64
	Status     TaskStatus
	Entity     string
	RecordID   int64
	Overdue    bool
	DueBefore  *time.Time
	Deleted    bool
	Page       PageRequest
}
