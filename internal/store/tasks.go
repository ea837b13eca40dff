package store

import (
	"context"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) TaskByID(ctx context.Context, id int64) (*crm.Task, error) {
	return nil, errNotImplemented
}

func (r repo) ListTasks(ctx context.Context, f crm.TaskFilter) (crm.Page[crm.Task], error) {
	return crm.Page[crm.Task]{}, errNotImplemented
}

func (r repo) CreateTask(ctx context.Context, t *crm.Task) error {
	return errNotImplemented
}

func (r repo) UpdateTask(ctx context.Context, t *crm.Task) error {
	return errNotImplemented
}

func (r repo) DueReminders(ctx context.Context, now time.Time, limit int) ([]crm.Task, error) {
	return nil, errNotImplemented
}

func (r repo) MarkNotified(ctx context.Context, taskID int64, at time.Time) error {
	return errNotImplemented
}
