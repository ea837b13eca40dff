package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) CustomFieldByID(ctx context.Context, id int64) (*crm.CustomField, error) {
	return nil, errNotImplemented
}

func (r repo) ListCustomFields(ctx context.Context, entity string, deleted bool) ([]crm.CustomField, error) {
	return nil, errNotImplemented
}

func (r repo) CreateCustomField(ctx context.Context, f *crm.CustomField) error {
	return errNotImplemented
}

func (r repo) UpdateCustomField(ctx context.Context, f *crm.CustomField) error {
	return errNotImplemented
}
