package app

import (
	"context"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stage rules of a deal (R34–R36): which stage a deal may stand on, what entering a stage does
// to its status, and the tasks a stage hands out.

func invalidField(field, key string) error {
	return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{field: key}}
}

// dealTopic reads the topic a deal is (to be) in: a live topic; a new deal or a topic change
// also needs it active.
func dealTopic(ctx context.Context, r crm.Repo, id int64, mustBeActive bool) (*crm.Topic, error) {
	if id == 0 {
		return nil, invalidField("topic_id", "err.required")
	}
	t, err := r.TopicByID(ctx, id)
	if isNotFound(err) || (err == nil && (t.Deleted() || (mustBeActive && !t.Active))) {
		return nil, invalidField("topic_id", "deal.err_topic_unknown")
	}
	return t, err
}

// pickStage returns the stage of t a deal goes to: stageID when it is a live stage of t (R34),
// the first open stage when stageID is 0.
func pickStage(t *crm.Topic, stageID int64) (*crm.Stage, error) {
	if stageID == 0 {
		st := t.FirstOpen()
		if st == nil {
			return nil, invalidField("topic_id", "deal.err_topic_no_open_stage")
		}
		return st, nil
	}
	st := t.StageByID(stageID)
	if st == nil || !st.Active {
		return nil, invalidField("stage_id", "deal.err_stage_topic")
	}
	return st, nil
}

// enterStage puts d on st at now (R35): a lost stage needs a reason and remembers the stage
// the deal was lost at; won and lost close the deal; leaving won or lost reopens it. The
// probability follows the stage unless it was set by hand (R36); won is always 100, lost 0.
// The caller checks the reason against the rejection list.
func enterStage(d *crm.Deal, st *crm.Stage, lossReason string, now time.Time) error {
	prev := d.StageID
	switch st.Kind {
	case crm.StageLost:
		if lossReason == "" {
			return invalidField("loss_reason", "deal.err_loss_reason_required")
		}
		d.Status, d.LossReason, d.ClosedAt, d.Probability = crm.DealLost, lossReason, &now, 0
		d.LostAtStageID = nil
		if prev != 0 && prev != st.ID {
			d.LostAtStageID = &prev
		}
	case crm.StageWon:
		d.Status, d.ClosedAt, d.Probability = crm.DealWon, &now, 100
		d.LossReason, d.LostAtStageID = "", nil
	default:
		if !d.Open() {
			d.Status, d.ClosedAt = crm.DealOpen, nil
		}
		d.LossReason, d.LostAtStageID = "", nil
		if !d.ProbabilityManual {
			d.Probability = st.Probability
		}
	}
	d.StageID, d.StageEnteredAt = st.ID, now
	return nil
}

// stageTasks creates the task chain of the stage a deal just entered, for its responsible
// (the actor when it has none), each due DueDays after entering.
func (a *App) stageTasks(ctx context.Context, r crm.Repo, act *Actor, d *crm.Deal, st *crm.Stage, now time.Time) error {
	assignee := derefID(d.ResponsibleID)
	if assignee == 0 {
		assignee = derefID(act.userID())
	}
	for _, step := range st.TaskChain {
		due := now.AddDate(0, 0, step.DueDays)
		kind := crm.TaskKind(step.Kind)
		if kind == "" {
			kind = crm.TaskTask
		}
		id := d.ID
		t := &crm.Task{Title: step.Title, Kind: kind, AssigneeID: assignee, DueAt: &due, Status: crm.TaskOpen,
			Entity: crm.EntityDeal, RecordID: &id, Origin: "stage", DirectorateID: d.DirectorateID}
		t.CreatedBy = act.userID()
		if err := r.CreateTask(ctx, t); err != nil {
			return err
		}
		if err := a.audit(ctx, r, act, crm.AuditCreate, crm.EntityTask, t.ID, nil, t); err != nil {
			return err
		}
	}
	return nil
}

// moveTo moves a stored deal to st inside the caller's transaction: history row, tasks.
func (a *App) moveTo(ctx context.Context, r crm.Repo, act *Actor, d *crm.Deal, st *crm.Stage, lossReason string) error {
	if st.Kind == crm.StageLost {
		if err := checkChoice(ctx, r, crm.ListLossReason, "loss_reason", lossReason, ""); err != nil {
			return err
		}
	}
	from := d.StageID
	now := a.now()
	if err := enterStage(d, st, lossReason, now); err != nil {
		return err
	}
	d.UpdatedBy = act.userID()
	if err := r.UpdateDeal(ctx, d); err != nil {
		return err
	}
	if err := r.AddStageChange(ctx, &crm.StageChange{DealID: d.ID, FromStageID: &from, ToStageID: st.ID, At: now, By: act.userID()}); err != nil {
		return err
	}
	return a.stageTasks(ctx, r, act, d, st, now)
}

