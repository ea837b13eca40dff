package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// MoveChoice moves a value one place up or down its list in one transaction: the list is
// renumbered 10, 20, 30… in the new order (values sharing a sort number could not swap
// otherwise), each value whose number changes updated and audited. version is the moved
// value's version as read: a value someone changed since is a conflict.
func (a *App) MoveChoice(ctx context.Context, id, version int64, up bool) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		v, err := live(r.ChoiceByID(ctx, id))
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityChoice, nil); err != nil {
			return err
		}
		if v.Version != version {
			return crm.ErrStale
		}
		vals, err := r.ListChoices(ctx, crm.ChoiceFilter{List: v.List})
		if err != nil {
			return err
		}
		i := 0
		for i < len(vals) && vals[i].ID != id {
			i++
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if i == len(vals) || j < 0 || j >= len(vals) {
			return nil // already first or last
		}
		vals[i], vals[j] = vals[j], vals[i]
		for k := range vals {
			x := vals[k]
			if x.Sort == (k+1)*10 {
				continue
			}
			before := x
			x.Sort, x.UpdatedBy = (k+1)*10, act.userID()
			if err := r.UpdateChoice(ctx, &x); err != nil {
				return err
			}
			if err := a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityChoice, x.ID, &before, &x); err != nil {
				return err
			}
		}
		return nil
	})
}
