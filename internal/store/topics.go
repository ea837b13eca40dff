package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"

	"github.com/ladder-crm/ladder/internal/crm"
)

const topicColumns = `t.id, t.name, t.name_en, t.description, t.directorate_id, t.active, t.sort,
	t.created_at, t.created_by, t.updated_at, t.updated_by, t.version, t.deleted_at, t.deleted_by`

func scanTopic(row interface{ Scan(...any) error }, t *crm.Topic, extra ...any) error {
	var created, updated, deleted dbTime
	var dir, createdBy, updatedBy, deletedBy sql.NullInt64
	dest := []any{&t.ID, &t.Name, &t.NameEN, &t.Description, &dir, &t.Active, &t.Sort,
		&created, &createdBy, &updated, &updatedBy, &t.Version, &deleted, &deletedBy}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	t.DirectorateID = nullInt(dir)
	t.CreatedAt, t.UpdatedAt, t.DeletedAt = created.T, updated.T, deleted.ptr()
	t.CreatedBy, t.UpdatedBy, t.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

const stageColumns = `s.id, s.topic_id, s.position, s.name_ru, s.name_en, s.kind, s.probability, s.task_chain, s.active`

func scanStage(row interface{ Scan(...any) error }, s *crm.Stage) error {
	var kind, chain string
	if err := row.Scan(&s.ID, &s.TopicID, &s.Position, &s.NameRU, &s.NameEN, &kind, &s.Probability, &chain, &s.Active); err != nil {
		return err
	}
	s.Kind = crm.StageKind(kind)
	s.TaskChain = nil
	if err := json.Unmarshal([]byte(chain), &s.TaskChain); err != nil {
		return err
	}
	if len(s.TaskChain) == 0 {
		s.TaskChain = nil
	}
	return nil
}

func taskChainJSON(chain []crm.StageTask) string {
	if chain == nil {
		chain = []crm.StageTask{}
	}
	b, _ := json.Marshal(chain) // plain strings and ints always marshal
	return string(b)
}

// TopicByID reads one topic, deleted or not, with its live stages in order.
func (r repo) TopicByID(ctx context.Context, id int64) (*crm.Topic, error) {
	t := &crm.Topic{}
	if err := scanTopic(r.r.QueryRowContext(ctx, "SELECT "+topicColumns+" FROM topics t WHERE t.id = $1", id), t); err != nil {
		return nil, notFoundOr(err)
	}
	return t, r.loadStages(ctx, []*crm.Topic{t})
}

// loadStages reads the live stages of the topics in one query.
func (r repo) loadStages(ctx context.Context, ts []*crm.Topic) error {
	if len(ts) == 0 {
		return nil
	}
	byID := make(map[int64]*crm.Topic, len(ts))
	ids := make([]int64, len(ts))
	for i, t := range ts {
		byID[t.ID], ids[i] = t, t.ID
		t.Stages = []crm.Stage{}
	}
	var args []any
	in := inList(&args, ids)
	rows, err := r.r.QueryContext(ctx, "SELECT "+stageColumns+" FROM stages s WHERE s.topic_id IN ("+in+
		") AND s.active = $"+strconv.Itoa(len(args)+1)+" ORDER BY s.topic_id, s.position, s.id", append(args, true)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s crm.Stage
		if err := scanStage(rows, &s); err != nil {
			return err
		}
		byID[s.TopicID].Stages = append(byID[s.TopicID].Stages, s)
	}
	return rows.Err()
}

var topicSorts = map[string]sortField{
	"sort":       {"t.sort", sortInt},
	"name":       {"t.name", sortText},
	"created_at": {"t.created_at", sortTime},
	"updated_at": {"t.updated_at", sortTime},
	"id":         {"t.id", sortInt},
}

// ListTopics reads a page of topics with their stages.
func (r repo) ListTopics(ctx context.Context, f crm.TopicFilter) (crm.Page[crm.Topic], error) {
	q := &listQuery{from: "topics t", columns: topicColumns, sorts: topicSorts, deflt: "sort"}
	q.filter(deletedCond("t", f.Deleted))
	q.search("t", f.Q)
	if f.Active != nil {
		q.filter("t.active = ?", *f.Active)
	}
	var items []*crm.Topic
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		t := &crm.Topic{}
		err := scanTopic(rows, t, sv...)
		items = append(items, t)
		return t.ID, err
	})
	if err != nil {
		return crm.Page[crm.Topic]{}, err
	}
	if err := r.loadStages(ctx, items); err != nil {
		return crm.Page[crm.Topic]{}, err
	}
	page := crm.Page[crm.Topic]{Next: next, Total: total, Items: make([]crm.Topic, len(items))}
	for i, t := range items {
		page.Items[i] = *t
	}
	return page, nil
}

