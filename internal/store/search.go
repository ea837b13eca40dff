package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) Search(ctx context.Context, q string, limit int) ([]crm.SearchHit, error) {
	return nil, errNotImplemented
}
