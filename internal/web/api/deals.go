package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Deal (Сделка) is a sales opportunity on a stage of a sales topic.
type Deal struct {
	Meta
	Name              string         `json:"name" doc:"Name." example:"ООО «Ромашка» — Основные продажи"`
	CompanyID         *int64         `json:"company_id,omitempty" doc:"Id of the counterparty."`
	ContactID         *int64         `json:"contact_id,omitempty" doc:"Id of the contact person."`
	TopicID           int64          `json:"topic_id" doc:"Id of the sales topic."`
	StageID           int64          `json:"stage_id" doc:"Id of the stage, one of the topic's."`
	Status            string         `json:"status" enum:"open,on_hold,won,lost" doc:"Follows the stage kind; on_hold is an open deal put aside."`
	Amount            int64          `json:"amount" doc:"Amount in minor units (kopecks)." example:"125000050"`
	Currency          string         `json:"currency" doc:"ISO 4217 currency." example:"RUB"`
	Probability       int            `json:"probability" doc:"Probability in percent: the stage's unless set by hand."`
	ProbabilityManual bool           `json:"probability_manual" doc:"True when the probability was set by hand."`
	ExpectedClose     *Date          `json:"expected_close,omitempty" doc:"Expected close date."`
	ResponsibleID     *int64         `json:"responsible_id,omitempty" doc:"Id of the responsible user."`
	DirectorateID     *int64         `json:"directorate_id,omitempty" doc:"Id of the sales directorate."`
	ProductID         *int64         `json:"product_id,omitempty" doc:"Id of the sale object (product)."`
	ProjectID         *int64         `json:"project_id,omitempty" doc:"Id of the project."`
	Type              string         `json:"type,omitempty" doc:"Code of the deal_type list."`
	LossReason        string         `json:"loss_reason,omitempty" doc:"Code of the rejection_reason list, on lost deals."`
	LostAtStageID     *int64         `json:"lost_at_stage_id,omitempty" doc:"The stage the deal was lost at."`
	ClosedAt          *time.Time     `json:"closed_at,omitempty" doc:"When the deal was won or lost."`
	StageEnteredAt    time.Time      `json:"stage_entered_at" doc:"When the deal entered its stage."`
	SourceEventID     *int64         `json:"source_event_id,omitempty" doc:"Id of the event the deal came from."`
	Tags              []string       `json:"tags" doc:"Tags."`
	Attributes        map[string]any `json:"attributes" doc:"Custom field values by field code."`
	Description       string         `json:"description" doc:"Free text."`
	Lines             []DealLine     `json:"lines" doc:"Product and service lines."`
}

// DealLine is a product or service line of a deal.
type DealLine struct {
	ID          int64  `json:"id,omitempty" readOnly:"true" doc:"Line id."`
	ProductID   *int64 `json:"product_id,omitempty" minimum:"1" doc:"Id of the product, if the line is one."`
	Description string `json:"description,omitempty" maxLength:"500" doc:"What is sold; required without a product."`
	Quantity    int64  `json:"quantity" minimum:"1" doc:"Quantity."`
	Price       int64  `json:"price" minimum:"0" doc:"Price per unit in minor units."`
	Amount      int64  `json:"amount,omitempty" readOnly:"true" doc:"Quantity × price, computed."`
}

func dealOf(d *crm.Deal) Deal {
	out := Deal{Meta: metaOf(d.Meta), Name: d.Name, CompanyID: d.CompanyID, ContactID: d.ContactID, TopicID: d.TopicID,
		StageID: d.StageID, Status: string(d.Status), Amount: d.Amount, Currency: d.Currency, Probability: d.Probability,
		ProbabilityManual: d.ProbabilityManual, ExpectedClose: dateOut(d.ExpectedClose), ResponsibleID: d.ResponsibleID,
		DirectorateID: d.DirectorateID, ProductID: d.ProductID, ProjectID: d.ProjectID, Type: d.Type, LossReason: d.LossReason,
		LostAtStageID: d.LostAtStageID, ClosedAt: d.ClosedAt, StageEnteredAt: d.StageEnteredAt, SourceEventID: d.SourceEventID,
		Tags: d.Tags, Attributes: d.Attributes, Description: d.Description, Lines: make([]DealLine, 0, len(d.Lines))}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if out.Attributes == nil {
		out.Attributes = map[string]any{}
	}
	for _, l := range d.Lines {
		out.Lines = append(out.Lines, DealLine{ID: l.ID, ProductID: l.ProductID, Description: l.Description,
			Quantity: l.Quantity, Price: l.Price, Amount: l.Amount})
	}
	return out
}

