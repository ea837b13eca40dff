package store

import (
	"context"
	"database/sql"

	"github.com/ladder-crm/ladder/internal/crm"
)

// AddConsent appends one row to a contact's consent history; rows are never changed or
// deleted (152-FZ: the history of what a person agreed to and withdrew is the evidence).
func (r repo) AddConsent(ctx context.Context, c *crm.Consent) error {
	now := nowUTC()
	if c.At.IsZero() {
		c.At = now
	}
	c.At = c.At.UTC().Truncate(1000)
	err := r.w.QueryRowContext(ctx, `INSERT INTO consents (contact_id, channel, purpose, status, source, text_version,
		evidence, at, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
		c.ContactID, c.Channel, c.Purpose, string(c.Status), c.Source, c.TextVersion, c.Evidence,
		r.d.time(c.At), r.d.time(now), nullID(c.CreatedBy)).Scan(&c.ID)
	return r.writeErr(err)
}

// ListConsents reads a contact's consent history, newest first.
func (r repo) ListConsents(ctx context.Context, contactID int64) ([]crm.Consent, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT id, contact_id, channel, purpose, status, source, text_version, evidence,
		at, created_by FROM consents WHERE contact_id = $1 ORDER BY at DESC, id DESC`, contactID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.Consent{}
	for rows.Next() {
		var c crm.Consent
		var status string
		var at dbTime
		var by sql.NullInt64
		if err := rows.Scan(&c.ID, &c.ContactID, &c.Channel, &c.Purpose, &status, &c.Source, &c.TextVersion,
			&c.Evidence, &at, &by); err != nil {
			return nil, err
		}
		c.Status, c.At, c.CreatedBy = crm.ConsentStatus(status), at.T, nullInt(by)
		out = append(out, c)
	}
	return out, rows.Err()
}
