package app

import (
	"context"
	"errors"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Placement is the directorate and product a directorate-scoped record asks for.
type Placement struct {
	DirectorateID int64 // 0 = not given
	ProductID     int64 // 0 = none (records without a product field leave it 0)
}

// place applies R4–R7 on the server for a new or edited directorate-scoped record:
//   - no directorate given → the user's first directorate on create (R4), the stored one on edit;
//   - a directorate must be one of the user's (crm_admin/admin: any live one), and, with a
//     product, one linked to that product (R6);
//   - a product must be linked to one of the user's directorates and to the chosen one (R5);
//   - values stored earlier that no longer fit may stay while unchanged (R7).
//
// It returns the placement to store, or an EInvalid error that names the field.
func (a *App) place(ctx context.Context, r crm.Repo, act *Actor, want Placement, stored *Placement) (Placement, error) {
	u := act.User
	admin := u.Roles.IsFullAdmin()
	if want.DirectorateID == 0 {
		// Not given: a new record takes the user's first directorate (R4); an edited one keeps
		// its own — a directorate is changed, never cleared, so a record cannot slip out of scope.
		if stored == nil {
			d, err := firstLiveDirectorate(ctx, r, u)
			if err != nil {
				return want, err
			}
			want.DirectorateID = d
		} else {
			want.DirectorateID = stored.DirectorateID
		}
	}
	p := crm.Problems{}
	if want.DirectorateID != 0 && (stored == nil || stored.DirectorateID != want.DirectorateID) {
		d, err := r.DirectorateByID(ctx, want.DirectorateID)
		switch {
		case isNotFound(err) || (err == nil && (d.Deleted() || !d.Active)):
			p.Add("directorate_id", "err.directorate_unknown")
		case err != nil:
			return want, err
		case !admin && !u.InDirectorate(want.DirectorateID):
			p.Add("directorate_id", "err.directorate_not_own")
		}
	}
	productChanged := stored == nil || stored.ProductID != want.ProductID || stored.DirectorateID != want.DirectorateID
	if want.ProductID != 0 && productChanged {
		pr, err := r.ProductByID(ctx, want.ProductID)
		switch {
		case isNotFound(err) || (err == nil && (pr.Deleted() || !pr.Active)):
			p.Add("product_id", "err.product_unknown")
		case err != nil:
			return want, err
		case want.DirectorateID != 0 && !pr.SoldBy(want.DirectorateID):
			p.Add("product_id", "err.product_not_of_directorate")
		case !admin && !soldByAnyOf(pr, u.Directorates):
			p.Add("product_id", "err.product_not_own")
		}
	}
	return want, p.Err()
}

// moveDirectorate applies an edit's directorate to a record placed without a product
// (R4, R7): nil keeps the stored one; any other goes through place against the stored one.
// It returns the directorate column to store.
func (a *App) moveDirectorate(ctx context.Context, r crm.Repo, act *Actor, stored, want *int64) (*int64, error) {
	if want == nil {
		return stored, nil
	}
	pl, err := a.place(ctx, r, act, Placement{DirectorateID: *want}, &Placement{DirectorateID: derefID(stored)})
	if err != nil {
		return nil, err
	}
	return optionalID(pl.DirectorateID), nil
}

// firstLiveDirectorate is the user's default directorate (R4, "first found"): the first of
// their list that is neither deleted nor inactive, 0 when none is.
func firstLiveDirectorate(ctx context.Context, r crm.Repo, u *crm.User) (int64, error) {
	for _, id := range u.Directorates {
		d, err := r.DirectorateByID(ctx, id)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return 0, err
		}
		if !d.Deleted() && d.Active {
			return id, nil
		}
	}
	return 0, nil
}

// DefaultDirectorate tells a form which directorate a new record will get (R4).
func (a *App) DefaultDirectorate(ctx context.Context) (int64, error) {
	act, err := actor(ctx)
	if err != nil {
		return 0, err
	}
	return firstLiveDirectorate(ctx, a.store, act.User)
}

func soldByAnyOf(p *crm.Product, dirs []int64) bool {
	for _, d := range dirs {
		if p.SoldBy(d) {
			return true
		}
	}
	return false
}

func isNotFound(err error) bool {
	var e *crm.Error
	return errors.As(err, &e) && e.Code == crm.ENotFound
}

// DirectorateChoices lists the directorates the actor may pick on a scoped record (R4, R6):
// their own (admins: all live ones), narrowed to those linked to productID when given.
func (a *App) DirectorateChoices(ctx context.Context, productID int64) ([]crm.Directorate, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	active := true
	f := crm.DirectorateFilter{Active: &active, Page: crm.PageRequest{Limit: crm.MaxPageSize}}
	if !act.User.Roles.IsFullAdmin() {
		if len(act.User.Directorates) == 0 {
			return nil, nil
		}
		f.IDs = act.User.Directorates
	}
	page, err := a.store.ListDirectorates(ctx, f)
	if err != nil || productID == 0 {
		return page.Items, err
	}
	pr, err := a.store.ProductByID(ctx, productID)
	if err != nil {
		return nil, err
	}
	var out []crm.Directorate
	for _, d := range page.Items {
		if pr.SoldBy(d.ID) {
			out = append(out, d)
		}
	}
	return out, nil
}

// ProductChoices lists the products the actor may pick (R5): active products linked to their
// directorates (admins: all), narrowed to directorateID when given.
func (a *App) ProductChoices(ctx context.Context, directorateID int64) ([]crm.Product, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	active := true
	page, err := a.store.ListProducts(ctx, crm.ProductFilter{Active: &active, DirectorateID: directorateID, Page: crm.PageRequest{Limit: crm.MaxPageSize}})
	if err != nil {
		return nil, err
	}
	if act.User.Roles.IsFullAdmin() {
		return page.Items, nil
	}
	var out []crm.Product
	for _, p := range page.Items {
		if soldByAnyOf(&p, act.User.Directorates) {
			out = append(out, p)
		}
	}
	return out, nil
}
