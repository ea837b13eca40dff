package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// The sales configuration: choice lists (Types and the other lists of product.md §4.9),
// custom fields of companies, contacts and deals, sales topics with their stages. Everyone
// with a CRM role reads them; choice lists and topics are written by crm_manager, crm_admin
// and admin (SC), custom fields by crm_marketeer, crm_admin and admin (MC).

// itemsOutput answers a short list that has no pages.
type itemsOutput[T any] struct {
	Body struct {
		Items []T `json:"items" doc:"Every matching row, in order."`
	}
}

func itemsOf[S, T any](xs []S, conv func(*S) T) *itemsOutput[T] {
	out := &itemsOutput[T]{}
	out.Body.Items = make([]T, 0, len(xs))
	for i := range xs {
		out.Body.Items = append(out.Body.Items, conv(&xs[i]))
	}
	return out
}

// ChoiceValue is one value of a choice list. Records carry the code; label is in the
// language the request asks for (Accept-Language), label_ru and label_en are both stored.
type ChoiceValue struct {
	Meta
	List      string `json:"list" enum:"company_type,contact_type,deal_type,industry,rejection_reason,contact_role,product_group" doc:"The list it belongs to."`
	Code      string `json:"code" doc:"Stable code records and filters use." example:"partner"`
	Label     string `json:"label" doc:"Label in the language of the request." example:"Партнёр"`
	LabelRU   string `json:"label_ru" doc:"Russian label."`
	LabelEN   string `json:"label_en" doc:"English label."`
	Sort      int    `json:"sort" doc:"Order within the list (ascending)."`
	IsDefault bool   `json:"is_default" doc:"Preselected on new records; at most one per list."`
	Active    bool   `json:"active" doc:"Offered in pickers; deactivated values stay on the records that have them."`
}

func choiceOf(ctx context.Context) func(v *crm.ChoiceValue) ChoiceValue {
	lang := languageFrom(ctx)
	return func(v *crm.ChoiceValue) ChoiceValue {
		return ChoiceValue{Meta: metaOf(v.Meta), List: string(v.List), Code: v.Code, Label: v.Label(lang), LabelRU: v.LabelRU,
			LabelEN: v.LabelEN, Sort: v.Sort, IsDefault: v.IsDefault, Active: v.Active}
	}
}

// ChoiceCreate adds a value to a list.
type ChoiceCreate struct {
	List      string `json:"list" enum:"company_type,contact_type,deal_type,industry,rejection_reason,contact_role,product_group" doc:"The list."`
	Code      string `json:"code" maxLength:"40" doc:"Code: a lower-case Latin letter, then letters, digits, underscores; unique within the list; cannot change later." example:"distributor"`
	LabelRU   string `json:"label_ru" maxLength:"300" doc:"Russian label (required)."`
	LabelEN   string `json:"label_en,omitempty" maxLength:"300" doc:"English label."`
	Sort      int    `json:"sort,omitempty" minimum:"0" maximum:"1000000" doc:"Order; 0 or absent puts it last."`
	IsDefault bool   `json:"is_default,omitempty" doc:"Make it the list's default (the previous default loses the mark)."`
	Active    *bool  `json:"active,omitempty" doc:"Default true."`
}

// ChoicePatch changes some fields of a value; list and code stay.
type ChoicePatch struct {
	Version   int64   `json:"version" minimum:"1" doc:"The version last read."`
	LabelRU   *string `json:"label_ru,omitempty" maxLength:"300" doc:"Russian label."`
	LabelEN   *string `json:"label_en,omitempty" maxLength:"300" doc:"English label."`
	Sort      *int    `json:"sort,omitempty" minimum:"0" maximum:"1000000" doc:"Order."`
	IsDefault *bool   `json:"is_default,omitempty" doc:"Make it (or stop it being) the list's default."`
	Active    *bool   `json:"active,omitempty" doc:"Deactivate to stop offering it; records keep it."`
}

