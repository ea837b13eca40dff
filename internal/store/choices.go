package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) ChoiceByID(ctx context.Context, id int64) (*crm.ChoiceValue, error) {
	return nil, errNotImplemented
}

func (r repo) ListChoices(ctx context.Context, f crm.ChoiceFilter) ([]crm.ChoiceValue, error) {
	return nil, errNotImplemented
}

func (r repo) CreateChoice(ctx context.Context, v *crm.ChoiceValue) error {
	return errNotImplemented
}

func (r repo) UpdateChoice(ctx context.Context, v *crm.ChoiceValue) error {
	return errNotImplemented
}
