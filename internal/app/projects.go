package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// ProjectInput is what a person may set on a project.
type ProjectInput struct {
	Name          string
	ResponsibleID *int64
	DateFrom      *crm.Date
	DateTo        *crm.Date
	Status        crm.ProjectStatus
	DirectorateID int64 // 0 = the user's first directorate (R4)
	Description   string
}

// CreateProject adds a project in one of the actor's directorates.
func (a *App) CreateProject(ctx context.Context, in ProjectInput) (*crm.Project, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityProject, nil); err != nil {
		return nil, err
	}
	p := &crm.Project{Name: in.Name, ResponsibleID: in.ResponsibleID, DateFrom: in.DateFrom,
		DateTo: in.DateTo, Status: in.Status, Description: in.Description}
	if p.ResponsibleID == nil {
		p.ResponsibleID = act.userID()
	}
	p.CreatedBy = act.userID()
	p.Normalise()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		pl, err := a.place(ctx, r, act, Placement{DirectorateID: in.DirectorateID}, nil)
		if err != nil {
			return err
		}
		p.DirectorateID = optionalID(pl.DirectorateID)
		if err := checkUserRef(ctx, r, "responsible_id", p.ResponsibleID); err != nil {
			return err
		}
		if err := r.CreateProject(ctx, p); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityProject, p.ID, nil, p)
	})
	return p, err
}

// ProjectPatch changes some fields of a project; Version must be the one read.
type ProjectPatch struct {
	Version       int64
	Name          *string
	ResponsibleID **int64
	DateFrom      **crm.Date
	DateTo        **crm.Date
	Status        *crm.ProjectStatus
	DirectorateID *int64
	Description   *string
}

// UpdateProject applies a patch: only within the actor's directorates (R3), and a new
// directorate must again be one of theirs (R4, R7).
func (a *App) UpdateProject(ctx context.Context, id int64, pt ProjectPatch) (*crm.Project, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Project
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		p, err := liveProject(ctx, r, id)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityProject, projectScope(p)); err != nil {
			return err
		}
		before := *p
		setIf(&p.Name, pt.Name)
		setIf(&p.ResponsibleID, pt.ResponsibleID)
		setIf(&p.DateFrom, pt.DateFrom)
		setIf(&p.DateTo, pt.DateTo)
		setIf(&p.Status, pt.Status)
		setIf(&p.Description, pt.Description)
		p.Normalise()
		if err := p.Validate(); err != nil {
			return err
		}
		if p.DirectorateID, err = a.moveDirectorate(ctx, r, act, p.DirectorateID, pt.DirectorateID); err != nil {
			return err
		}
		if err := checkUserRef(ctx, r, "responsible_id", p.ResponsibleID); err != nil {
			return err
		}
		p.Version, p.UpdatedBy = pt.Version, act.userID()
		if err := r.UpdateProject(ctx, p); err != nil {
			return err
		}
		out = p
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityProject, id, &before, p)
	})
	return out, err
}

// DeleteProject soft-deletes a project of the actor's directorates.
func (a *App) DeleteProject(ctx context.Context, id, version int64) error {
	return a.softDelete(ctx, crm.EntityProject, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		p, err := liveProject(ctx, r, id)
		if err != nil {
			return nil, nil, err
		}
		return p, projectScope(p), nil
	})
}

// RestoreProject brings a deleted project back.
func (a *App) RestoreProject(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityProject, id, nil)
}

// Project reads one project.
func (a *App) Project(ctx context.Context, id int64) (*crm.Project, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := a.store.ProjectByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, canRead(act, crm.EntityProject, p.Meta)
}

// CanEditProject tells the UI whether to offer edit and delete; the use cases check again.
func (a *App) CanEditProject(ctx context.Context, p *crm.Project) bool {
	act := ActorFrom(ctx)
	return Can(act, ActUpdate, crm.EntityProject, projectScope(p)) == nil
}

// ListProjects reads a page of projects: every CRM role reads all directorates (R2).
func (a *App) ListProjects(ctx context.Context, f crm.ProjectFilter) (crm.Page[crm.Project], error) {
	if _, err := readList(ctx, crm.EntityProject, f.Deleted); err != nil {
		return crm.Page[crm.Project]{}, err
	}
	f.Page.Clamp()
	return a.store.ListProjects(ctx, f)
}

func liveProject(ctx context.Context, r crm.Repo, id int64) (*crm.Project, error) {
	return live(r.ProjectByID(ctx, id))
}

func projectScope(p *crm.Project) *Scope {
	return &Scope{DirectorateID: p.DirectorateOf(), AuthorID: p.CreatedBy}
}

func optionalID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
