package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) ContactByID(ctx context.Context, id int64) (*crm.Contact, error) {
	return nil, errNotImplemented
}

func (r repo) ListContacts(ctx context.Context, f crm.ContactFilter) (crm.Page[crm.Contact], error) {
	return crm.Page[crm.Contact]{}, errNotImplemented
}

func (r repo) CreateContact(ctx context.Context, c *crm.Contact) error {
	return errNotImplemented
}

func (r repo) UpdateContact(ctx context.Context, c *crm.Contact) error {
	return errNotImplemented
}

func (r repo) DuplicateContacts(ctx context.Context, c *crm.Contact) ([]crm.Contact, error) {
	return nil, errNotImplemented
}
