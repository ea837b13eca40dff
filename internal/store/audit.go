package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/ladder-crm/ladder/internal/crm"
)

// InsertAudit appends one entry; there is no update or delete of audit rows.
func (r repo) InsertAudit(ctx context.Context, e *crm.AuditEntry) error {
	var changes any
	if len(e.Changes) > 0 {
		b, err := json.Marshal(e.Changes)
		if err != nil {
			return err
		}
		changes = string(b)
	}
	return r.w.QueryRowContext(ctx, `INSERT INTO audit_log (at, user_id, action, entity, record_id, changes, ip, request_id)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
		r.d.time(e.At), nullID(e.UserID), e.Action, e.Entity, e.RecordID, changes, e.IP, e.RequestID).Scan(&e.ID)
}

var auditSorts = map[string]sortField{
	"id": {"a.id", sortInt},
}

// ListAudit reads a page of the audit log, newest first unless asked otherwise.
func (r repo) ListAudit(ctx context.Context, f crm.AuditFilter) (crm.Page[crm.AuditEntry], error) {
	q := &listQuery{from: "audit_log a LEFT JOIN users u ON u.id = a.user_id",
		columns: "a.id, a.at, a.user_id, COALESCE(u.full_name, ''), a.action, a.entity, a.record_id, a.changes, a.ip, a.request_id",
		sorts:   auditSorts, deflt: "id"}
	if f.UserID != nil {
		q.filter("a.user_id = ?", *f.UserID)
	}
	if f.Entity != "" {
		q.filter("a.entity = ?", f.Entity)
	}
	if f.RecordID != nil {
		q.filter("a.record_id = ?", *f.RecordID)
	}
	if f.Action != "" {
		q.filter("a.action = ?", f.Action)
	}
	if f.From != nil {
		q.filter("a.at >= ?", r.d.time(*f.From))
	}
	if f.To != nil {
		q.filter("a.at < ?", r.d.time(*f.To))
	}
	p := f.Page
	if p.Sort == "" {
		p.Sort, p.Desc = "id", true
	}
	var page crm.Page[crm.AuditEntry]
	next, total, err := q.run(ctx, r, p, func(rows *sql.Rows, sv ...any) (int64, error) {
		var e crm.AuditEntry
		var at dbTime
		var uid sql.NullInt64
		var changes []byte
		dest := []any{&e.ID, &at, &uid, &e.UserName, &e.Action, &e.Entity, &e.RecordID, &changes, &e.IP, &e.RequestID}
		if err := rows.Scan(append(dest, sv...)...); err != nil {
			return 0, err
		}
		e.At, e.UserID = at.T, nullInt(uid)
		if len(changes) > 0 {
			if err := json.Unmarshal(changes, &e.Changes); err != nil {
				return 0, err
			}
		}
		page.Items = append(page.Items, e)
		return e.ID, nil
	})
	page.Next, page.Total = next, total
	return page, err
}
