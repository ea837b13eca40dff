package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

const attachmentColumns = `a.id, a.entity, a.record_id, a.file_name, a.mime, a.size, a.sha256, a.storage, a.description,
	a.created_at, a.created_by, a.updated_at, a.updated_by, a.version, a.deleted_at, a.deleted_by`

func scanAttachment(row interface{ Scan(...any) error }, a *crm.Attachment) error {
	var created, updated, deleted dbTime
	var createdBy, updatedBy, deletedBy sql.NullInt64
	if err := row.Scan(&a.ID, &a.Entity, &a.RecordID, &a.FileName, &a.MIME, &a.Size, &a.SHA256, &a.Storage, &a.Description,
		&created, &createdBy, &updated, &updatedBy, &a.Version, &deleted, &deletedBy); err != nil {
		return err
	}
	a.CreatedAt, a.UpdatedAt, a.DeletedAt = created.T, updated.T, deleted.ptr()
	a.CreatedBy, a.UpdatedBy, a.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

// AttachmentByID reads one attachment's row, deleted or not.
func (r repo) AttachmentByID(ctx context.Context, id int64) (*crm.Attachment, error) {
	a := &crm.Attachment{}
	err := scanAttachment(r.r.QueryRowContext(ctx, "SELECT "+attachmentColumns+" FROM attachments a WHERE a.id = $1", id), a)
	if err != nil {
		return nil, notFoundOr(err)
	}
	return a, nil
}

// maxPerRecord bounds what one card lists of files and notes: a record with more is an
// anomaly, and the card must stay fast whatever happens.
const maxPerRecord = 500

// ListAttachments lists the live files of records, newest first.
func (r repo) ListAttachments(ctx context.Context, entity string, recordIDs ...int64) ([]crm.Attachment, error) {
	if len(recordIDs) == 0 {
		return nil, nil
	}
	args := []any{entity}
	rows, err := r.r.QueryContext(ctx, "SELECT "+attachmentColumns+" FROM attachments a WHERE a.entity = $1 AND a.record_id IN ("+
		inList(&args, recordIDs)+fmt.Sprintf(") AND a.deleted_at IS NULL ORDER BY a.created_at DESC, a.id DESC LIMIT %d", maxPerRecord), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Attachment
	for rows.Next() {
		var a crm.Attachment
		if err := scanAttachment(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateAttachment stores the bytes, then the row. On SQLite the bytes go to a file named by
// their sha256 beside the database (outside any web root); the same content uploaded twice is
// kept once. A file written for a transaction that then rolls back stays behind unreferenced:
// harmless, and the same upload later reuses it. On PostgreSQL the bytes go into
// attachment_blobs in the same transaction, so every instance behind a balancer sees them.
func (r repo) CreateAttachment(ctx context.Context, a *crm.Attachment, content []byte) error {
	sum := sha256.Sum256(content)
	a.SHA256, a.Size = hex.EncodeToString(sum[:]), int64(len(content))
	a.Storage = crm.StorageDB
	if r.d.name() == "sqlite" {
		a.Storage = crm.StorageDir
		dir, err := r.filesDir(ctx)
		if err != nil {
			return err
		}
		if err := writeBlobFile(dir, a.SHA256, content); err != nil {
			return err
		}
	}
	now := nowUTC()
	a.CreatedAt, a.UpdatedAt, a.Version, a.UpdatedBy = now, now, 1, a.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO attachments (entity, record_id, file_name, mime, size, sha256, storage,
		description, created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$9,$10,1) RETURNING id`,
		a.Entity, a.RecordID, a.FileName, a.MIME, a.Size, a.SHA256, a.Storage, a.Description,
		r.d.time(now), nullID(a.CreatedBy)).Scan(&a.ID)
	if err != nil {
		return r.writeErr(err)
	}
	if a.Storage == crm.StorageDB {
		if _, err := r.w.ExecContext(ctx, "INSERT INTO attachment_blobs (attachment_id, content) VALUES ($1, $2)", a.ID, content); err != nil {
			return err
		}
	}
	return nil
}

// AttachmentContent reads the bytes of an attachment wherever they are kept.
func (r repo) AttachmentContent(ctx context.Context, id int64) ([]byte, error) {
	a, err := r.AttachmentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Storage == crm.StorageDB {
		var b []byte
		err := r.r.QueryRowContext(ctx, "SELECT content FROM attachment_blobs WHERE attachment_id = $1", id).Scan(&b)
		return b, notFoundOr(err)
	}
	dir, err := r.filesDir(ctx)
	if err != nil {
		return nil, err
	}
	path, err := blobPath(dir, a.SHA256)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("store: attachment %d: its file %s is missing", id, path)
	}
	return b, err
}

// filesDir is where a SQLite database keeps attachment files: "files" beside the database
// file, asked of SQLite itself so that it holds for the default data directory and for an
// explicit sqlite:PATH alike.
func (r repo) filesDir(ctx context.Context) (string, error) {
	var file string
	if err := r.r.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
		return "", err
	}
	if file == "" {
		return "", errors.New("store: an in-memory database cannot keep attachment files")
	}
	return filepath.Join(filepath.Dir(file), "files"), nil
}

// blobPath is files/ab/abcdef…: two hex digits of fan-out keep directories small.
func blobPath(dir, sum string) (string, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return "", fmt.Errorf("store: bad sha256 %q", sum)
	}
	return filepath.Join(dir, sum[:2], sum), nil
}

// writeBlobFile writes content under its sum unless it is there already: a temporary file,
// synced, then renamed, so that a crash never leaves a half-written file under a real name.
func writeBlobFile(dir, sum string, content []byte) error {
	path, err := blobPath(dir, sum)
	if err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.Size() == int64(len(content)) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), sum[:8]+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
