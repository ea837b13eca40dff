package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// CustomFields returns the custom fields of an entity in their order; activeOnly keeps the
// ones forms offer, cards and lists take all so that stored values keep their labels.
func (a *App) CustomFields(ctx context.Context, entity string, activeOnly bool) ([]crm.CustomField, error) {
	if _, err := readList(ctx, crm.EntityCustomField, false); err != nil {
		return nil, err
	}
	fields, err := a.store.ListCustomFields(ctx, entity, false)
	if err != nil || !activeOnly {
		return fields, err
	}
	out := fields[:0]
	for _, f := range fields {
		if f.Active {
			out = append(out, f)
		}
	}
	return out, nil
}

// ListCustomFields reads the fields of an entity ("" = all) for the admin screen and the API;
// deleted lists the trash (admins only).
func (a *App) ListCustomFields(ctx context.Context, entity string, deleted bool) ([]crm.CustomField, error) {
	if _, err := readList(ctx, crm.EntityCustomField, deleted); err != nil {
		return nil, err
	}
	return a.store.ListCustomFields(ctx, entity, deleted)
}

// CheckAttributes validates and normalises custom field values of a record of entity inside
// the caller's transaction: in is applied to stored as a merge patch (see
// crm.NormaliseAttributes), each value shaped by its field's type; problems are 422 naming
// "attributes.<code>". Importers that check many rows load the fields once and call
// crm.NormaliseAttributes themselves.
func (a *App) CheckAttributes(ctx context.Context, r crm.Repo, entity string, in crm.Attributes, stored crm.Attributes) (crm.Attributes, error) {
	fields, err := r.ListCustomFields(ctx, entity, false)
	if err != nil {
		return nil, err
	}
	return crm.NormaliseAttributes(fields, in, stored)
}

// CustomField reads one field.
func (a *App) CustomField(ctx context.Context, id int64) (*crm.CustomField, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	f, err := a.store.CustomFieldByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return f, canRead(act, crm.EntityCustomField, f.Meta)
}

// CustomFieldInput is what an admin sets on a new field. Sort 0 puts it after the entity's
// last field.
type CustomFieldInput struct {
	Entity  string
	Code    string
	LabelRU string
	LabelEN string
	Type    crm.FieldType
	Options []string
	Sort    int
	Active  bool
}

// CreateCustomField adds a field (MC: crm_marketeer, crm_admin, admin).
func (a *App) CreateCustomField(ctx context.Context, in CustomFieldInput) (*crm.CustomField, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityCustomField, nil); err != nil {
		return nil, err
	}
	f := &crm.CustomField{Entity: in.Entity, Code: in.Code, LabelRU: in.LabelRU, LabelEN: in.LabelEN,
		Type: in.Type, Options: in.Options, Sort: in.Sort, Active: in.Active}
	f.CreatedBy = act.userID()
	f.Normalise()
	if err := f.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if f.Sort == 0 {
			all, err := r.ListCustomFields(ctx, f.Entity, false)
			if err != nil {
				return err
			}
			f.Sort = 10
			for _, x := range all {
				f.Sort = max(f.Sort, x.Sort+10)
			}
		}
		if err := r.CreateCustomField(ctx, f); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityCustomField, f.ID, nil, f)
	})
	return f, err
}

// CustomFieldPatch changes some fields of a custom field; Version must be the one read.
// Entity, code and type stay: stored values are keyed by the code and shaped by the type. A
// list option removed stays on the records that have it until they are edited.
type CustomFieldPatch struct {
	Version int64
	LabelRU *string
	LabelEN *string
	Options *[]string
	Sort    *int
	Active  *bool
}

// UpdateCustomField applies a patch with optimistic locking.
func (a *App) UpdateCustomField(ctx context.Context, id int64, pt CustomFieldPatch) (*crm.CustomField, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.CustomField
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		f, err := live(r.CustomFieldByID(ctx, id))
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityCustomField, nil); err != nil {
			return err
		}
		before := *f
		setIf(&f.LabelRU, pt.LabelRU)
		setIf(&f.LabelEN, pt.LabelEN)
		setIf(&f.Options, pt.Options)
		setIf(&f.Sort, pt.Sort)
		setIf(&f.Active, pt.Active)
		f.Normalise()
		if err := f.Validate(); err != nil {
			return err
		}
		f.Version, f.UpdatedBy = pt.Version, act.userID()
		if err := r.UpdateCustomField(ctx, f); err != nil {
			return err
		}
		out = f
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityCustomField, id, &before, f)
	})
	return out, err
}

// DeleteCustomField soft-deletes a field; records keep their values under its code, which
// stays reserved, and show them again if the field is restored.
func (a *App) DeleteCustomField(ctx context.Context, id, version int64) error {
	return a.softDelete(ctx, crm.EntityCustomField, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		f, err := live(r.CustomFieldByID(ctx, id))
		return f, nil, err
	})
}

// RestoreCustomField brings a deleted field back.
func (a *App) RestoreCustomField(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityCustomField, id, nil)
}
