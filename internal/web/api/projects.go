package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Project (Проект) is a directorate-scoped business record: every CRM role reads all of them,
// members of its sales directorate edit them.
type Project struct {
	Meta
	Name          string `json:"name" doc:"Name." example:"Внедрение CRM в ФНС"`
	ResponsibleID *int64 `json:"responsible_id,omitempty" doc:"Id of the responsible user."`
	DateFrom      *Date  `json:"date_from,omitempty" doc:"Start date (YYYY-MM-DD)."`
	DateTo        *Date  `json:"date_to,omitempty" doc:"End date (YYYY-MM-DD)."`
	Status        string `json:"status" enum:"active,closed" doc:"Active or closed."`
	DirectorateID *int64 `json:"directorate_id,omitempty" doc:"Id of the sales directorate it belongs to."`
	Description   string `json:"description" doc:"Free text."`
}

func projectOf(p *crm.Project) Project {
	return Project{Meta: metaOf(p.Meta), Name: p.Name, ResponsibleID: p.ResponsibleID, DateFrom: dateOut(p.DateFrom),
		DateTo: dateOut(p.DateTo), Status: string(p.Status), DirectorateID: p.DirectorateID, Description: p.Description}
}

// ProjectCreate adds a project. created_by is always the caller and cannot be sent.
type ProjectCreate struct {
	Name          string `json:"name" maxLength:"300" doc:"Name."`
	ResponsibleID *int64 `json:"responsible_id,omitempty" minimum:"1" doc:"Id of the responsible user (default: the caller)."`
	DateFrom      *Date  `json:"date_from,omitempty" doc:"Start date (YYYY-MM-DD)."`
	DateTo        *Date  `json:"date_to,omitempty" doc:"End date (YYYY-MM-DD), not before the start."`
	Status        string `json:"status,omitempty" enum:"active,closed" doc:"Default active."`
	DirectorateID int64  `json:"directorate_id,omitempty" minimum:"0" doc:"One of the caller's sales directorates (crm_admin, admin: any). Default: the caller's first."`
	Description   string `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
}

// ProjectPatch changes some fields of a project.
type ProjectPatch struct {
	Version       int64           `json:"version" minimum:"1" doc:"The version last read."`
	Name          *string         `json:"name,omitempty" maxLength:"300" doc:"Name."`
	ResponsibleID Nullable[int64] `json:"responsible_id,omitzero" doc:"Id of the responsible user; null clears it."`
	DateFrom      Nullable[Date]  `json:"date_from,omitzero" doc:"Start date (YYYY-MM-DD); null clears it."`
	DateTo        Nullable[Date]  `json:"date_to,omitzero" doc:"End date (YYYY-MM-DD); null clears it."`
	Status        *string         `json:"status,omitempty" enum:"active,closed" doc:"Active or closed."`
	DirectorateID *int64          `json:"directorate_id,omitempty" minimum:"1" doc:"Move to another of the caller's sales directorates."`
	Description   *string         `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
}

type listProjectsInput struct {
	ListParams
	Sort          string `query:"sort" enum:"created_at,-created_at,updated_at,-updated_at,name,-name,status,-status,date_from,-date_from,date_to,-date_to,id,-id" doc:"Sort field; a leading minus sorts descending. Default: created_at."`
	Q             string `query:"q" maxLength:"200" doc:"Search in name and description."`
	Status        string `query:"status" enum:"active,closed" doc:"Only active or only closed projects."`
	DirectorateID int64  `query:"directorate_id" minimum:"0" doc:"Only projects of this sales directorate."`
	ResponsibleID int64  `query:"responsible_id" minimum:"0" doc:"Only projects this user is responsible for."`
	Deleted       bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type projectBody struct {
	Body ProjectCreate
}

type patchProjectInput struct {
	IDParam
	Body ProjectPatch
}

func (h *handlers) registerProjects(api huma.API) {
	const tag, path = "Projects", "/projects"
	huma.Register(api, op("listProjects", http.MethodGet, path, tag, "List projects",
		"A page of projects of all sales directorates. Readable by every CRM role."),
		func(ctx context.Context, in *listProjectsInput) (*pageOutput[Project], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			p, err := h.app.ListProjects(ctx, crm.ProjectFilter{Q: in.Q, Status: crm.ProjectStatus(in.Status),
				DirectorateID: in.DirectorateID, ResponsibleID: in.ResponsibleID, Deleted: in.Deleted, Page: pr})
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[Project]{Body: pageOf(p, projectOf)}, nil
		})

	huma.Register(api, op("createProject", http.MethodPost, path, tag, "Create a project",
		"Adds a project in one of the caller's sales directorates (crm_sales, crm_manager, crm_marketeer, crm_pam, crm_presale, crm_certificate_manager, crm_admin, admin)."),
		func(ctx context.Context, in *projectBody) (*createdOutput[Project], error) {
			b := in.Body
			p, err := h.app.CreateProject(ctx, app.ProjectInput{Name: b.Name, ResponsibleID: b.ResponsibleID,
				DateFrom: dateIn(b.DateFrom), DateTo: dateIn(b.DateTo), Status: crm.ProjectStatus(b.Status),
				DirectorateID: b.DirectorateID, Description: b.Description})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, p.ID, projectOf(p)), nil
		})

	huma.Register(api, op("getProject", http.MethodGet, path+"/{id}", tag, "Get a project",
		"One project. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Project], error) {
			p, err := h.app.Project(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(projectOf(p)), nil
		})

	huma.Register(api, op("updateProject", http.MethodPatch, path+"/{id}", tag, "Change a project",
		"Changes the fields sent. Members of the project's sales directorate with a business role may; crm_admin and admin always.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchProjectInput) (*bodyOutput[Project], error) {
			b := in.Body
			pt := app.ProjectPatch{Version: b.Version, Name: b.Name, ResponsibleID: b.ResponsibleID.patch(),
				DateFrom: datePatch(b.DateFrom), DateTo: datePatch(b.DateTo), DirectorateID: b.DirectorateID, Description: b.Description}
			if b.Status != nil {
				s := crm.ProjectStatus(*b.Status)
				pt.Status = &s
			}
			p, err := h.app.UpdateProject(ctx, in.ID, pt)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(projectOf(p)), nil
		})

	huma.Register(api, op("deleteProject", http.MethodDelete, path+"/{id}", tag, "Delete a project",
		"Moves a project to the trash: members of its sales directorate with a business role, crm_admin, admin.",
		http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteProject))

	restore := op("restoreProject", http.MethodPost, path+"/{id}/restore", tag, "Restore a project",
		"Brings a deleted project back from the trash (crm_admin, admin).", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[Project], error) {
		return restored(ctx, in.ID, h.app.RestoreProject, h.app.Project, projectOf)
	})
}
