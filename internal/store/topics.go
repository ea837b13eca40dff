package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) TopicByID(ctx context.Context, id int64) (*crm.Topic, error) {
	return nil, errNotImplemented
}

func (r repo) ListTopics(ctx context.Context, f crm.TopicFilter) (crm.Page[crm.Topic], error) {
	return crm.Page[crm.Topic]{}, errNotImplemented
}

func (r repo) CreateTopic(ctx context.Context, t *crm.Topic) error {
	return errNotImplemented
}

func (r repo) UpdateTopic(ctx context.Context, t *crm.Topic) error {
	return errNotImplemented
}

func (r repo) StageByID(ctx context.Context, id int64) (*crm.Stage, error) {
	return nil, errNotImplemented
}
