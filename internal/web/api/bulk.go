package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// BulkRequest is one group action: on the records named by ids, or on every record matching
// filter (one or the other).
type BulkRequest struct {
	Entity        string      `json:"entity" required:"true" enum:"company,contact,deal,project" doc:"Record type."`
	Action        string      `json:"action" required:"true" enum:"assign,set_type,add_tag,delete" doc:"assign: set the responsible; set_type: set the Type (company, contact, deal); add_tag (company, contact, deal); delete: to the trash."`
	IDs           []int64     `json:"ids,omitempty" maxItems:"10000" doc:"The records to change."`
	Filter        *BulkFilter `json:"filter,omitempty" doc:"Instead of ids: every live record matching this filter (at most 10,000)."`
	ResponsibleID int64       `json:"responsible_id,omitempty" minimum:"0" doc:"For assign: the new responsible user."`
	Type          string      `json:"type,omitempty" maxLength:"40" doc:"For set_type: a code of the entity's Type list."`
	Tag           string      `json:"tag,omitempty" maxLength:"50" doc:"For add_tag: the tag."`
}

// BulkFilter picks records as the lists' filters do.
type BulkFilter struct {
	Q             string `json:"q,omitempty" maxLength:"200" doc:"The list's text search."`
	Type          string `json:"type,omitempty" maxLength:"40" doc:"Only this Type code (not projects)."`
	Tag           string `json:"tag,omitempty" maxLength:"50" doc:"Only records with this tag (not projects)."`
	DirectorateID int64  `json:"directorate_id,omitempty" minimum:"0" doc:"Only records of this sales directorate."`
	ResponsibleID int64  `json:"responsible_id,omitempty" minimum:"0" doc:"Only records this user is responsible for."`
	CompanyID     int64  `json:"company_id,omitempty" minimum:"0" doc:"Only contacts or deals of this company."`
}

// BulkResult says how a group action went.
type BulkResult struct {
	Done    int           `json:"done" doc:"Records changed."`
	Skipped int           `json:"skipped" doc:"Records left as they were: no right to change them, deleted meanwhile, changed at the same time, or the value does not fit them."`
	Skips   []BulkSkipped `json:"skips" doc:"Each skipped record and why."`
}

// BulkSkipped is one record a group action left alone.
type BulkSkipped struct {
	ID     int64  `json:"id" doc:"Record id."`
	Reason string `json:"reason" doc:"Why, in the caller's language."`
	Code   string `json:"code" doc:"Why, as a catalogue key (bulk.skip.forbidden, bulk.skip.gone, bulk.skip.changed or a field problem)."`
}

type bulkInput struct {
	Body BulkRequest
}

func (h *handlers) registerBulk(api huma.API) {
	o := op("bulkAction", http.MethodPost, "/bulk", importTag, "Run a group action",
		"Assigns a responsible, sets the Type, adds a tag or deletes, record by record through the same checks as a single change: "+
			"records the caller may not change are skipped and reported, not fatal.", http.StatusUnprocessableEntity)
	o.DefaultStatus = http.StatusOK
	huma.Register(api, o, func(ctx context.Context, in *bulkInput) (*bodyOutput[BulkResult], error) {
		b := in.Body
		ids := b.IDs
		switch {
		case b.Filter != nil && len(ids) > 0:
			return nil, fail(ctx, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"filter": "bulk.err.ids_or_filter"}}, b)
		case b.Filter != nil:
			f := b.Filter
			var err error
			ids, err = h.app.BulkMatching(ctx, b.Entity, app.BulkFilter{Q: f.Q, Type: f.Type, Tag: f.Tag, DirectorateID: f.DirectorateID,
				ResponsibleID: f.ResponsibleID, CompanyID: f.CompanyID}, app.MaxBulk+1)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
		}
		if len(ids) == 0 {
			return nil, fail(ctx, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"ids": "bulk.err.none"}}, b)
		}
		res, err := h.app.BulkApply(ctx, b.Entity, ids, app.BulkAction{Kind: b.Action, ResponsibleID: b.ResponsibleID, Type: b.Type, Tag: b.Tag})
		if err != nil {
			return nil, fail(ctx, err, b)
		}
		out := BulkResult{Done: res.Done, Skipped: res.Skipped, Skips: []BulkSkipped{}}
		lang := languageFrom(ctx)
		for _, id := range ids {
			if key, ok := res.Reasons[id]; ok {
				out.Skips = append(out.Skips, BulkSkipped{ID: id, Code: key, Reason: i18n.Default().T(lang, key, nil)})
				delete(res.Reasons, id) // an id given twice is reported once
			}
		}
		return ok(out), nil
	})
}
