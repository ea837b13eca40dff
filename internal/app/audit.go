package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// audit writes one audit entry through r, which is the transaction of the change itself.
func (a *App) audit(ctx context.Context, r crm.Repo, act *Actor, action, entity string, id int64, before, after any) error {
	m := requestMeta(ctx)
	e := &crm.AuditEntry{
		At: a.now(), Action: action, Entity: entity, RecordID: id,
		IP: m.IP, RequestID: m.RequestID,
	}
	if act != nil && act.User != nil {
		e.UserID = act.userID()
	}
	if before != nil || after != nil {
		e.Changes = crm.Diff(before, after)
	}
	return r.InsertAudit(ctx, e)
}

// ListAudit reads the audit log: crm_admin, admin and crm_read_admin only.
func (a *App) ListAudit(ctx context.Context, f crm.AuditFilter) (crm.Page[crm.AuditEntry], error) {
	act, err := actor(ctx)
	if err == nil {
		err = Can(act, ActRead, crm.EntityAudit, nil)
	}
	if err != nil {
		return crm.Page[crm.AuditEntry]{}, err
	}
	f.Page.Clamp()
	return a.store.ListAudit(ctx, f)
}
