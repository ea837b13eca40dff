package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Directorate is a sales directorate (Дирекция продаж): the unit whose records its members
// may edit.
type Directorate struct {
	Meta
	Name   string `json:"name" doc:"Name." example:"Дирекция по работе с госсектором"`
	HeadID *int64 `json:"head_id,omitempty" doc:"Id of the user who heads it."`
	Active bool   `json:"active" doc:"Inactive directorates cannot be chosen on new records."`
}

func directorateOf(d *crm.Directorate) Directorate {
	return Directorate{Meta: metaOf(d.Meta), Name: d.Name, HeadID: d.HeadID, Active: d.Active}
}

// DirectorateCreate is what an administrator sends to add a directorate.
type DirectorateCreate struct {
	Name   string `json:"name" maxLength:"300" doc:"Name."`
	HeadID *int64 `json:"head_id,omitempty" minimum:"1" doc:"Id of the user who heads it."`
	Active *bool  `json:"active,omitempty" doc:"Default true."`
}

// DirectoratePatch changes some fields of a directorate.
type DirectoratePatch struct {
	Version int64           `json:"version" minimum:"1" doc:"The version last read."`
	Name    *string         `json:"name,omitempty" maxLength:"300" doc:"Name."`
	HeadID  Nullable[int64] `json:"head_id,omitzero" doc:"Id of the head; null removes the head."`
	Active  *bool           `json:"active,omitempty" doc:"Whether it can be chosen on new records."`
}

type listDirectoratesInput struct {
	ListParams
	Sort    string `query:"sort" enum:"name,-name,created_at,-created_at,id,-id" doc:"Sort field; a leading minus sorts descending. Default: name."`
	Q       string `query:"q" maxLength:"200" doc:"Search in the name."`
	Active  string `query:"active" enum:"true,false" doc:"Only active (true) or inactive (false) directorates."`
	Deleted bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type directorateBody struct {
	Body DirectorateCreate
}

type patchDirectorateInput struct {
	IDParam
	Body DirectoratePatch
}

func (h *handlers) registerDirectorates(api huma.API) {
	const tag, path = "Directorates", "/directorates"
	huma.Register(api, op("listDirectorates", http.MethodGet, path, tag, "List sales directorates",
		"A page of sales directorates. Readable by every CRM role."),
		func(ctx context.Context, in *listDirectoratesInput) (*pageOutput[Directorate], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			p, err := h.app.ListDirectorates(ctx, crm.DirectorateFilter{Q: in.Q, Active: triState(in.Active), Deleted: in.Deleted, Page: pr})
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[Directorate]{Body: pageOf(p, directorateOf)}, nil
		})

	huma.Register(api, op("createDirectorate", http.MethodPost, path, tag, "Create a sales directorate",
		"Adds a sales directorate (crm_admin, admin)."),
		func(ctx context.Context, in *directorateBody) (*createdOutput[Directorate], error) {
			b := in.Body
			d, err := h.app.CreateDirectorate(ctx, app.DirectorateInput{Name: b.Name, HeadID: b.HeadID, Active: b.Active == nil || *b.Active})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, d.ID, directorateOf(d)), nil
		})

	huma.Register(api, op("getDirectorate", http.MethodGet, path+"/{id}", tag, "Get a sales directorate",
		"One sales directorate. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Directorate], error) {
			d, err := h.app.Directorate(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(directorateOf(d)), nil
		})

	huma.Register(api, op("updateDirectorate", http.MethodPatch, path+"/{id}", tag, "Change a sales directorate",
		"Changes the fields sent (crm_admin, admin).", http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchDirectorateInput) (*bodyOutput[Directorate], error) {
			b := in.Body
			d, err := h.app.UpdateDirectorate(ctx, in.ID, app.DirectoratePatch{Version: b.Version, Name: b.Name,
				HeadID: b.HeadID.patch(), Active: b.Active})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(directorateOf(d)), nil
		})

	huma.Register(api, op("deleteDirectorate", http.MethodDelete, path+"/{id}", tag, "Delete a sales directorate",
		"Moves a sales directorate to the trash (crm_admin, admin).", http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteDirectorate))

	restore := op("restoreDirectorate", http.MethodPost, path+"/{id}/restore", tag, "Restore a sales directorate",
		"Brings a deleted sales directorate back from the trash (crm_admin, admin).", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[Directorate], error) {
		return restored(ctx, in.ID, h.app.RestoreDirectorate, h.app.Directorate, directorateOf)
	})
}
