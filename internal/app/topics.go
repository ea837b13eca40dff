package app

import (
	"context"
	"slices"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Topic reads one topic with its live stages.
func (a *App) Topic(ctx context.Context, id int64) (*crm.Topic, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := a.store.TopicByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return t, canRead(act, crm.EntityTopic, t.Meta)
}

// Stage reads one stage, retired ones and those of deleted topics too (history, old deals).
func (a *App) Stage(ctx context.Context, id int64) (*crm.Stage, error) {
	if _, err := readList(ctx, crm.EntityTopic, false); err != nil {
		return nil, err
	}
	return a.store.StageByID(ctx, id)
}

// ListTopics reads a page of topics with their stages.
func (a *App) ListTopics(ctx context.Context, f crm.TopicFilter) (crm.Page[crm.Topic], error) {
	if _, err := readList(ctx, crm.EntityTopic, f.Deleted); err != nil {
		return crm.Page[crm.Topic]{}, err
	}
	f.Page.Clamp()
	return a.store.ListTopics(ctx, f)
}

// ActiveTopics returns every active topic with its stages in the admin's order: the topic
// pickers of deals and the kanban's topic switch. There are a handful, so no pages.
func (a *App) ActiveTopics(ctx context.Context) ([]crm.Topic, error) {
	if _, err := readList(ctx, crm.EntityTopic, false); err != nil {
		return nil, err
	}
	yes := true
	var out []crm.Topic
	f := crm.TopicFilter{Active: &yes, Page: crm.PageRequest{Sort: "sort", Limit: crm.MaxPageSize}}
	for {
		page, err := a.store.ListTopics(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out, nil
		}
		f.Page.After = page.Next
	}
}

// TopicInput is what an admin sets on a new topic: its stages in pipeline order. Sort 0 puts
// it after the last topic.
type TopicInput struct {
	Name          string
	NameEN        string
	Description   string
	DirectorateID *int64
	Active        bool
	Sort          int
	Stages        []crm.Stage
}

// CreateTopic adds a sales topic with its stages (SC: crm_manager, crm_admin, admin).
func (a *App) CreateTopic(ctx context.Context, in TopicInput) (*crm.Topic, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityTopic, nil); err != nil {
		return nil, err
	}
	t := &crm.Topic{Name: in.Name, NameEN: in.NameEN, Description: in.Description, DirectorateID: optionalPtr(in.DirectorateID),
		Active: in.Active, Sort: in.Sort, Stages: slices.Clone(in.Stages)}
	for i := range t.Stages {
		t.Stages[i].ID = 0 // a new topic's stages are new, whatever the caller copied
	}
	t.CreatedBy = act.userID()
	t.Normalise()
	if err := t.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if err := checkTopicDirectorate(ctx, r, t.DirectorateID); err != nil {
			return err
		}
		if t.Sort == 0 { // after the last topic
			last, err := r.ListTopics(ctx, crm.TopicFilter{Page: crm.PageRequest{Sort: "sort", Desc: true, Limit: 1}})
			if err != nil {
				return err
			}
			t.Sort = 10
			if len(last.Items) > 0 {
				t.Sort = last.Items[0].Sort + 10
			}
		}
		if err := r.CreateTopic(ctx, t); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityTopic, t.ID, nil, t)
	})
	return t, err
}

// TopicPatch changes some fields of a topic; Version must be the one read. Stages, when
// given, is the whole new pipeline in order: stages with an id are kept (and may be renamed
// or moved), stages without one are added, stages left out are removed.
type TopicPatch struct {
	Version       int64
	Name          *string
	NameEN        *string
	Description   *string
	DirectorateID **int64
	Active        *bool
	Sort          *int
	Stages        *[]crm.Stage
}

// UpdateTopic applies a patch with optimistic locking. A stage that deals stand on cannot be
// removed (422 on "stages"): they would lose their place in the pipeline.
func (a *App) UpdateTopic(ctx context.Context, id int64, pt TopicPatch) (*crm.Topic, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Topic
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		t, err := live(r.TopicByID(ctx, id))
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityTopic, nil); err != nil {
			return err
		}
		before := *t
		before.Stages = slices.Clone(t.Stages)
		setIf(&t.Name, pt.Name)
		setIf(&t.NameEN, pt.NameEN)
		setIf(&t.Description, pt.Description)
		setIf(&t.DirectorateID, pt.DirectorateID)
		t.DirectorateID = optionalPtr(t.DirectorateID)
		setIf(&t.Active, pt.Active)
		setIf(&t.Sort, pt.Sort)
		if pt.Stages != nil {
			t.Stages = slices.Clone(*pt.Stages)
		}
		t.Normalise()
		if err := t.Validate(); err != nil {
			return err
		}
		if t.Version != pt.Version {
			return crm.ErrStale
		}
		if pt.DirectorateID != nil {
			if err := checkTopicDirectorate(ctx, r, t.DirectorateID); err != nil {
				return err
			}
		}
		for _, s := range before.Stages {
			if t.StageByID(s.ID) != nil {
				continue
			}
			used, err := r.StageInUse(ctx, s.ID)
			if err != nil {
				return err
			}
			if used {
				return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"stages": "config.err.stage_in_use"}}
			}
		}
		t.UpdatedBy = act.userID()
		if err := r.UpdateTopic(ctx, t); err != nil {
			return err
		}
		out = t
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityTopic, id, &before, t)
	})
	return out, err
}

// DeleteTopic soft-deletes a topic: it leaves the pickers and the board; its deals keep it
// and show it as deleted (R9).
func (a *App) DeleteTopic(ctx context.Context, id, version int64) error {
	return a.softDelete(ctx, crm.EntityTopic, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		t, err := live(r.TopicByID(ctx, id))
		return t, nil, err
	})
}

// RestoreTopic brings a deleted topic back; a live topic of the same name blocks it (422).
func (a *App) RestoreTopic(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityTopic, id, nil)
}

// checkTopicDirectorate: a topic's directorate, when set, is a live one.
func checkTopicDirectorate(ctx context.Context, r crm.Repo, id *int64) error {
	if id == nil {
		return nil
	}
	if _, err := liveDirectorate(ctx, r, *id); isNotFound(err) {
		return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"directorate_id": "err.directorate_unknown"}}
	} else if err != nil {
		return err
	}
	return nil
}

// optionalPtr treats a zero id as none.
func optionalPtr(id *int64) *int64 {
	if id == nil || *id == 0 {
		return nil
	}
	return id
}
