package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/alexedwards/scs/v2"
)

// Sessions implements scs.CtxStore on the sessions table, so that every instance of Ladder
// behind a load balancer sees the same sessions.
type Sessions struct{ db *DB }

// Sessions returns the session store of db.
func (db *DB) Sessions() *Sessions { return &Sessions{db: db} }

var _ scs.CtxStore = (*Sessions)(nil)

// FindCtx returns a live session's data.
func (s *Sessions) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := s.db.reader.QueryRowContext(ctx, "SELECT data FROM sessions WHERE token = $1 AND expiry > $2",
		token, s.db.dialect.time(nowUTC())).Scan(&data)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	return data, err == nil, err
}

// CommitCtx stores a session.
func (s *Sessions) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.writer.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1,$2,$3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, s.db.dialect.time(expiry))
	return err
}

// DeleteCtx removes a session.
func (s *Sessions) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.writer.ExecContext(ctx, "DELETE FROM sessions WHERE token = $1", token)
	return err
}

// Find, Commit and Delete satisfy scs.Store; scs calls the Ctx variants.
func (s *Sessions) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit stores a session.
func (s *Sessions) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete removes a session.
func (s *Sessions) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// PurgeExpired deletes expired sessions; serve runs it periodically.
func (s *Sessions) PurgeExpired(ctx context.Context) (int64, error) {
	res, err := s.db.writer.ExecContext(ctx, "DELETE FROM sessions WHERE expiry <= $1", s.db.dialect.time(nowUTC()))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
