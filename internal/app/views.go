package app

import (
	"context"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

// SavedViews lists the caller's saved filters of one list.
func (a *App) SavedViews(ctx context.Context, list string) ([]crm.SavedView, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return a.store.ListSavedViews(ctx, act.User.ID, list)
}

// SaveView stores the caller's current filter of a list under a name.
func (a *App) SaveView(ctx context.Context, list, name, query string) (*crm.SavedView, error) {
	act, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	p := crm.Problems{}
	if name == "" {
		p.Add("name", "err.required")
	} else if len([]rune(name)) > 100 {
		p.Add("name", "err.too_long")
	}
	if len(query) > 2000 {
		p.Add("query", "err.too_long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	v := &crm.SavedView{UserID: act.User.ID, List: list, Name: name, Query: query}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if err := r.CreateSavedView(ctx, v); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntitySavedView, v.ID, nil, v)
	})
	return v, err
}

// DeleteView removes one of the caller's saved filters.
func (a *App) DeleteView(ctx context.Context, id int64) error {
	act, err := writer(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		if err := r.DeleteSavedView(ctx, act.User.ID, id); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditDelete, crm.EntitySavedView, id, nil, nil)
	})
}

// ListColumns returns the caller's chosen columns of a list ("" = the list's default).
func (a *App) ListColumns(ctx context.Context, list string) ([]string, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	v, err := a.store.UserPref(ctx, act.User.ID, "columns:"+list)
	if err != nil || v == "" {
		return nil, err
	}
	return strings.Split(v, ","), nil
}

// SetListColumns keeps the caller's column choice of a list; the skin allow-lists the names.
func (a *App) SetListColumns(ctx context.Context, list string, cols []string) error {
	act, err := writer(ctx)
	if err != nil {
		return err
	}
	return a.store.SetUserPref(ctx, act.User.ID, "columns:"+list, strings.Join(cols, ","))
}
