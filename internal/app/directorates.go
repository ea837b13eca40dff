package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// DirectorateInput is what a person may set on a directorate.
type DirectorateInput struct {
	Name   string
	HeadID *int64
	Active bool
}

// CreateDirectorate adds a sales directorate (SYS: crm_admin, admin).
func (a *App) CreateDirectorate(ctx context.Context, in DirectorateInput) (*crm.Directorate, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityDirectorate, nil); err != nil {
		return nil, err
	}
	d := &crm.Directorate{Name: in.Name, HeadID: in.HeadID, Active: in.Active}
	d.CreatedBy = act.userID()
	d.Normalise()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if err := checkUserRef(ctx, r, "head_id", d.HeadID); err != nil {
			return err
		}
		if err := r.CreateDirectorate(ctx, d); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityDirectorate, d.ID, nil, d)
	})
	return d, err
}

// DirectoratePatch changes some fields of a directorate; Version must be the one read.
type DirectoratePatch struct {
	Version int64
	Name    *string
	HeadID  **int64
	Active  *bool
}

// UpdateDirectorate applies a patch with optimistic locking.
func (a *App) UpdateDirectorate(ctx context.Context, id int64, p DirectoratePatch) (*crm.Directorate, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Directorate
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		d, err := liveDirectorate(ctx, r, id)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityDirectorate, nil); err != nil {
			return err
		}
		before := *d
		setIf(&d.Name, p.Name)
		setIf(&d.HeadID, p.HeadID)
		setIf(&d.Active, p.Active)
		d.Normalise()
		if err := d.Validate(); err != nil {
			return err
		}
		if err := checkUserRef(ctx, r, "head_id", d.HeadID); err != nil {
			return err
		}
		d.Version, d.UpdatedBy = p.Version, act.userID()
		if err := r.UpdateDirectorate(ctx, d); err != nil {
			return err
		}
		out = d
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityDirectorate, id, &before, d)
	})
	return out, err
}

// DeleteDirectorate soft-deletes a directorate.
func (a *App) DeleteDirectorate(ctx context.Context, id, version int64) error {
	return a.softDelete(ctx, crm.EntityDirectorate, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		d, err := liveDirectorate(ctx, r, id)
		return d, nil, err
	})
}

// RestoreDirectorate brings a deleted directorate back.
func (a *App) RestoreDirectorate(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityDirectorate, id, nil)
}

// Directorate reads one directorate.
func (a *App) Directorate(ctx context.Context, id int64) (*crm.Directorate, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	d, err := a.store.DirectorateByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return d, canRead(act, crm.EntityDirectorate, d.Meta)
}

// ListDirectorates reads a page of directorates.
func (a *App) ListDirectorates(ctx context.Context, f crm.DirectorateFilter) (crm.Page[crm.Directorate], error) {
	if _, err := readList(ctx, crm.EntityDirectorate, f.Deleted); err != nil {
		return crm.Page[crm.Directorate]{}, err
	}
	f.Page.Clamp()
	return a.store.ListDirectorates(ctx, f)
}

func liveDirectorate(ctx context.Context, r crm.Repo, id int64) (*crm.Directorate, error) {
	return live(r.DirectorateByID(ctx, id))
}

func checkUserRef(ctx context.Context, r crm.Repo, field string, id *int64) error {
	if id == nil || *id == 0 {
		return nil
	}
	u, err := r.UserByID(ctx, *id)
	if isNotFound(err) || (err == nil && u.Deleted()) {
		return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{field: "err.user_unknown"}}
	}
	return err
}

// setIf copies *src into *dst when src is given: the patch pattern of every update.
func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
