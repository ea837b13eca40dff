package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) AttachmentByID(ctx context.Context, id int64) (*crm.Attachment, error) {
	return nil, errNotImplemented
}

func (r repo) ListAttachments(ctx context.Context, entity string, recordID int64) ([]crm.Attachment, error) {
	return nil, errNotImplemented
}

func (r repo) CreateAttachment(ctx context.Context, a *crm.Attachment, content []byte) error {
	return errNotImplemented
}

func (r repo) AttachmentContent(ctx context.Context, id int64) ([]byte, error) {
	return nil, errNotImplemented
}
