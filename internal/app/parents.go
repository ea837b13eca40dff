package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Records that carry tasks, files and notes ("parents"). Their children follow them (R8):
// reading a child is reading the parent, adding or deleting one is editing the parent.

// parentRecord is what the children's rules need to know of a parent.
type parentRecord struct {
	Scope *Scope
	Meta  crm.Meta
	Title string
}

type parentLoader func(ctx context.Context, r crm.Repo, id int64) (*parentRecord, error)

// parents maps an entity name to the loader of its records. A record type joins the work
// features (tasks, files, notes, timeline) by adding a line here.
var parents = map[string]parentLoader{
	crm.EntityProject: func(ctx context.Context, r crm.Repo, id int64) (*parentRecord, error) {
		p, err := r.ProjectByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return &parentRecord{Scope: projectScope(p), Meta: p.Meta, Title: p.Name}, nil
	},
	crm.EntityCompany: func(ctx context.Context, r crm.Repo, id int64) (*parentRecord, error) {
		c, err := r.CompanyByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return &parentRecord{Scope: &Scope{DirectorateID: c.DirectorateOf(), AuthorID: c.CreatedBy}, Meta: c.Meta, Title: c.Name}, nil
	},
	crm.EntityContact: func(ctx context.Context, r crm.Repo, id int64) (*parentRecord, error) {
		c, err := r.ContactByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return &parentRecord{Scope: &Scope{DirectorateID: c.DirectorateOf(), AuthorID: c.CreatedBy}, Meta: c.Meta, Title: c.FullName()}, nil
	},
	crm.EntityDeal: func(ctx context.Context, r crm.Repo, id int64) (*parentRecord, error) {
		d, err := r.DealByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return &parentRecord{Scope: &Scope{DirectorateID: d.DirectorateOf(), AuthorID: d.CreatedBy}, Meta: d.Meta, Title: d.Name}, nil
	},
	crm.EntityContract: func(ctx context.Context, r crm.Repo, id int64) (*parentRecord, error) {
		c, err := r.ContractByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return &parentRecord{Scope: &Scope{DirectorateID: c.DirectorateOf(), AuthorID: c.CreatedBy}, Meta: c.Meta, Title: c.Number}, nil
	},
}

// HasWork tells whether records of entity carry tasks, files, notes and a timeline.
func HasWork(entity string) bool {
	_, ok := parents[entity]
	return ok
}

// loadParent reads a parent record, deleted or not; an entity that carries no children is a
// field error on "entity".
func loadParent(ctx context.Context, r crm.Repo, entity string, id int64) (*parentRecord, error) {
	load, ok := parents[entity]
	if !ok {
		return nil, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"entity": "err.choice"}}
	}
	if id <= 0 {
		return nil, crm.ErrNotFound
	}
	return load(ctx, r, id)
}

// parentScope loads the permission scope of a live parent record: what editing it, and so
// adding or removing its tasks, files and notes, is checked against.
func (a *App) parentScope(ctx context.Context, r crm.Repo, entity string, id int64) (*Scope, error) {
	p, err := loadParent(ctx, r, entity, id)
	if err != nil {
		return nil, err
	}
	if p.Meta.Deleted() {
		return nil, crm.ErrNotFound
	}
	return p.Scope, nil
}

// canEditParent checks that act may edit the live parent record (R3, R8) and returns it.
func (a *App) canEditParent(ctx context.Context, r crm.Repo, act *Actor, entity string, id int64) (*parentRecord, error) {
	p, err := loadParent(ctx, r, entity, id)
	if err != nil {
		return nil, err
	}
	if p.Meta.Deleted() {
		return nil, crm.ErrNotFound
	}
	return p, Can(act, ActUpdate, entity, p.Scope)
}

// canReadParent checks that act may read the parent record: every CRM role reads every
// record (R2); a deleted one only those who may restore it.
func canReadParent(ctx context.Context, r crm.Repo, act *Actor, entity string, id int64) (*parentRecord, error) {
	p, err := loadParent(ctx, r, entity, id)
	if err != nil {
		return nil, err
	}
	return p, canRead(act, entity, p.Meta)
}

// CanEditRecord tells a skin whether to offer adding tasks, files and notes on a record;
// the use cases check again.
func (a *App) CanEditRecord(ctx context.Context, entity string, id int64) bool {
	act, err := writer(ctx)
	if err != nil {
		return false
	}
	_, err = a.canEditParent(ctx, a.store, act, entity, id)
	return err == nil
}

// RecordTitle is the name of a parent record as people know it, for links and headings.
func (a *App) RecordTitle(ctx context.Context, entity string, id int64) (string, error) {
	act, err := actor(ctx)
	if err != nil {
		return "", err
	}
	p, err := canReadParent(ctx, a.store, act, entity, id)
	if err != nil {
		return "", err
	}
	return p.Title, nil
}
