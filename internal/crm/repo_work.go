package crm

import (
	"context"
	"time"
)

// WorkRepo stores tasks, attachments and notes: the things any record can carry.
type WorkRepo interface {
	TaskByID(ctx context.Context, id int64) (*Task, error)
	ListTasks(ctx context.Context, f TaskFilter) (Page[Task], error)
	CreateTask(ctx context.Context, t *Task) error
	UpdateTask(ctx context.Context, t *Task) error
	// DueReminders returns open tasks whose remind_at has come and that were not yet notified.
	DueReminders(ctx context.Context, now time.Time, limit int) ([]Task, error)
	MarkNotified(ctx context.Context, taskID int64, at time.Time) error

	AttachmentByID(ctx context.Context, id int64) (*Attachment, error)
	ListAttachments(ctx context.Context, entity string, recordID int64) ([]Attachment, error)
	CreateAttachment(ctx context.Context, a *Attachment, content []byte) error // content nil: stored in a file
	AttachmentContent(ctx context.Context, id int64) ([]byte, error)

	ListNotes(ctx context.Context, entity string, recordID int64) ([]Note, error)
	CreateNote(ctx context.Context, n *Note) error
}