// CreateTopic inserts a topic and its stages.
func (r repo) CreateTopic(ctx context.Context, t *crm.Topic) error {
	now := nowUTC()
	t.CreatedAt, t.UpdatedAt, t.Version, t.UpdatedBy = now, now, 1, t.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO topics (name, name_en, description, directorate_id, active, sort, search,
		created_at, created_by, updated_at, updated_by, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$8,$9,1) RETURNING id`,
		t.Name, t.NameEN, t.Description, nullID(t.DirectorateID), t.Active, t.Sort, searchText(t.Name, t.NameEN, t.Description),
		r.d.time(now), nullID(t.CreatedBy)).Scan(&t.ID)
	if err != nil {
		return r.writeErr(err)
	}
	for i := range t.Stages {
		if err := r.insertStage(ctx, t.ID, i, &t.Stages[i]); err != nil {
			return err
		}
	}
	return nil
}

func (r repo) insertStage(ctx context.Context, topicID int64, i int, s *crm.Stage) error {
	s.TopicID, s.Position, s.Active = topicID, i+1, true
	return r.w.QueryRowContext(ctx, `INSERT INTO stages (topic_id, position, name_ru, name_en, kind, probability, task_chain, active)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
		topicID, s.Position, s.NameRU, s.NameEN, string(s.Kind), s.Probability, taskChainJSON(s.TaskChain), true).Scan(&s.ID)
}

// UpdateTopic writes a topic if t.Version is current and makes t.Stages its pipeline.
func (r repo) UpdateTopic(ctx context.Context, t *crm.Topic) error {
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, `UPDATE topics SET name=$1, name_en=$2, description=$3, directorate_id=$4, active=$5,
		sort=$6, search=$7, updated_at=$8, updated_by=$9, version=version+1 WHERE id=$10 AND version=$11 AND deleted_at IS NULL`,
		t.Name, t.NameEN, t.Description, nullID(t.DirectorateID), t.Active, t.Sort, searchText(t.Name, t.NameEN, t.Description),
		r.d.time(now), nullID(t.UpdatedBy), t.ID, t.Version)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.checkVersion(ctx, res, "topics", t.ID); err != nil {
		return err
	}
	t.Version++
	t.UpdatedAt = now
	return r.syncStages(ctx, t)
}

// syncStages updates kept stages in place, inserts new ones and deletes or retires the rest.
func (r repo) syncStages(ctx context.Context, t *crm.Topic) error {
	rows, err := r.w.QueryContext(ctx, "SELECT id FROM stages WHERE topic_id = $1", t.ID)
	if err != nil {
		return err
	}
	old := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		old[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range t.Stages {
		s := &t.Stages[i]
		if s.ID == 0 {
			if err := r.insertStage(ctx, t.ID, i, s); err != nil {
				return err
			}
			continue
		}
		if !old[s.ID] {
			return &crm.Error{Code: crm.EInvalid, Message: "err.validation",
				Fields: map[string]string{"stages." + strconv.Itoa(i) + ".id": "config.err.stage_unknown"}}
		}
		delete(old, s.ID)
		s.TopicID, s.Position, s.Active = t.ID, i+1, true
		if _, err := r.w.ExecContext(ctx, `UPDATE stages SET position=$1, name_ru=$2, name_en=$3, kind=$4, probability=$5,
			task_chain=$6, active=$7 WHERE id=$8`, s.Position, s.NameRU, s.NameEN, string(s.Kind), s.Probability,
			taskChainJSON(s.TaskChain), true, s.ID); err != nil {
			return err
		}
	}
	for id := range old {
		referred, err := r.stageReferred(ctx, id)
		if err != nil {
			return err
		}
		if referred {
			_, err = r.w.ExecContext(ctx, "UPDATE stages SET active = $1 WHERE id = $2", false, id)
		} else {
			_, err = r.w.ExecContext(ctx, "DELETE FROM stages WHERE id = $1", id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// stageReferred reports whether any row keeps the stage's id: such a stage is retired rather
// than deleted, so history still names it.
func (r repo) stageReferred(ctx context.Context, id int64) (bool, error) {
	var one int
	err := r.w.QueryRowContext(ctx, `SELECT 1 FROM deals WHERE stage_id = $1 OR lost_at_stage_id = $1
		UNION ALL SELECT 1 FROM deal_stage_history WHERE from_stage_id = $1 OR to_stage_id = $1 LIMIT 1`, id).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// StageByID reads one stage, retired or of a deleted topic too.
func (r repo) StageByID(ctx context.Context, id int64) (*crm.Stage, error) {
	s := &crm.Stage{}
	if err := scanStage(r.r.QueryRowContext(ctx, "SELECT "+stageColumns+" FROM stages s WHERE s.id = $1", id), s); err != nil {
		return nil, notFoundOr(err)
	}
	return s, nil
}

// StageInUse reports whether a deal stands on the stage (deals_board serves it by topic; this
// asks by stage, which deals_stage_amount serves).
func (r repo) StageInUse(ctx context.Context, id int64) (bool, error) {
	var one int
	err := r.w.QueryRowContext(ctx, "SELECT 1 FROM deals WHERE stage_id = $1 LIMIT 1", id).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}
