package crm

// StageKind says whether a deal in the stage is still open, won or lost.
type StageKind string

const (
	StageOpen StageKind = "open"
	StageWon  StageKind = "won"
	StageLost StageKind = "lost"
)

// Topic is a sales topic or direction (Тема продаж) with its ordered stages.
type Topic struct {
	Meta
	Name          string  `json:"name"`
	Description   string  `json:"description"`
	DirectorateID *int64  `json:"directorate_id,omitempty"`
	Active        bool    `json:"active"`
	Sort          int     `json:"sort"`
	Stages        []Stage `json:"stages"`
}

// Stage is one step of a topic's deal pipeline.
type Stage struct {
	ID          int64       `json:"id"`
	TopicID     int64       `json:"topic_id"`
	Position    int         `json:"position"`
	NameRU      string      `json:"name_ru"`
	NameEN      string      `json:"name_en"`
	Kind        StageKind   `json:"kind"`
	Probability int         `json:"probability"` // 0–100; won 100, lost 0
	TaskChain   []StageTask `json:"task_chain,omitempty"`
	Active      bool        `json:"active"`
}

// Name returns the stage name in lang.
func (s Stage) Name(lang string) string {
	if lang == "en" && s.NameEN != "" {
		return s.NameEN
	}
	if s.NameRU != "" {
		return s.NameRU
	}
	return s.NameEN
}

// StageTask is a task created when a deal enters the stage.
type StageTask struct {
	Title   string `json:"title"`
	DueDays int    `json:"due_days"` // due this many days after entering
	Kind    string `json:"kind"`     // TaskKind
}

// FirstOpen returns the first open stage of the topic (R34), or nil.
func (t *Topic) FirstOpen() *Stage {
	for i := range t.Stages {
		if t.Stages[i].Kind == StageOpen && t.Stages[i].Active {
			return &t.Stages[i]
		}
	}
	return nil
}

// StageByID finds a stage of the topic.
func (t *Topic) StageByID(id int64) *Stage {
	for i := range t.Stages {
		if t.Stages[i].ID == id {
			return &t.Stages[i]
		}
	}
	return nil
}

// TopicFilter narrows the topic list.
type TopicFilter struct {
	Q       string
	Active  *bool
	Deleted bool
	Page    PageRequest
}
