package crm

import "context"

// ConfigRepo stores the sales configuration: choice lists, custom fields, topics and stages.
type ConfigRepo interface {
	ChoiceByID(ctx context.Context, id int64) (*ChoiceValue, error)
	// ListChoices returns a whole list ordered by sort, then label: lists are short.
	ListChoices(ctx context.Context, f ChoiceFilter) ([]ChoiceValue, error)
	CreateChoice(ctx context.Context, v *ChoiceValue) error
	UpdateChoice(ctx context.Context, v *ChoiceValue) error
	// ChoiceInUse reports whether any record (the trash included) stores code in the field
	// that list feeds (R15: a used value is deactivated, not deleted).
	ChoiceInUse(ctx context.Context, list ChoiceList, code string) (bool, error)

	CustomFieldByID(ctx context.Context, id int64) (*CustomField, error)
	// ListCustomFields returns the fields of entity ("" = every entity) ordered by sort,
	// then label; deleted lists the trash instead.
	ListCustomFields(ctx context.Context, entity string, deleted bool) ([]CustomField, error)
	CreateCustomField(ctx context.Context, f *CustomField) error
	UpdateCustomField(ctx context.Context, f *CustomField) error

	// TopicByID reads a topic with its live stages in order.
	TopicByID(ctx context.Context, id int64) (*Topic, error)
	// ListTopics reads a page of topics, each with its live stages.
	ListTopics(ctx context.Context, f TopicFilter) (Page[Topic], error)
	CreateTopic(ctx context.Context, t *Topic) error // inserts its stages too
	// UpdateTopic writes the topic and makes t.Stages its pipeline: stages with an id are
	// updated in place (ids kept), stages without one inserted, and stages left out are
	// deleted, or retired (active false) when a deal, its history or a lost deal refers to
	// them. The caller checks first that no deal stands on a stage left out (StageInUse).
	UpdateTopic(ctx context.Context, t *Topic) error
	StageByID(ctx context.Context, id int64) (*Stage, error) // retired stages and deleted topics' too
	// StageInUse reports whether a deal (the trash included) stands on the stage.
	StageInUse(ctx context.Context, id int64) (bool, error)
}
