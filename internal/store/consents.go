package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) AddConsent(ctx context.Context, c *crm.Consent) error {
	return errNotImplemented
}

func (r repo) ListConsents(ctx context.Context, contactID int64) ([]crm.Consent, error) {
	return nil, errNotImplemented
}