// MoveDeal moves a deal to another stage of its topic (the kanban's drag and drop). Entering
// a lost stage needs lossReason, a value of the rejection list; without one nothing changes.
func (a *App) MoveDeal(ctx context.Context, id, version, stageID int64, lossReason string) (*crm.Deal, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Deal
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		d, err := liveDeal(ctx, r, id)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityDeal, dealScope(d)); err != nil {
			return err
		}
		if version != d.Version {
			return crm.ErrStale
		}
		t, err := dealTopic(ctx, r, d.TopicID, false)
		if err != nil {
			return err
		}
		st, err := pickStage(t, stageID)
		if err != nil {
			return err
		}
		out = d
		if st.ID == d.StageID {
			return nil // dropped back where it was
		}
		before := *d
		if err := a.moveTo(ctx, r, act, d, st, lossReason); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityDeal, id, &before, d)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// HoldDeal puts an open deal on hold, or resumes it (hold false). Won and lost deals are
// closed: they reopen by moving to an open stage.
func (a *App) HoldDeal(ctx context.Context, id, version int64, hold bool) (*crm.Deal, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Deal
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		d, err := liveDeal(ctx, r, id)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityDeal, dealScope(d)); err != nil {
			return err
		}
		if !d.Open() {
			return invalidField("status", "deal.err_hold_closed")
		}
		before := *d
		d.Status = crm.DealOpen
		if hold {
			d.Status = crm.DealOnHold
		}
		out = d
		if d.Status == before.Status {
			return nil
		}
		d.Version, d.UpdatedBy = version, act.userID()
		if err := r.UpdateDeal(ctx, d); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityDeal, id, &before, d)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StageHistory reads a deal's stage changes, oldest first.
func (a *App) StageHistory(ctx context.Context, dealID int64) ([]crm.StageChange, error) {
	if _, err := a.Deal(ctx, dealID); err != nil {
		return nil, err
	}
	return a.store.StageHistory(ctx, dealID)
}

// BoardColumn is one stage of the kanban: its head (count and sum of the filtered deals) and
// the first cards, newest on the stage first.
type BoardColumn struct {
	Stage   crm.Stage
	Summary crm.StageSummary
	Cards   []crm.Deal
	Next    string // cursor of the column's next cards; "" at the end
}

// Board is the kanban of one topic.
type Board struct {
	Topic   *crm.Topic
	Columns []BoardColumn
}

// DealBoard reads the kanban of a topic: one aggregate query for every column head, then
// perColumn cards of each stage through the deals_board index. It never loads all cards.
func (a *App) DealBoard(ctx context.Context, topicID int64, f crm.DealFilter, perColumn int) (*Board, error) {
	if _, err := readList(ctx, crm.EntityDeal, false); err != nil {
		return nil, err
	}
	if err := a.checkAttrFilter(ctx, crm.EntityDeal, f.Attr); err != nil {
		return nil, err
	}
	t, err := a.store.TopicByID(ctx, topicID)
	if err != nil {
		return nil, err
	}
	if t.Deleted() {
		return nil, crm.ErrNotFound
	}
	f.TopicID, f.StageID, f.Deleted = topicID, 0, false
	sums, err := a.store.StageSummaries(ctx, f)
	if err != nil {
		return nil, err
	}
	byStage := map[int64]crm.StageSummary{}
	for _, s := range sums {
		byStage[s.StageID] = s
	}
	b := &Board{Topic: t}
	for _, st := range t.Stages {
		if !st.Active {
			continue
		}
		col := BoardColumn{Stage: st, Summary: byStage[st.ID]}
		col.Summary.StageID = st.ID
		if col.Summary.Count > 0 {
			page, err := a.BoardCards(ctx, f, st.ID, "", perColumn)
			if err != nil {
				return nil, err
			}
			col.Cards, col.Next = page.Items, page.Next
		}
		b.Columns = append(b.Columns, col)
	}
	return b, nil
}

// BoardCards reads the next cards of one kanban column, newest on the stage first.
func (a *App) BoardCards(ctx context.Context, f crm.DealFilter, stageID int64, after string, limit int) (crm.Page[crm.Deal], error) {
	if _, err := readList(ctx, crm.EntityDeal, false); err != nil {
		return crm.Page[crm.Deal]{}, err
	}
	if err := a.checkAttrFilter(ctx, crm.EntityDeal, f.Attr); err != nil {
		return crm.Page[crm.Deal]{}, err
	}
	// A column takes its count from its head (StageSummaries): counting again would only cost time.
	f.StageID, f.Deleted = stageID, false
	f.Page = crm.PageRequest{Limit: limit, After: after, Sort: "stage_entered_at", Desc: true, NoTotal: true}
	f.Page.Clamp()
	return a.store.ListDeals(ctx, f)
}