type listChoicesInput struct {
	List    string `query:"list" enum:"company_type,contact_type,deal_type,industry,rejection_reason,contact_role,product_group" doc:"Only this list (default: all lists)."`
	Active  string `query:"active" enum:"true,false" doc:"Only active or only deactivated values."`
	Deleted bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type choiceBody struct{ Body ChoiceCreate }

type patchChoiceInput struct {
	IDParam
	Body ChoicePatch
}

// CustomField is an admin-defined field of companies, contacts or deals; records carry its
// values in attributes under the code.
type CustomField struct {
	Meta
	Entity  string   `json:"entity" enum:"company,contact,deal" doc:"The record type it belongs to."`
	Code    string   `json:"code" doc:"Key of the value in the records' attributes." example:"segment"`
	Label   string   `json:"label" doc:"Label in the language of the request."`
	LabelRU string   `json:"label_ru" doc:"Russian label."`
	LabelEN string   `json:"label_en" doc:"English label."`
	Type    string   `json:"type" enum:"text,number,date,list,flag" doc:"Value type: text and list are strings, number a number, date YYYY-MM-DD, flag a boolean."`
	Options []string `json:"options" doc:"The values of a list field."`
	Sort    int      `json:"sort" doc:"Order on forms and cards."`
	Active  bool     `json:"active" doc:"Shown on forms; values of a deactivated field stay on the records."`
}

func customFieldOf(ctx context.Context) func(f *crm.CustomField) CustomField {
	lang := languageFrom(ctx)
	return func(f *crm.CustomField) CustomField {
		opts := f.Options
		if opts == nil {
			opts = []string{}
		}
		return CustomField{Meta: metaOf(f.Meta), Entity: f.Entity, Code: f.Code, Label: f.Label(lang), LabelRU: f.LabelRU,
			LabelEN: f.LabelEN, Type: string(f.Type), Options: opts, Sort: f.Sort, Active: f.Active}
	}
}

// CustomFieldCreate adds a field. Entity, code and type cannot change later.
type CustomFieldCreate struct {
	Entity  string   `json:"entity" enum:"company,contact,deal" doc:"The record type."`
	Code    string   `json:"code" maxLength:"40" doc:"Code: a lower-case Latin letter, then letters, digits, underscores; unique per record type."`
	LabelRU string   `json:"label_ru" maxLength:"300" doc:"Russian label (required)."`
	LabelEN string   `json:"label_en,omitempty" maxLength:"300" doc:"English label."`
	Type    string   `json:"type" enum:"text,number,date,list,flag" doc:"Value type."`
	Options []string `json:"options,omitempty" maxItems:"200" doc:"Values of a list field (at least one); ignored for other types."`
	Sort    int      `json:"sort,omitempty" minimum:"0" maximum:"1000000" doc:"Order; 0 or absent puts it last."`
	Active  *bool    `json:"active,omitempty" doc:"Default true."`
}

// CustomFieldPatch changes some fields of a custom field.
type CustomFieldPatch struct {
	Version int64     `json:"version" minimum:"1" doc:"The version last read."`
	LabelRU *string   `json:"label_ru,omitempty" maxLength:"300" doc:"Russian label."`
	LabelEN *string   `json:"label_en,omitempty" maxLength:"300" doc:"English label."`
	Options *[]string `json:"options,omitempty" maxItems:"200" doc:"The whole new option list of a list field; records keep a removed option until edited."`
	Sort    *int      `json:"sort,omitempty" minimum:"0" maximum:"1000000" doc:"Order."`
	Active  *bool     `json:"active,omitempty" doc:"Deactivate to hide it from forms."`
}

type listCustomFieldsInput struct {
	Entity  string `query:"entity" enum:"company,contact,deal" doc:"Only the fields of this record type (default: all)."`
	Active  string `query:"active" enum:"true,false" doc:"Only active or only deactivated fields."`
	Deleted bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type customFieldBody struct{ Body CustomFieldCreate }

type patchCustomFieldInput struct {
	IDParam
	Body CustomFieldPatch
}

// Topic is a sales topic (Тема продаж) with its pipeline of stages.
type Topic struct {
	Meta
	Name          string       `json:"name" doc:"Russian name." example:"Основные продажи"`
	NameEN        string       `json:"name_en" doc:"English name."`
	Label         string       `json:"label" doc:"Name in the language of the request."`
	Description   string       `json:"description" doc:"Free text."`
	DirectorateID *int64       `json:"directorate_id,omitempty" doc:"Id of the sales directorate it is for, if any."`
	Active        bool         `json:"active" doc:"Offered for new deals."`
	Sort          int          `json:"sort" doc:"Order among topics."`
	Stages        []TopicStage `json:"stages" doc:"The stages in pipeline order."`
}

// TopicStage is one stage of a topic's pipeline.
type TopicStage struct {
	ID          int64       `json:"id,omitempty" doc:"Stage id. Send it back to keep a stage (deals and history refer to it); leave it out for a new stage."`
	Position    int         `json:"position,omitempty" readOnly:"true" doc:"1-based place in the pipeline (set from the order of the array)."`
	Name        string      `json:"name,omitempty" readOnly:"true" doc:"Name in the language of the request."`
	NameRU      string      `json:"name_ru" maxLength:"200" doc:"Russian name (required)."`
	NameEN      string      `json:"name_en,omitempty" maxLength:"200" doc:"English name."`
	Kind        string      `json:"kind" enum:"open,won,lost" doc:"open, won or lost: a topic has at least one open stage, exactly one won and at least one lost."`
	Probability int         `json:"probability" minimum:"0" maximum:"100" doc:"Deal probability on this stage: 0–100 when open, 100 when won, 0 when lost."`
	TaskChain   []StageTask `json:"task_chain,omitempty" maxItems:"20" doc:"Tasks created when a deal enters the stage."`
}

// StageTask is a task a deal's entry into a stage creates.
type StageTask struct {
	Title   string `json:"title" maxLength:"300" doc:"Task title."`
	DueDays int    `json:"due_days" minimum:"0" maximum:"365" doc:"Due this many days after the deal enters the stage."`
	Kind    string `json:"kind,omitempty" enum:"task,call,meeting,message,reminder" doc:"Task kind; default task."`
}

func topicOf(ctx context.Context) func(t *crm.Topic) Topic {
	lang := languageFrom(ctx)
	return func(t *crm.Topic) Topic {
		out := Topic{Meta: metaOf(t.Meta), Name: t.Name, NameEN: t.NameEN, Label: t.Label(lang), Description: t.Description,
			DirectorateID: t.DirectorateID, Active: t.Active, Sort: t.Sort, Stages: make([]TopicStage, 0, len(t.Stages))}
		for _, s := range t.Stages {
			st := TopicStage{ID: s.ID, Position: s.Position, Name: s.Name(lang), NameRU: s.NameRU, NameEN: s.NameEN,
				Kind: string(s.Kind), Probability: s.Probability}
			for _, c := range s.TaskChain {
				st.TaskChain = append(st.TaskChain, StageTask(c))
			}
			out.Stages = append(out.Stages, st)
		}
		return out
	}
}

func stagesIn(in []TopicStage) []crm.Stage {
	out := make([]crm.Stage, 0, len(in))
	for _, s := range in {
		st := crm.Stage{ID: s.ID, NameRU: s.NameRU, NameEN: s.NameEN, Kind: crm.StageKind(s.Kind), Probability: s.Probability}
		for _, c := range s.TaskChain {
			st.TaskChain = append(st.TaskChain, crm.StageTask(c))
		}
		out = append(out, st)
	}
	return out
}

// TopicCreate adds a topic with its stages.
type TopicCreate struct {
	Name          string       `json:"name" maxLength:"300" doc:"Russian name, unique among topics (required)."`
	NameEN        string       `json:"name_en,omitempty" maxLength:"300" doc:"English name."`
	Description   string       `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
	DirectorateID *int64       `json:"directorate_id,omitempty" minimum:"1" doc:"Id of the sales directorate it is for."`
	Active        *bool        `json:"active,omitempty" doc:"Default true."`
	Sort          int          `json:"sort,omitempty" minimum:"0" maximum:"1000000" doc:"Order; 0 or absent puts it last."`
	Stages        []TopicStage `json:"stages" maxItems:"30" doc:"The stages in pipeline order (ids are ignored)."`
}

// TopicPatch changes some fields of a topic.
type TopicPatch struct {
	Version       int64           `json:"version" minimum:"1" doc:"The version last read."`
	Name          *string         `json:"name,omitempty" maxLength:"300" doc:"Russian name."`
	NameEN        *string         `json:"name_en,omitempty" maxLength:"300" doc:"English name."`
	Description   *string         `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
	DirectorateID Nullable[int64] `json:"directorate_id,omitzero" doc:"Sales directorate id; null clears it."`
	Active        *bool           `json:"active,omitempty" doc:"Offered for new deals."`
	Sort          *int            `json:"sort,omitempty" minimum:"0" maximum:"1000000" doc:"Order."`
	Stages        *[]TopicStage   `json:"stages,omitempty" maxItems:"30" doc:"The whole new pipeline in order: stages with an id are kept, without one added, left out removed (refused while deals stand on them)."`
}

type listTopicsInput struct {
	ListParams
	Sort    string `query:"sort" enum:"sort,-sort,name,-name,created_at,-created_at,updated_at,-updated_at,id,-id" doc:"Sort field; a leading minus sorts descending. Default: sort."`
	Q       string `query:"q" maxLength:"200" doc:"Search in the names and description."`
	Active  string `query:"active" enum:"true,false" doc:"Only active or only inactive topics."`
	Deleted bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type topicBody struct{ Body TopicCreate }

type patchTopicInput struct {
	IDParam
	Body TopicPatch
}

func activeOr(b *bool) bool { return b == nil || *b }

// registerConfig adds the operations of choice lists, custom fields, sales topics and stages.
func (h *handlers) registerConfig(api huma.API) {
	h.registerChoices(api)
	h.registerCustomFields(api)
	h.registerTopics(api)
}

func (h *handlers) registerChoices(api huma.API) {
	const tag, path = "Choice lists", "/choices"
	huma.Register(api, op("listChoices", http.MethodGet, path, tag, "List choice values",
		"The values of one choice list (or of all) in their order, with labels in the request's language. Readable by every CRM role."),
		func(ctx context.Context, in *listChoicesInput) (*itemsOutput[ChoiceValue], error) {
			vals, err := h.app.ListChoiceValues(ctx, crm.ChoiceFilter{List: crm.ChoiceList(in.List), Active: triState(in.Active), Deleted: in.Deleted})
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return itemsOf(vals, choiceOf(ctx)), nil
		})

	huma.Register(api, op("createChoice", http.MethodPost, path, tag, "Add a choice value",
		"Adds a value to a list (crm_manager, crm_admin, admin)."),
		func(ctx context.Context, in *choiceBody) (*createdOutput[ChoiceValue], error) {
			b := in.Body
			v, err := h.app.CreateChoice(ctx, app.ChoiceInput{List: crm.ChoiceList(b.List), Code: b.Code, LabelRU: b.LabelRU,
				LabelEN: b.LabelEN, Sort: b.Sort, IsDefault: b.IsDefault, Active: activeOr(b.Active)})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, v.ID, choiceOf(ctx)(v)), nil
		})

	huma.Register(api, op("getChoice", http.MethodGet, path+"/{id}", tag, "Get a choice value",
		"One value. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[ChoiceValue], error) {
			v, err := h.app.Choice(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(choiceOf(ctx)(v)), nil
		})

	huma.Register(api, op("updateChoice", http.MethodPatch, path+"/{id}", tag, "Change a choice value",
		"Changes labels, order, default mark or activity (crm_manager, crm_admin, admin). The code stays.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchChoiceInput) (*bodyOutput[ChoiceValue], error) {
			b := in.Body
			v, err := h.app.UpdateChoice(ctx, in.ID, app.ChoicePatch{Version: b.Version, LabelRU: b.LabelRU, LabelEN: b.LabelEN,
				Sort: b.Sort, IsDefault: b.IsDefault, Active: b.Active})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(choiceOf(ctx)(v)), nil
		})

	huma.Register(api, op("deleteChoice", http.MethodDelete, path+"/{id}", tag, "Delete a choice value",
		"Moves an unused value to the trash (crm_manager, crm_admin, admin). A value records use is refused with 422: deactivate it instead (R15).",
		http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteChoice))

	restore := op("restoreChoice", http.MethodPost, path+"/{id}/restore", tag, "Restore a choice value",
		"Brings a deleted value back from the trash (crm_admin, admin).", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[ChoiceValue], error) {
		return restored(ctx, in.ID, h.app.RestoreChoice, h.app.Choice, choiceOf(ctx))
	})
}

func (h *handlers) registerCustomFields(api huma.API) {
	const tag, path = "Custom fields", "/custom-fields"
	huma.Register(api, op("listCustomFields", http.MethodGet, path, tag, "List custom fields",
		"The custom fields of a record type (or of all) in their order. Readable by every CRM role."),
		func(ctx context.Context, in *listCustomFieldsInput) (*itemsOutput[CustomField], error) {
			fields, err := h.app.ListCustomFields(ctx, in.Entity, in.Deleted)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			if want := triState(in.Active); want != nil {
				kept := fields[:0]
				for _, f := range fields {
					if f.Active == *want {
						kept = append(kept, f)
					}
				}
				fields = kept
			}
			return itemsOf(fields, customFieldOf(ctx)), nil
		})

	huma.Register(api, op("createCustomField", http.MethodPost, path, tag, "Add a custom field",
		"Adds a field to companies, contacts or deals (crm_marketeer, crm_admin, admin)."),
		func(ctx context.Context, in *customFieldBody) (*createdOutput[CustomField], error) {
			b := in.Body
			f, err := h.app.CreateCustomField(ctx, app.CustomFieldInput{Entity: b.Entity, Code: b.Code, LabelRU: b.LabelRU,
				LabelEN: b.LabelEN, Type: crm.FieldType(b.Type), Options: b.Options, Sort: b.Sort, Active: activeOr(b.Active)})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, f.ID, customFieldOf(ctx)(f)), nil
		})

	huma.Register(api, op("getCustomField", http.MethodGet, path+"/{id}", tag, "Get a custom field",
		"One field. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[CustomField], error) {
			f, err := h.app.CustomField(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(customFieldOf(ctx)(f)), nil
		})

	huma.Register(api, op("updateCustomField", http.MethodPatch, path+"/{id}", tag, "Change a custom field",
		"Changes labels, options, order or activity (crm_marketeer, crm_admin, admin). Entity, code and type stay.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchCustomFieldInput) (*bodyOutput[CustomField], error) {
			b := in.Body
			f, err := h.app.UpdateCustomField(ctx, in.ID, app.CustomFieldPatch{Version: b.Version, LabelRU: b.LabelRU,
				LabelEN: b.LabelEN, Options: b.Options, Sort: b.Sort, Active: b.Active})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(customFieldOf(ctx)(f)), nil
		})

	huma.Register(api, op("deleteCustomField", http.MethodDelete, path+"/{id}", tag, "Delete a custom field",
		"Moves a field to the trash (crm_marketeer, crm_admin, admin); records keep their values under its code.",
		http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteCustomField))

	restore := op("restoreCustomField", http.MethodPost, path+"/{id}/restore", tag, "Restore a custom field",
		"Brings a deleted field back from the trash (crm_admin, admin).", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[CustomField], error) {
		return restored(ctx, in.ID, h.app.RestoreCustomField, h.app.CustomField, customFieldOf(ctx))
	})
}

func (h *handlers) registerTopics(api huma.API) {
	const tag, path = "Sales topics", "/topics"
	huma.Register(api, op("listTopics", http.MethodGet, path, tag, "List sales topics",
		"A page of sales topics, each with its stages in order. Readable by every CRM role."),
		func(ctx context.Context, in *listTopicsInput) (*pageOutput[Topic], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			p, err := h.app.ListTopics(ctx, crm.TopicFilter{Q: in.Q, Active: triState(in.Active), Deleted: in.Deleted, Page: pr})
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[Topic]{Body: pageOf(p, topicOf(ctx))}, nil
		})

	huma.Register(api, op("createTopic", http.MethodPost, path, tag, "Create a sales topic",
		"Adds a topic with its stages (crm_manager, crm_admin, admin): at least one open stage, exactly one won (probability 100), at least one lost (probability 0)."),
		func(ctx context.Context, in *topicBody) (*createdOutput[Topic], error) {
			b := in.Body
			t, err := h.app.CreateTopic(ctx, app.TopicInput{Name: b.Name, NameEN: b.NameEN, Description: b.Description,
				DirectorateID: b.DirectorateID, Active: activeOr(b.Active), Sort: b.Sort, Stages: stagesIn(b.Stages)})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, t.ID, topicOf(ctx)(t)), nil
		})

	huma.Register(api, op("getTopic", http.MethodGet, path+"/{id}", tag, "Get a sales topic",
		"One topic with its stages. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Topic], error) {
			t, err := h.app.Topic(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(topicOf(ctx)(t)), nil
		})

	huma.Register(api, op("updateTopic", http.MethodPatch, path+"/{id}", tag, "Change a sales topic",
		"Changes the fields sent (crm_manager, crm_admin, admin). stages, when sent, is the whole new pipeline.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchTopicInput) (*bodyOutput[Topic], error) {
			b := in.Body
			pt := app.TopicPatch{Version: b.Version, Name: b.Name, NameEN: b.NameEN, Description: b.Description,
				DirectorateID: b.DirectorateID.patch(), Active: b.Active, Sort: b.Sort}
			if b.Stages != nil {
				stages := stagesIn(*b.Stages)
				pt.Stages = &stages
			}
			t, err := h.app.UpdateTopic(ctx, in.ID, pt)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(topicOf(ctx)(t)), nil
		})

	huma.Register(api, op("deleteTopic", http.MethodDelete, path+"/{id}", tag, "Delete a sales topic",
		"Moves a topic to the trash (crm_manager, crm_admin, admin): it is no longer offered; its deals keep it.",
		http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteTopic))

	restore := op("restoreTopic", http.MethodPost, path+"/{id}/restore", tag, "Restore a sales topic",
		"Brings a deleted topic back from the trash (crm_admin, admin).", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[Topic], error) {
		return restored(ctx, in.ID, h.app.RestoreTopic, h.app.Topic, topicOf(ctx))
	})
}
