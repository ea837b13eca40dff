package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// ProductInput is what a person may set on a product or service.
type ProductInput struct {
	Name         string
	Kind         crm.ProductKind
	Code         string
	PriceMinor   int64
	Currency     string
	Directorates []int64
	Active       bool
}

// CreateProduct adds a product or service (SYS: crm_admin, admin).
func (a *App) CreateProduct(ctx context.Context, in ProductInput) (*crm.Product, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityProduct, nil); err != nil {
		return nil, err
	}
	p := &crm.Product{Name: in.Name, Kind: in.Kind, Code: in.Code, PriceMinor: in.PriceMinor,
		Currency: in.Currency, Directorates: in.Directorates, Active: in.Active}
	p.CreatedBy = act.userID()
	p.Normalise()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if err := checkDirectorateRefs(ctx, r, p.Directorates); err != nil {
			return err
		}
		if err := r.CreateProduct(ctx, p); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityProduct, p.ID, nil, p)
	})
	return p, err
}

// ProductPatch changes some fields of a product; Version must be the one read.
type ProductPatch struct {
	Version      int64
	Name         *string
	Kind         *crm.ProductKind
	Code         *string
	PriceMinor   *int64
	Currency     *string
	Directorates *[]int64
	Active       *bool
}

// UpdateProduct applies a patch with optimistic locking.
func (a *App) UpdateProduct(ctx context.Context, id int64, pt ProductPatch) (*crm.Product, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Product
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		p, err := liveProduct(ctx, r, id)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityProduct, nil); err != nil {
			return err
		}
		before := *p
		setIf(&p.Name, pt.Name)
		setIf(&p.Kind, pt.Kind)
		setIf(&p.Code, pt.Code)
		setIf(&p.PriceMinor, pt.PriceMinor)
		setIf(&p.Currency, pt.Currency)
		setIf(&p.Directorates, pt.Directorates)
		setIf(&p.Active, pt.Active)
		p.Normalise()
		if err := p.Validate(); err != nil {
			return err
		}
		if pt.Directorates != nil {
			if err := checkDirectorateRefs(ctx, r, p.Directorates); err != nil {
				return err
			}
		}
		p.Version, p.UpdatedBy = pt.Version, act.userID()
		if err := r.UpdateProduct(ctx, p); err != nil {
			return err
		}
		out = p
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityProduct, id, &before, p)
	})
	return out, err
}

// DeleteProduct soft-deletes a product.
func (a *App) DeleteProduct(ctx context.Context, id, version int64) error {
	return a.softDelete(ctx, crm.EntityProduct, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		p, err := liveProduct(ctx, r, id)
		return p, nil, err
	})
}

// RestoreProduct brings a deleted product back.
func (a *App) RestoreProduct(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityProduct, id, nil)
}

// Product reads one product.
func (a *App) Product(ctx context.Context, id int64) (*crm.Product, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := a.store.ProductByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, canRead(act, crm.EntityProduct, p.Meta)
}

// ListProducts reads a page of products.
func (a *App) ListProducts(ctx context.Context, f crm.ProductFilter) (crm.Page[crm.Product], error) {
	if _, err := readList(ctx, crm.EntityProduct, f.Deleted); err != nil {
		return crm.Page[crm.Product]{}, err
	}
	f.Page.Clamp()
	return a.store.ListProducts(ctx, f)
}

func liveProduct(ctx context.Context, r crm.Repo, id int64) (*crm.Product, error) {
	return live(r.ProductByID(ctx, id))
}

// checkDirectorateRefs: every id names a live directorate.
func checkDirectorateRefs(ctx context.Context, r crm.Repo, ids []int64) error {
	for _, id := range ids {
		if _, err := liveDirectorate(ctx, r, id); isNotFound(err) {
			return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"directorates": "err.directorate_unknown"}}
		} else if err != nil {
			return err
		}
	}
	return nil
}
