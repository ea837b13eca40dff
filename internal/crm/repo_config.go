package crm

import "context"

// ConfigRepo stores the sales configuration: choice lists, custom fields, topics and stages.
type ConfigRepo interface {
	ChoiceByID(ctx context.Context, id int64) (*ChoiceValue, error)
	// ListChoices returns a whole list ordered by sort, then label: lists are short.
	ListChoices(ctx context.Context, f ChoiceFilter) ([]ChoiceValue, error)
	CreateChoice(ctx context.Context, v *ChoiceValue) error
	UpdateChoice(ctx context.Context, v *ChoiceValue) error

	CustomFieldByID(ctx context.Context, id int64) (*CustomField, error)
	ListCustomFields(ctx context.Context, entity string, deleted bool) ([]CustomField, error)
	CreateCustomField(ctx context.Context, f *CustomField) error
	UpdateCustomField(ctx context.Context, f *CustomField) error

	// TopicByID reads a topic with its stages in order.
	TopicByID(ctx context.Context, id int64) (*Topic, error)
	ListTopics(ctx context.Context, f TopicFilter) (Page[Topic], error)
	CreateTopic(ctx context.Context, t *Topic) error         // inserts its stages too
	UpdateTopic(ctx context.Context, t *Topic) error         // rewrites its stages (ids kept)
	StageByID(ctx context.Context, id int64) (*Stage, error) // deleted topics' stages too
}
