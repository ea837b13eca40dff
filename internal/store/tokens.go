package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// CreateToken stores a token's hash.
func (r repo) CreateToken(ctx context.Context, t *crm.APIToken) error {
	return r.writeErr(r.w.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, read_only, created_at)
		VALUES ($1,$2,$3,$4,$5) RETURNING id`, t.UserID, t.Name, t.Hash, t.ReadOnly, r.d.time(t.CreatedAt)).Scan(&t.ID))
}

const tokenColumns = "id, user_id, name, token_hash, read_only, created_at, last_used_at, revoked_at"

func scanToken(row interface{ Scan(...any) error }) (crm.APIToken, error) {
	var t crm.APIToken
	var created, used, revoked dbTime
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.ReadOnly, &created, &used, &revoked)
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = created.T, used.ptr(), revoked.ptr()
	return t, err
}

// TokenByHash finds a token by the SHA-256 of its secret.
func (r repo) TokenByHash(ctx context.Context, hash string) (*crm.APIToken, error) {
	t, err := scanToken(r.r.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE token_hash = $1", hash))
	if err != nil {
		return nil, notFoundOr(err)
	}
	return &t, nil
}

// ListTokens lists a user's tokens, newest first.
func (r repo) ListTokens(ctx context.Context, userID int64) ([]crm.APIToken, error) {
	rows, err := r.r.QueryContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE user_id = $1 ORDER BY id DESC", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes a live token of the user.
func (r repo) RevokeToken(ctx context.Context, userID, id int64) error {
	res, err := r.w.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
		r.d.time(nowUTC()), id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.ErrNotFound
	}
	return nil
}

// TouchToken records when a token was last used.
func (r repo) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := r.w.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", r.d.time(at), id)
	return err
}

// ListSavedViews lists a user's saved filters of one list.
func (r repo) ListSavedViews(ctx context.Context, userID int64, list string) ([]crm.SavedView, error) {
	rows, err := r.r.QueryContext(ctx, "SELECT id, user_id, list, name, query FROM saved_views WHERE user_id = $1 AND list = $2 ORDER BY name, id", userID, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.SavedView{}
	for rows.Next() {
		var v crm.SavedView
		if err := rows.Scan(&v.ID, &v.UserID, &v.List, &v.Name, &v.Query); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CreateSavedView stores a saved filter.
func (r repo) CreateSavedView(ctx context.Context, v *crm.SavedView) error {
	return r.w.QueryRowContext(ctx, "INSERT INTO saved_views (user_id, list, name, query) VALUES ($1,$2,$3,$4) RETURNING id",
		v.UserID, v.List, v.Name, v.Query).Scan(&v.ID)
}

// DeleteSavedView removes one of the user's saved filters.
func (r repo) DeleteSavedView(ctx context.Context, userID, id int64) error {
	res, err := r.w.ExecContext(ctx, "DELETE FROM saved_views WHERE id = $1 AND user_id = $2", id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.ErrNotFound
	}
	return nil
}

// UserPref reads one preference of a user ("" when unset).
func (r repo) UserPref(ctx context.Context, userID int64, key string) (string, error) {
	var v string
	err := r.r.QueryRowContext(ctx, "SELECT value FROM user_prefs WHERE user_id = $1 AND key = $2", userID, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// SetUserPref writes one preference of a user.
func (r repo) SetUserPref(ctx context.Context, userID int64, key, value string) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO user_prefs (user_id, key, value) VALUES ($1,$2,$3)
		ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value`, userID, key, value)
	return err
}
