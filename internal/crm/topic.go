package crm

import (
	"slices"
	"strconv"
	"strings"
)

// StageKind says whether a deal in the stage is still open, won or lost.
type StageKind string

const (
	StageOpen StageKind = "open"
	StageWon  StageKind = "won"
	StageLost StageKind = "lost"
)

// StageKinds are the stage kinds in menu order.
var StageKinds = []StageKind{StageOpen, StageWon, StageLost}

// Topic is a sales topic or direction (Тема продаж) with its ordered stages.
type Topic struct {
	Meta
	Name          string  `json:"name"`    // Russian, required; unique among live topics
	NameEN        string  `json:"name_en"` // English, shown to English readers when set
	Description   string  `json:"description"`
	DirectorateID *int64  `json:"directorate_id,omitempty"`
	Active        bool    `json:"active"`
	Sort          int     `json:"sort"`
	Stages        []Stage `json:"stages"` // the live pipeline in order; retired stages are not here
}

// Label returns the topic's name in lang.
func (t Topic) Label(lang string) string {
	if lang == "en" && t.NameEN != "" {
		return t.NameEN
	}
	return t.Name
}

// Stage is one step of a topic's deal pipeline. A stage removed from its topic while records
// still refer to it (stage history, a lost deal's lost_at_stage) is kept as retired:
// Active false, absent from Topic.Stages, still readable by id.
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

// stageTaskKinds are the task kinds a stage's task chain may create.
var stageTaskKinds = []string{string(TaskTask), string(TaskCall), string(TaskMeeting), string(TaskMessage), string(TaskReminder)}

// Limits of a topic's pipeline: enough for any real sales process, small enough for a board.
const (
	MaxStages        = 30
	MaxStageTasks    = 20
	MaxStageTaskDays = 365
)

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

// Normalise trims the texts, numbers the stages in their order and marks them live; a task
// without a kind is a plain task.
func (t *Topic) Normalise() {
	t.Name = strings.TrimSpace(t.Name)
	t.NameEN = strings.TrimSpace(t.NameEN)
	t.Description = strings.TrimSpace(t.Description)
	for i := range t.Stages {
		s := &t.Stages[i]
		s.TopicID = t.ID
		s.Position = i + 1
		s.Active = true
		s.NameRU = strings.TrimSpace(s.NameRU)
		s.NameEN = strings.TrimSpace(s.NameEN)
		s.Kind = StageKind(strings.TrimSpace(string(s.Kind)))
		for j := range s.TaskChain {
			c := &s.TaskChain[j]
			c.Title = strings.TrimSpace(c.Title)
			c.Kind = strings.TrimSpace(c.Kind)
			if c.Kind == "" {
				c.Kind = string(TaskTask)
			}
		}
	}
}

// Validate checks the topic and its pipeline: at least one open stage, exactly one won and at
// least one lost; won stages have probability 100, lost ones 0, open ones 0–100. Problems of
// one stage are reported as "stages.<i>.<field>", of the pipeline as a whole as "stages".
func (t *Topic) Validate() error {
	p := Problems{}
	requireName(p, "name", t.Name)
	if len([]rune(t.NameEN)) > 300 {
		p.Add("name_en", "err.too_long")
	}
	if len([]rune(t.Description)) > 10000 {
		p.Add("description", "err.too_long")
	}
	if t.Sort < 0 || t.Sort > 1_000_000 {
		p.Add("sort", "err.range")
	}
	if len(t.Stages) > MaxStages {
		p.Add("stages", "config.err.too_many_stages")
	}
	var open, won, lost int
	ids := map[int64]bool{}
	for i, s := range t.Stages {
		at := "stages." + strconv.Itoa(i) + "."
		if s.ID != 0 {
			if ids[s.ID] {
				p.Add(at+"id", "err.duplicate")
			}
			ids[s.ID] = true
		}
		if s.NameRU == "" {
			p.Add(at+"name_ru", "err.required")
		} else if len([]rune(s.NameRU)) > 200 {
			p.Add(at+"name_ru", "err.too_long")
		}
		if len([]rune(s.NameEN)) > 200 {
			p.Add(at+"name_en", "err.too_long")
		}
		switch s.Kind {
		case StageOpen:
			open++
			if s.Probability < 0 || s.Probability > 100 {
				p.Add(at+"probability", "err.range")
			}
		case StageWon:
			won++
			if s.Probability != 100 {
				p.Add(at+"probability", "config.err.won_probability")
			}
		case StageLost:
			lost++
			if s.Probability != 0 {
				p.Add(at+"probability", "config.err.lost_probability")
			}
		default:
			p.Add(at+"kind", "err.choice")
		}
		if len(s.TaskChain) > MaxStageTasks {
			p.Add(at+"task_chain", "err.too_long")
		}
		for j, c := range s.TaskChain {
			tat := at + "task_chain." + strconv.Itoa(j) + "."
			requireName(p, tat+"title", c.Title)
			if c.DueDays < 0 || c.DueDays > MaxStageTaskDays {
				p.Add(tat+"due_days", "err.range")
			}
			if !slices.Contains(stageTaskKinds, c.Kind) {
				p.Add(tat+"kind", "err.choice")
			}
		}
	}
	switch {
	case open == 0:
		p.Add("stages", "config.err.no_open_stage")
	case won != 1:
		p.Add("stages", "config.err.one_won_stage")
	case lost == 0:
		p.Add("stages", "config.err.no_lost_stage")
	}
	return p.Err()
}

// TopicFilter narrows the topic list.
type TopicFilter struct {
	Q       string
	Active  *bool
	Deleted bool
	Page    PageRequest
}
