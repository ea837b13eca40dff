package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// loader reads one record of an entity for a permission check and the audit "before" image.
type loader func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error)

// softDelete deletes one record after checking the version and the actor's right to it.
func (a *App) softDelete(ctx context.Context, entity string, id, version int64, load loader) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		before, scope, err := load(ctx, r, id)
		if err != nil {
			return err
		}
		if err := Can(act, ActDelete, entity, scope); err != nil {
			return err
		}
		if err := r.SoftDelete(ctx, entity, id, version, derefID(act.userID())); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditDelete, entity, id, before, nil)
	})
}

// restore brings back a soft-deleted record: crm_admin and admin only (R9). check, when given,
// vets the record itself inside the transaction before anything is written.
func (a *App) restore(ctx context.Context, entity string, id int64, check func(ctx context.Context, r crm.Repo, act *Actor) error) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	if err := Can(act, ActRestore, entity, nil); err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		if check != nil {
			if err := check(ctx, r, act); err != nil {
				return err
			}
		}
		if err := r.Restore(ctx, entity, id, derefID(act.userID())); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditRestore, entity, id, nil, nil)
	})
}

// canRead checks the read right and that a deleted record is shown only to those who may
// restore it.
func canRead(act *Actor, entity string, m crm.Meta) error {
	if err := Can(act, ActRead, entity, nil); err != nil {
		return err
	}
	if m.Deleted() && Can(act, ActRestore, entity, nil) != nil {
		return crm.ErrNotFound
	}
	return nil
}

// readList checks the read right for a list; the trash is for admins only.
func readList(ctx context.Context, entity string, deleted bool) (*Actor, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActRead, entity, nil); err != nil {
		return nil, err
	}
	if deleted {
		if err := Can(act, ActRestore, entity, nil); err != nil {
			return nil, err
		}
	}
	return act, nil
}

// live passes a record on unless it is soft-deleted: writes treat the trash as gone.
func live[T interface{ Deleted() bool }](rec T, err error) (T, error) {
	if err == nil && rec.Deleted() {
		var none T
		return none, crm.ErrNotFound
	}
	return rec, err
}

func derefID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
