package crm

import (
	"strings"
	"time"
)

// TaskKind: message = a notice to an employee (S2:42).
type TaskKind string

const (
	TaskTask     TaskKind = "task"
	TaskCall     TaskKind = "call"
	TaskMeeting  TaskKind = "meeting"
	TaskMessage  TaskKind = "message"
	TaskReminder TaskKind = "reminder"
)

// TaskKinds lists the kinds in the order forms offer them.
var TaskKinds = []TaskKind{TaskTask, TaskCall, TaskMeeting, TaskMessage, TaskReminder}

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
	Title       string     `json:"title"`
	Kind        TaskKind   `json:"kind"`
	Description string     `json:"description"`
	AssigneeID  int64      `json:"assignee_id"`
	DueAt       *time.Time `json:"due_at,omitempty"`
	RemindAt    *time.Time `json:"remind_at,omitempty"`
	NotifiedAt  *time.Time `json:"notified_at,omitempty"` // when the reminder was pushed to the assignee
	// DismissedAt is when the assignee put the reminder away in the bell; moving remind_at
	// clears it (and NotifiedAt), so a new reminder time rings again.
	DismissedAt   *time.Time `json:"dismissed_at,omitempty"`
	Status        TaskStatus `json:"status"`
	DoneAt        *time.Time `json:"done_at,omitempty"`
	Entity        string     `json:"entity,omitempty"` // the record it is about
	RecordID      *int64     `json:"record_id,omitempty"`
	Origin        string     `json:"origin"` // manual, stage, automation, lead_next_contact…
	DirectorateID *int64     `json:"directorate_id,omitempty"`
	// RecordTitle is the name of the record the task is on, read with the task (not stored).
	RecordTitle string `json:"record_title,omitempty"`
}

// DirectorateOf returns the directorate id or 0.
func (t *Task) DirectorateOf() int64 { return derefInt(t.DirectorateID) }

// Overdue tells whether an open task is past due at now.
func (t *Task) Overdue(now time.Time) bool {
	return t.Status == TaskOpen && t.DueAt != nil && t.DueAt.Before(now)
}

// MaxTaskTitle and MaxTaskDescription bound a task's text.
const (
	MaxTaskTitle       = 300
	MaxTaskDescription = 10000
)

// Normalise trims text and fills defaults.
func (t *Task) Normalise() {
	t.Title = strings.TrimSpace(t.Title)
	t.Description = strings.TrimSpace(t.Description)
	if t.Kind == "" {
		t.Kind = TaskTask
	}
	if t.Status == "" {
		t.Status = TaskOpen
	}
	if t.Origin == "" {
		t.Origin = "manual"
	}
}

// Validate checks required fields, the lists and that a reminder does not come after the
// due time.
func (t *Task) Validate() error {
	pr := Problems{}
	if t.Title == "" {
		pr.Add("title", "err.required")
	} else if len([]rune(t.Title)) > MaxTaskTitle {
		pr.Add("title", "err.too_long")
	}
	if len([]rune(t.Description)) > MaxTaskDescription {
		pr.Add("description", "err.too_long")
	}
	kindOK := false
	for _, k := range TaskKinds {
		kindOK = kindOK || k == t.Kind
	}
	if !kindOK {
		pr.Add("kind", "err.choice")
	}
	if t.Status != TaskOpen && t.Status != TaskDone && t.Status != TaskCancelled {
		pr.Add("status", "err.choice")
	}
	if t.AssigneeID <= 0 {
		pr.Add("assignee_id", "err.required")
	}
	if t.RemindAt != nil && t.DueAt != nil && t.RemindAt.After(*t.DueAt) {
		pr.Add("remind_at", "err.task_remind_after_due")
	}
	if (t.Entity == "") != (t.RecordID == nil) {
		pr.Add("record_id", "err.required")
	}
	return pr.Err()
}

// TaskFilter narrows the task list.
type TaskFilter struct {
	Q          string
	AssigneeID int64
	Status     TaskStatus
	Entity     string
	RecordID   int64
	// Overdue: open tasks due before OverdueAt (now when nil).
	Overdue   bool
	OverdueAt *time.Time
	// DueFrom ≤ due_at < DueBefore; OrNoDue also keeps tasks without a due time.
	DueFrom   *time.Time
	DueBefore *time.Time
	OrNoDue   bool
	// RemindedBy: open tasks whose remind_at has come by then and that the assignee has not
	// dismissed (the bell).
	RemindedBy *time.Time
	Deleted    bool
	Page       PageRequest
}
