package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ladder-crm/ladder/internal/crm"
)

const noteColumns = `n.id, n.entity, n.record_id, n.body,
	n.created_at, n.created_by, n.updated_at, n.updated_by, n.version, n.deleted_at, n.deleted_by`

func scanNote(row interface{ Scan(...any) error }, n *crm.Note) error {
	var created, updated, deleted dbTime
	var createdBy, updatedBy, deletedBy sql.NullInt64
	if err := row.Scan(&n.ID, &n.Entity, &n.RecordID, &n.Body,
		&created, &createdBy, &updated, &updatedBy, &n.Version, &deleted, &deletedBy); err != nil {
		return err
	}
	n.CreatedAt, n.UpdatedAt, n.DeletedAt = created.T, updated.T, deleted.ptr()
	n.CreatedBy, n.UpdatedBy, n.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

// NoteByID reads one note, deleted or not.
func (r repo) NoteByID(ctx context.Context, id int64) (*crm.Note, error) {
	n := &crm.Note{}
	if err := scanNote(r.r.QueryRowContext(ctx, "SELECT "+noteColumns+" FROM notes n WHERE n.id = $1", id), n); err != nil {
		return nil, notFoundOr(err)
	}
	return n, nil
}

// ListNotes lists the live notes of records, newest first.
func (r repo) ListNotes(ctx context.Context, entity string, recordIDs ...int64) ([]crm.Note, error) {
	if len(recordIDs) == 0 {
		return nil, nil
	}
	args := []any{entity}
	rows, err := r.r.QueryContext(ctx, "SELECT "+noteColumns+" FROM notes n WHERE n.entity = $1 AND n.record_id IN ("+
		inList(&args, recordIDs)+fmt.Sprintf(") AND n.deleted_at IS NULL ORDER BY n.created_at DESC, n.id DESC LIMIT %d", maxPerRecord), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Note
	for rows.Next() {
		var n crm.Note
		if err := scanNote(rows, &n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// CreateNote inserts a note.
func (r repo) CreateNote(ctx context.Context, n *crm.Note) error {
	now := nowUTC()
	n.CreatedAt, n.UpdatedAt, n.Version, n.UpdatedBy = now, now, 1, n.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO notes (entity, record_id, body, created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$4,$5,1) RETURNING id`, n.Entity, n.RecordID, n.Body, r.d.time(now), nullID(n.CreatedBy)).Scan(&n.ID)
	return r.writeErr(err)
}