func dealLinesIn(in []DealLine) []crm.DealLine {
	out := make([]crm.DealLine, 0, len(in))
	for _, l := range in {
		out = append(out, crm.DealLine{ProductID: l.ProductID, Description: l.Description, Quantity: l.Quantity, Price: l.Price})
	}
	return out
}

// DealCreate adds a deal. created_by is always the caller.
type DealCreate struct {
	Name          string         `json:"name,omitempty" maxLength:"300" doc:"Name; default «<counterparty or contact> — <topic>»."`
	CompanyID     *int64         `json:"company_id,omitempty" minimum:"1" doc:"Id of the counterparty; a counterparty or a contact is required."`
	ContactID     *int64         `json:"contact_id,omitempty" minimum:"1" doc:"Id of the contact person, of that counterparty when both are given."`
	TopicID       int64          `json:"topic_id" minimum:"1" doc:"Id of an active sales topic."`
	StageID       int64          `json:"stage_id,omitempty" minimum:"0" doc:"A stage of the topic; default its first open stage (R34)."`
	LossReason    string         `json:"loss_reason,omitempty" maxLength:"100" doc:"Rejection reason code; required when stage_id is a lost stage."`
	Amount        int64          `json:"amount,omitempty" minimum:"0" doc:"Amount in minor units (kopecks)."`
	Currency      string         `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 currency; default RUB."`
	Probability   *int           `json:"probability,omitempty" minimum:"0" maximum:"100" doc:"Probability set by hand; default the stage's (R36)."`
	ExpectedClose *Date          `json:"expected_close,omitempty" doc:"Expected close date."`
	ResponsibleID *int64         `json:"responsible_id,omitempty" minimum:"1" doc:"Responsible user; default the caller."`
	DirectorateID int64          `json:"directorate_id,omitempty" minimum:"0" doc:"One of the caller's sales directorates; default the caller's first."`
	ProductID     *int64         `json:"product_id,omitempty" minimum:"1" doc:"Sale object: a product of the directorate (R5)."`
	ProjectID     *int64         `json:"project_id,omitempty" minimum:"1" doc:"Id of a project."`
	Type          string         `json:"type,omitempty" maxLength:"100" doc:"Code of the deal_type list."`
	SourceEventID *int64         `json:"source_event_id,omitempty" minimum:"1" doc:"Id of the event the deal came from."`
	Tags          []string       `json:"tags,omitempty" maxItems:"50" doc:"Tags."`
	Attributes    map[string]any `json:"attributes,omitempty" doc:"Custom field values by field code."`
	Description   string         `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
	Lines         []DealLine     `json:"lines,omitempty" maxItems:"200" doc:"Product and service lines."`
}

// DealPatch changes some fields of a deal.
type DealPatch struct {
	Version       int64                `json:"version" minimum:"1" doc:"The version last read."`
	Name          *string              `json:"name,omitempty" maxLength:"300" doc:"Name."`
	CompanyID     Nullable[int64]      `json:"company_id,omitzero" doc:"Counterparty; null clears it."`
	ContactID     Nullable[int64]      `json:"contact_id,omitzero" doc:"Contact person; null clears it."`
	TopicID       *int64               `json:"topic_id,omitempty" minimum:"1" doc:"Another topic: the deal goes to its first open stage unless stage_id names one of its stages (R34)."`
	StageID       *int64               `json:"stage_id,omitempty" minimum:"1" doc:"Move to this stage (history, tasks, as POST /deals/{id}/move)."`
	LossReason    *string              `json:"loss_reason,omitempty" maxLength:"100" doc:"Rejection reason: with a lost stage_id, or to correct the reason of a lost deal."`
	Amount        *int64               `json:"amount,omitempty" minimum:"0" doc:"Amount in minor units."`
	Currency      *string              `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 currency."`
	Probability   Nullable[int]        `json:"probability,omitzero" doc:"Probability set by hand; null follows the stage again."`
	ExpectedClose Nullable[Date]       `json:"expected_close,omitzero" doc:"Expected close date; null clears it."`
	ResponsibleID Nullable[int64]      `json:"responsible_id,omitzero" doc:"Responsible user; null clears it."`
	DirectorateID *int64               `json:"directorate_id,omitempty" minimum:"1" doc:"Move to another of the caller's sales directorates."`
	ProductID     Nullable[int64]      `json:"product_id,omitzero" doc:"Sale object; null clears it."`
	ProjectID     Nullable[int64]      `json:"project_id,omitzero" doc:"Project; null clears it."`
	Type          *string              `json:"type,omitempty" maxLength:"100" doc:"Code of the deal_type list; empty clears it."`
	SourceEventID Nullable[int64]      `json:"source_event_id,omitzero" doc:"Source event; null clears it."`
	OnHold        *bool                `json:"on_hold,omitempty" doc:"Put an open deal on hold (true) or resume it (false)."`
	Tags          *[]string            `json:"tags,omitempty" maxItems:"50" doc:"Tags (replaces all)."`
	Attributes    map[string]any       `json:"attributes,omitempty" doc:"Custom field values to set; null removes a value."`
	Description   *string              `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
	Lines         Nullable[[]DealLine] `json:"lines,omitzero" doc:"Lines (replaces all); null removes every line."`
}

// DealMove moves a deal to another stage of its topic.
type DealMove struct {
	Version    int64  `json:"version" minimum:"1" doc:"The version last read."`
	StageID    int64  `json:"stage_id" minimum:"1" doc:"A stage of the deal's topic."`
	LossReason string `json:"loss_reason,omitempty" maxLength:"100" doc:"Rejection reason code; required for a lost stage (R35)."`
}

// StageChange is one row of a deal's stage history.
type StageChange struct {
	ID          int64     `json:"id" doc:"Row id."`
	FromStageID *int64    `json:"from_stage_id,omitempty" doc:"The stage left; absent on the first row."`
	ToStageID   int64     `json:"to_stage_id" doc:"The stage entered."`
	At          time.Time `json:"at" doc:"When."`
	By          *int64    `json:"by,omitempty" doc:"Id of the user who moved it."`
}

// BoardColumn is one stage of the kanban with its head and first cards.
type BoardColumn struct {
	StageID int64  `json:"stage_id" doc:"Stage id."`
	Name    string `json:"name" doc:"Stage name in the caller's language."`
	Kind    string `json:"kind" enum:"open,won,lost" doc:"Stage kind."`
	Count   int    `json:"count" doc:"Deals of the filter on the stage."`
	Amount  int64  `json:"amount" doc:"Their sum in minor units."`
	Cards   []Deal `json:"cards" doc:"The first deals, newest on the stage first."`
	Next    string `json:"next" doc:"Cursor of the column's next cards (GET /deals with stage_id, sort=-stage_entered_at, after)."`
}

// Board is the kanban of a topic.
type Board struct {
	TopicID int64         `json:"topic_id" doc:"Topic id."`
	Columns []BoardColumn `json:"columns" doc:"The topic's stages in order."`
}

// DealFilterParams are the filters of a list, shared with its totals or board. Exported: huma reads
// only exported embedded parameter structs.
type DealFilterParams struct {
	Q             string `query:"q" maxLength:"200" doc:"Search in name and description."`
	TopicID       int64  `query:"topic_id" minimum:"0" doc:"Only deals of this topic."`
	StageID       int64  `query:"stage_id" minimum:"0" doc:"Only deals on this stage."`
	Status        string `query:"status" enum:"open,on_hold,won,lost" doc:"Only deals of this status."`
	CompanyID     int64  `query:"company_id" minimum:"0" doc:"Only deals of this counterparty."`
	ContactID     int64  `query:"contact_id" minimum:"0" doc:"Only deals of this contact."`
	Type          string `query:"type" maxLength:"100" doc:"Only deals of this type code."`
	DirectorateID int64  `query:"directorate_id" minimum:"0" doc:"Only deals of this sales directorate."`
	ResponsibleID int64  `query:"responsible_id" minimum:"0" doc:"Only deals this user is responsible for."`
	Tag           string `query:"tag" maxLength:"100" doc:"Only deals with this tag."`
	CloseFrom     string `query:"close_from" format:"date" doc:"Expected close on or after this day (YYYY-MM-DD)."`
	CloseTo       string `query:"close_to" format:"date" doc:"Expected close on or before this day."`
	CreatedFrom   string `query:"created_from" format:"date" doc:"Created on or after this day (UTC)."`
	CreatedTo     string `query:"created_to" format:"date" doc:"Created on or before this day (UTC)."`
}

func (p DealFilterParams) filter() (crm.DealFilter, error) {
	f := crm.DealFilter{Q: p.Q, TopicID: p.TopicID, StageID: p.StageID, Status: crm.DealStatus(p.Status),
		CompanyID: p.CompanyID, ContactID: p.ContactID, Type: p.Type, DirectorateID: p.DirectorateID,
		ResponsibleID: p.ResponsibleID, Tag: p.Tag}
	pr := crm.Problems{}
	parseDateParams(pr, dateParam{"close_from", p.CloseFrom, &f.CloseFrom}, dateParam{"close_to", p.CloseTo, &f.CloseTo},
		dateParam{"created_from", p.CreatedFrom, &f.CreatedFrom}, dateParam{"created_to", p.CreatedTo, &f.CreatedTo})
	return f, pr.Err()
}

type listDealsInput struct {
	ListParams
	DealFilterParams
	Sort    string `query:"sort" enum:"created_at,-created_at,updated_at,-updated_at,name,-name,amount,-amount,expected_close,-expected_close,stage_entered_at,-stage_entered_at,id,-id" doc:"Sort field; a leading minus sorts descending. Default: created_at."`
	Deleted bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type boardInput struct {
	DealFilterParams
	PerColumn int `query:"per_column" minimum:"1" maximum:"100" default:"30" doc:"Cards per column."`
}

type dealBody struct {
	Body DealCreate
}

type patchDealInput struct {
	IDParam
	Body DealPatch
}

type moveDealInput struct {
	IDParam
	Body DealMove
}

type historyOutput struct {
	Body []StageChange
}

type boardOutput struct {
	Body Board
}

func (h *handlers) registerDeals(api huma.API) {
	const tag, path = "Deals", "/deals"
	huma.Register(api, op("listDeals", http.MethodGet, path, tag, "List deals",
		"A page of deals of all sales directorates. Readable by every CRM role."),
		func(ctx context.Context, in *listDealsInput) (*pageOutput[Deal], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f, err := in.filter()
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f.Deleted, f.Page = in.Deleted, pr
			p, err := h.app.ListDeals(ctx, f)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[Deal]{Body: pageOf(p, dealOf)}, nil
		})

	huma.Register(api, op("dealBoard", http.MethodGet, path+"/board", tag, "Kanban of a topic",
		"The stages of a topic with the count and sum of the filtered deals on each and the first cards, newest on the stage first.",
		http.StatusNotFound),
		func(ctx context.Context, in *boardInput) (*boardOutput, error) {
			f, err := in.filter()
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			if f.TopicID == 0 {
				return nil, fail(ctx, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"topic_id": "err.required"}}, nil)
			}
			b, err := h.app.DealBoard(ctx, f.TopicID, f, in.PerColumn)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			lang := languageFrom(ctx)
			out := Board{TopicID: b.Topic.ID, Columns: make([]BoardColumn, 0, len(b.Columns))}
			for _, c := range b.Columns {
				col := BoardColumn{StageID: c.Stage.ID, Name: c.Stage.Name(lang), Kind: string(c.Stage.Kind),
					Count: c.Summary.Count, Amount: c.Summary.Amount, Cards: make([]Deal, 0, len(c.Cards)), Next: c.Next}
				for i := range c.Cards {
					col.Cards = append(col.Cards, dealOf(&c.Cards[i]))
				}
				out.Columns = append(out.Columns, col)
			}
			return &boardOutput{Body: out}, nil
		})

	huma.Register(api, op("createDeal", http.MethodPost, path, tag, "Create a deal",
		"Adds a deal on the first open stage of its topic unless a stage is given (R34); business roles in their own sales directorates."),
		func(ctx context.Context, in *dealBody) (*createdOutput[Deal], error) {
			b := in.Body
			d, err := h.app.CreateDeal(ctx, app.DealInput{Name: b.Name, CompanyID: b.CompanyID, ContactID: b.ContactID,
				TopicID: b.TopicID, StageID: b.StageID, LossReason: b.LossReason, Amount: b.Amount, Currency: b.Currency,
				Probability: b.Probability, ExpectedClose: dateIn(b.ExpectedClose), ResponsibleID: b.ResponsibleID,
				DirectorateID: b.DirectorateID, ProductID: b.ProductID, ProjectID: b.ProjectID, Type: b.Type,
				SourceEventID: b.SourceEventID, Tags: b.Tags, Attributes: b.Attributes, Description: b.Description,
				Lines: dealLinesIn(b.Lines)})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, d.ID, dealOf(d)), nil
		})

	huma.Register(api, op("getDeal", http.MethodGet, path+"/{id}", tag, "Get a deal",
		"One deal with its lines. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Deal], error) {
			d, err := h.app.Deal(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(dealOf(d)), nil
		})

	huma.Register(api, op("dealHistory", http.MethodGet, path+"/{id}/history", tag, "Stage history of a deal",
		"The deal's stage changes, oldest first.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*historyOutput, error) {
			hist, err := h.app.StageHistory(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			out := make([]StageChange, 0, len(hist))
			for _, c := range hist {
				out = append(out, StageChange{ID: c.ID, FromStageID: c.FromStageID, ToStageID: c.ToStageID, At: c.At, By: c.By})
			}
			return &historyOutput{Body: out}, nil
		})

	huma.Register(api, op("updateDeal", http.MethodPatch, path+"/{id}", tag, "Change a deal",
		"Changes the fields sent. Members of the deal's sales directorate with a business role may; crm_admin and admin always.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchDealInput) (*bodyOutput[Deal], error) {
			b := in.Body
			pt := app.DealPatch{Version: b.Version, Name: b.Name, CompanyID: b.CompanyID.patch(), ContactID: b.ContactID.patch(),
				TopicID: b.TopicID, StageID: b.StageID, LossReason: b.LossReason, Amount: b.Amount, Currency: b.Currency,
				Probability: b.Probability.patch(), ExpectedClose: datePatch(b.ExpectedClose), ResponsibleID: b.ResponsibleID.patch(),
				DirectorateID: b.DirectorateID, ProductID: b.ProductID.patch(), ProjectID: b.ProjectID.patch(), Type: b.Type,
				SourceEventID: b.SourceEventID.patch(), Hold: b.OnHold, Tags: b.Tags, Attributes: b.Attributes, Description: b.Description}
			if b.Lines.Set {
				lines := []crm.DealLine{}
				if b.Lines.Value != nil {
					lines = dealLinesIn(*b.Lines.Value)
				}
				pt.Lines = &lines
			}
			d, err := h.app.UpdateDeal(ctx, in.ID, pt)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(dealOf(d)), nil
		})

	move := op("moveDeal", http.MethodPost, path+"/{id}/move", tag, "Move a deal to a stage",
		"Moves the deal to another stage of its topic and writes its stage history (R35). A lost stage needs loss_reason "+
			"(422 otherwise, nothing changed); won and lost close the deal, leaving them reopens it; the stage's tasks are created.",
		http.StatusNotFound, http.StatusConflict)
	move.DefaultStatus = http.StatusOK
	huma.Register(api, move, func(ctx context.Context, in *moveDealInput) (*bodyOutput[Deal], error) {
		b := in.Body
		d, err := h.app.MoveDeal(ctx, in.ID, b.Version, b.StageID, strings.TrimSpace(b.LossReason))
		if err != nil {
			return nil, fail(ctx, err, b)
		}
		return ok(dealOf(d)), nil
	})

	huma.Register(api, op("deleteDeal", http.MethodDelete, path+"/{id}", tag, "Delete a deal",
		"Moves a deal to the trash: members of its sales directorate with a business role, crm_admin, admin.",
		http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteDeal))

	restore := op("restoreDeal", http.MethodPost, path+"/{id}/restore", tag, "Restore a deal",
		"Brings a deleted deal back from the trash (crm_admin, admin).", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[Deal], error) {
		return restored(ctx, in.ID, h.app.RestoreDeal, h.app.Deal, dealOf)
	})

	h.registerContracts(api)
}
