package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) ListNotes(ctx context.Context, entity string, recordID int64) ([]crm.Note, error) {
	return nil, errNotImplemented
}

func (r repo) CreateNote(ctx context.Context, n *crm.Note) error {
	return errNotImplemented
}
