package crm

import (
	"context"
	"time"
)

// WorkRepo stores tasks, attachments and notes: the things any record can carry.
type WorkRepo interface {
	// TaskByID reads one task, deleted or not, with the title of the record it is on.
	TaskByID(ctx context.Context, id int64) (*Task, error)
	ListTasks(ctx context.Context, f TaskFilter) (Page[Task], error)
	CreateTask(ctx context.Context, t *Task) error
	// UpdateTask writes a task if t.Version is current. A changed remind_at clears notified_at
	// and dismissed_at, so that the new time rings again.
	UpdateTask(ctx context.Context, t *Task) error
	// DueReminders returns open, live tasks whose remind_at has come by now and that were not
	// yet notified, oldest reminder first.
	DueReminders(ctx context.Context, now time.Time, limit int) ([]Task, error)
	// MarkNotified claims one reminder: it sets notified_at only where it is still empty and
	// reports whether this call did, so that of several instances exactly one notifies.
	MarkNotified(ctx context.Context, taskID int64, at time.Time) (bool, error)
	// DismissReminder puts a reminder away for its assignee (the bell no longer counts it).
	DismissReminder(ctx context.Context, taskID, assigneeID int64, at time.Time) error
	// NextReminder is the earliest remind_at still to notify (nil: none), for the worker's sleep.
	NextReminder(ctx context.Context) (*time.Time, error)

	AttachmentByID(ctx context.Context, id int64) (*Attachment, error)
	// ListAttachments lists the live files of records (one entity, one or more ids), newest first.
	ListAttachments(ctx context.Context, entity string, recordIDs ...int64) ([]Attachment, error)
	// CreateAttachment stores the bytes and the row: in the data directory beside a SQLite
	// database (content-addressed by sha256), in attachment_blobs on PostgreSQL. It fills
	// Size, SHA256 and Storage.
	CreateAttachment(ctx context.Context, a *Attachment, content []byte) error
	AttachmentContent(ctx context.Context, id int64) ([]byte, error)

	NoteByID(ctx context.Context, id int64) (*Note, error)
	// ListNotes lists the live notes of records (one entity, one or more ids), newest first.
	ListNotes(ctx context.Context, entity string, recordIDs ...int64) ([]Note, error)
	CreateNote(ctx context.Context, n *Note) error
}
