package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Choices returns the values of a choice list in their order; activeOnly drops deactivated
// ones (pickers), lists and cards keep them so that stored codes still show a label.
func (a *App) Choices(ctx context.Context, list crm.ChoiceList, activeOnly bool) ([]crm.ChoiceValue, error) {
	if _, err := readList(ctx, crm.EntityChoice, false); err != nil {
		return nil, err
	}
	f := crm.ChoiceFilter{List: list}
	if activeOnly {
		yes := true
		f.Active = &yes
	}
	return a.store.ListChoices(ctx, f)
}

// checkChoice refuses a code that is not an active value of the list (422 naming field);
// an unchanged stored code passes even if deactivated since (R7's "stored values stay").
func checkChoice(ctx context.Context, r crm.Repo, list crm.ChoiceList, field, code, stored string) error {
	if code == "" || code == stored {
		return nil
	}
	vals, err := r.ListChoices(ctx, crm.ChoiceFilter{List: list})
	if err != nil {
		return err
	}
	for _, v := range vals {
		if v.Code == code && v.Active && !v.Deleted() {
			return nil
		}
	}
	return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{field: "err.choice"}}
}

// ListChoiceValues reads the values of a list (every list when f.List is empty) for the admin
// screen and the API; f.Deleted lists the trash (admins only).
func (a *App) ListChoiceValues(ctx context.Context, f crm.ChoiceFilter) ([]crm.ChoiceValue, error) {
	if _, err := readList(ctx, crm.EntityChoice, f.Deleted); err != nil {
		return nil, err
	}
	if f.List != "" && !f.List.Known() {
		return nil, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"list": "err.choice"}}
	}
	return a.store.ListChoices(ctx, f)
}

// Choice reads one value.
func (a *App) Choice(ctx context.Context, id int64) (*crm.ChoiceValue, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	v, err := a.store.ChoiceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return v, canRead(act, crm.EntityChoice, v.Meta)
}

// ChoiceInput is what an admin sets on a new value. Sort 0 puts it after the list's last one.
type ChoiceInput struct {
	List      crm.ChoiceList
	Code      string
	LabelRU   string
	LabelEN   string
	Sort      int
	IsDefault bool
	Active    bool
}

// CreateChoice adds a value to a list (SC: crm_manager, crm_admin, admin). Making it the
// default takes the mark from the list's previous default.
func (a *App) CreateChoice(ctx context.Context, in ChoiceInput) (*crm.ChoiceValue, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityChoice, nil); err != nil {
		return nil, err
	}
	v := &crm.ChoiceValue{List: in.List, Code: in.Code, LabelRU: in.LabelRU, LabelEN: in.LabelEN,
		Sort: in.Sort, IsDefault: in.IsDefault, Active: in.Active}
	v.CreatedBy = act.userID()
	v.Normalise()
	if err := v.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		vals, err := r.ListChoices(ctx, crm.ChoiceFilter{List: v.List})
		if err != nil {
			return err
		}
		if v.Sort == 0 {
			v.Sort = 10
			for _, x := range vals {
				v.Sort = max(v.Sort, x.Sort+10)
			}
		}
		if v.IsDefault {
			if err := a.clearDefault(ctx, r, act, vals, 0); err != nil {
				return err
			}
		}
		if err := r.CreateChoice(ctx, v); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityChoice, v.ID, nil, v)
	})
	return v, err
}

// clearDefault takes the default mark from every live value of vals but keep, each change
// audited: one default per list, and the newest choice wins.
func (a *App) clearDefault(ctx context.Context, r crm.Repo, act *Actor, vals []crm.ChoiceValue, keep int64) error {
	for _, x := range vals {
		if !x.IsDefault || x.ID == keep || x.Deleted() {
			continue
		}
		before := x
		x.IsDefault, x.UpdatedBy = false, act.userID()
		if err := r.UpdateChoice(ctx, &x); err != nil {
			return err
		}
		if err := a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityChoice, x.ID, &before, &x); err != nil {
			return err
		}
	}
	return nil
}

// ChoicePatch changes some fields of a value; Version must be the one read. List and code
// stay: records store the code.
type ChoicePatch struct {
	Version   int64
	LabelRU   *string
	LabelEN   *string
	Sort      *int
	IsDefault *bool
	Active    *bool
}

// UpdateChoice applies a patch with optimistic locking.
func (a *App) UpdateChoice(ctx context.Context, id int64, pt ChoicePatch) (*crm.ChoiceValue, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.ChoiceValue
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		v, err := live(r.ChoiceByID(ctx, id))
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityChoice, nil); err != nil {
			return err
		}
		before := *v
		setIf(&v.LabelRU, pt.LabelRU)
		setIf(&v.LabelEN, pt.LabelEN)
		setIf(&v.Sort, pt.Sort)
		setIf(&v.IsDefault, pt.IsDefault)
		setIf(&v.Active, pt.Active)
		v.Normalise()
		if err := v.Validate(); err != nil {
			return err
		}
		if v.Version != pt.Version {
			return crm.ErrStale // checked before clearing another value's default for nothing
		}
		if v.IsDefault && !before.IsDefault {
			vals, err := r.ListChoices(ctx, crm.ChoiceFilter{List: v.List})
			if err != nil {
				return err
			}
			if err := a.clearDefault(ctx, r, act, vals, v.ID); err != nil {
				return err
			}
		}
		v.UpdatedBy = act.userID()
		if err := r.UpdateChoice(ctx, v); err != nil {
			return err
		}
		out = v
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityChoice, id, &before, v)
	})
	return out, err
}

// DeleteChoice soft-deletes a value no record uses. A used value is deactivated instead
// (R15): the refusal says so, so that a list never shows a code without its label.
func (a *App) DeleteChoice(ctx context.Context, id, version int64) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		v, err := live(r.ChoiceByID(ctx, id))
		if err != nil {
			return err
		}
		if err := Can(act, ActDelete, crm.EntityChoice, nil); err != nil {
			return err
		}
		if v.Version != version {
			return crm.ErrStale
		}
		used, err := r.ChoiceInUse(ctx, v.List, v.Code)
		if err != nil {
			return err
		}
		if used {
			return &crm.Error{Code: crm.EInvalid, Message: "config.err.choice_in_use", Fields: map[string]string{"id": "config.err.choice_in_use"}}
		}
		before := *v
		if v.IsDefault {
			// A value comes back from the trash without the mark, so that it cannot meet the
			// list's new default there.
			v.IsDefault, v.UpdatedBy = false, act.userID()
			if err := r.UpdateChoice(ctx, v); err != nil {
				return err
			}
		}
		if err := r.SoftDelete(ctx, crm.EntityChoice, id, v.Version, derefID(act.userID())); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditDelete, crm.EntityChoice, id, &before, nil)
	})
}

// RestoreChoice brings a deleted value back.
func (a *App) RestoreChoice(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityChoice, id, nil)
}
