package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

const dealColumns = `d.id, d.name, d.company_id, d.contact_id, d.topic_id, d.stage_id, d.status, d.amount, d.currency,
	d.probability, d.probability_manual, d.expected_close, d.responsible_id, d.directorate_id, d.product_id, d.project_id,
	d.type, d.loss_reason, d.lost_at_stage_id, d.closed_at, d.stage_entered_at, d.source_lead_id, d.source_event_id,
	d.source_campaign_id, d.tags, d.attributes, d.description,
	d.created_at, d.created_by, d.updated_at, d.updated_by, d.version, d.deleted_at, d.deleted_by`

func scanDeal(row interface{ Scan(...any) error }, d *crm.Deal, extra ...any) error {
	var closeOn, closed, entered, created, updated, deleted dbTime
	var company, contact, resp, dir, product, project, lostAt, lead, event, campaign sql.NullInt64
	var createdBy, updatedBy, deletedBy sql.NullInt64
	var status, tags, attrs string
	dest := []any{&d.ID, &d.Name, &company, &contact, &d.TopicID, &d.StageID, &status, &d.Amount, &d.Currency,
		&d.Probability, &d.ProbabilityManual, &closeOn, &resp, &dir, &product, &project,
		&d.Type, &d.LossReason, &lostAt, &closed, &entered, &lead, &event,
		&campaign, &tags, &attrs, &d.Description,
		&created, &createdBy, &updated, &updatedBy, &d.Version, &deleted, &deletedBy}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	d.Status = crm.DealStatus(status)
	d.CompanyID, d.ContactID, d.ResponsibleID, d.DirectorateID = nullInt(company), nullInt(contact), nullInt(resp), nullInt(dir)
	d.ProductID, d.ProjectID, d.LostAtStageID = nullInt(product), nullInt(project), nullInt(lostAt)
	d.SourceLeadID, d.SourceEventID, d.SourceCampaignID = nullInt(lead), nullInt(event), nullInt(campaign)
	d.ExpectedClose, d.ClosedAt, d.StageEnteredAt = closeOn.date(), closed.ptr(), entered.T
	d.CreatedAt, d.UpdatedAt, d.DeletedAt = created.T, updated.T, deleted.ptr()
	d.CreatedBy, d.UpdatedBy, d.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	d.Tags = []string{}
	if err := json.Unmarshal([]byte(tags), &d.Tags); err != nil {
		return fmt.Errorf("store: deal %d tags: %w", d.ID, err)
	}
	d.Attributes = crm.Attributes{}
	if err := json.Unmarshal([]byte(attrs), &d.Attributes); err != nil {
		return fmt.Errorf("store: deal %d attributes: %w", d.ID, err)
	}
	d.Lines = []crm.DealLine{}
	return nil
}

// jsonText writes a value as compact JSON text without HTML escaping, so that the stored text
// is what the attribute filter compares against.
func jsonText(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// DealByID reads one deal with its lines, deleted or not.
func (r repo) DealByID(ctx context.Context, id int64) (*crm.Deal, error) {
	d := &crm.Deal{}
	err := scanDeal(r.r.QueryRowContext(ctx, "SELECT "+dealColumns+" FROM deals d WHERE d.id = $1", id), d)
	if err != nil {
		return nil, notFoundOr(err)
	}
	rows, err := r.r.QueryContext(ctx, `SELECT id, product_id, description, quantity, price, amount
		FROM deal_lines WHERE deal_id = $1 ORDER BY position, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l crm.DealLine
		var product sql.NullInt64
		if err := rows.Scan(&l.ID, &product, &l.Description, &l.Quantity, &l.Price, &l.Amount); err != nil {
			return nil, err
		}
		l.ProductID = nullInt(product)
		d.Lines = append(d.Lines, l)
	}
	return d, rows.Err()
}

func (r repo) dealSorts() map[string]sortField {
	// No expected close sorts first; the literal differs because the column types differ.
	closeOn := "COALESCE(d.expected_close, '')"
	if r.d.name() == "postgres" {
		closeOn = "COALESCE(d.expected_close::text, '')"
	}
	return map[string]sortField{
		"name":             {"d.name", sortText},
		"amount":           {"d.amount", sortInt},
		"expected_close":   {closeOn, sortText},
		"created_at":       {"d.created_at", sortTime},
		"updated_at":       {"d.updated_at", sortTime},
		"stage_entered_at": {"d.stage_entered_at", sortTime},
		"id":               {"d.id", sortInt},
	}
}

// dealFilters adds the conditions of f to q; the list, the kanban columns and their heads
// share them, so a head always sums exactly the cards its column pages through.
func (r repo) dealFilters(q *listQuery, f crm.DealFilter) {
	q.filter(deletedCond("d", f.Deleted))
	q.search("d", f.Q)
	if len(f.IDs) > 0 {
		q.where = append(q.where, "d.id IN ("+inList(&q.args, f.IDs)+")")
	}
	if f.TopicID != 0 {
		q.filter("d.topic_id = ?", f.TopicID)
	}
	if f.StageID != 0 {
		q.filter("d.stage_id = ?", f.StageID)
	}
	if f.Status != "" {
		q.filter("d.status = ?", string(f.Status))
	}
	if f.CompanyID != 0 {
		q.filter("d.company_id = ?", f.CompanyID)
	}
	if f.ContactID != 0 {
		q.filter("d.contact_id = ?", f.ContactID)
	}
	if f.Type != "" {
		q.filter("d.type = ?", f.Type)
	}
	if f.DirectorateID != 0 {
		q.filter("d.directorate_id = ?", f.DirectorateID)
	}
	if f.ResponsibleID != 0 {
		q.filter("d.responsible_id = ?", f.ResponsibleID)
	}
	if f.Tag != "" {
		q.filter("d.id IN (SELECT t.record_id FROM record_tags t WHERE t.entity = ? AND t.tag = ?)", crm.EntityDeal, f.Tag)
	}
	if f.CloseFrom != nil {
		q.filter("d.expected_close >= ?", r.d.date(*f.CloseFrom))
	}
	if f.CloseTo != nil {
		q.filter("d.expected_close <= ?", r.d.date(*f.CloseTo))
	}
	if f.CreatedFrom != nil {
		q.filter("d.created_at >= ?", r.d.time(f.CreatedFrom.Time))
	}
	if f.CreatedTo != nil {
		q.filter("d.created_at < ?", r.d.time(f.CreatedTo.AddDate(0, 0, 1)))
	}
	r.attrFilters(q, "d", f.Attr)
}

// attrFilters matches custom field values exactly. Both databases give the stored JSON value
// of a key as JSON text (SQLite's ->, PostgreSQL's jsonb -> ::text): a text or list value
// compares with the quoted form, a number or flag with the bare one. The key is a parameter.
func (r repo) attrFilters(q *listQuery, alias string, attr map[string]string) {
	for code, v := range attr {
		quoted, _ := jsonText(v)
		expr := alias + ".attributes -> ?"
		if r.d.name() == "postgres" {
			expr = "(" + alias + ".attributes::jsonb -> ?)::text"
		}
		q.filter(expr+" IN (?, ?)", code, quoted, v)
	}
}

// ListDeals reads a page of deals (without their lines).
func (r repo) ListDeals(ctx context.Context, f crm.DealFilter) (crm.Page[crm.Deal], error) {
	q := &listQuery{from: "deals d", columns: dealColumns, sorts: r.dealSorts(), deflt: "created_at"}
	r.dealFilters(q, f)
	var page crm.Page[crm.Deal]
	scan := func(rows *sql.Rows, sv ...any) (int64, error) {
		var d crm.Deal
		err := scanDeal(rows, &d, sv...)
		page.Items = append(page.Items, d)
		return d.ID, err
	}
	var err error
	page.Next, page.Total, err = q.run(ctx, r, f.Page, scan)
	return page, err
}

// StageSummaries counts and sums the deals of f per stage. With only a topic given it reads
// the partial index deals_stage_amount alone (topic, stage, amount of live deals).
func (r repo) StageSummaries(ctx context.Context, f crm.DealFilter) ([]crm.StageSummary, error) {
	q := &listQuery{from: "deals d"}
	r.dealFilters(q, f)
	rows, err := r.r.QueryContext(ctx, "SELECT d.stage_id, COUNT(*), COALESCE(SUM(d.amount), 0) FROM deals d"+
		whereSQL(q.where)+" GROUP BY d.stage_id", q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.StageSummary
	for rows.Next() {
		var s crm.StageSummary
		if err := rows.Scan(&s.StageID, &s.Count, &s.Amount); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// dealValues are the written columns of a deal in the order of the INSERT and UPDATE below.
func (r repo) dealValues(d *crm.Deal) ([]any, error) {
	tags, err := jsonText(d.Tags)
	if err != nil {
		return nil, err
	}
	if d.Tags == nil {
		tags = "[]"
	}
	attrs, err := jsonText(d.Attributes)
	if err != nil {
		return nil, err
	}
	if d.Attributes == nil {
		attrs = "{}"
	}
	var closed any
	if d.ClosedAt != nil {
		closed = r.d.time(*d.ClosedAt)
	}
	return []any{d.Name, nullID(d.CompanyID), nullID(d.ContactID), d.TopicID, d.StageID, string(d.Status), d.Amount,
		d.Currency, d.Probability, d.ProbabilityManual, r.nullDate(d.ExpectedClose), nullID(d.ResponsibleID),
		nullID(d.DirectorateID), nullID(d.ProductID), nullID(d.ProjectID), d.Type, d.LossReason, nullID(d.LostAtStageID),
		closed, r.d.time(d.StageEnteredAt), nullID(d.SourceLeadID), nullID(d.SourceEventID), nullID(d.SourceCampaignID),
		tags, attrs, d.Description, searchText(d.Name, d.Description)}, nil
}

// CreateDeal inserts a deal with its lines and the first row of its stage history.
func (r repo) CreateDeal(ctx context.Context, d *crm.Deal) error {
	now := nowUTC()
	d.CreatedAt, d.UpdatedAt, d.Version, d.UpdatedBy = now, now, 1, d.CreatedBy
	if d.StageEnteredAt.IsZero() {
		d.StageEnteredAt = now
	}
	vals, err := r.dealValues(d)
	if err != nil {
		return err
	}
	vals = append(vals, r.d.time(now), nullID(d.CreatedBy))
	err = r.w.QueryRowContext(ctx, `INSERT INTO deals (name, company_id, contact_id, topic_id, stage_id, status, amount,
		currency, probability, probability_manual, expected_close, responsible_id, directorate_id, product_id, project_id,
		type, loss_reason, lost_at_stage_id, closed_at, stage_entered_at, source_lead_id, source_event_id,
		source_campaign_id, tags, attributes, description, search, created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$28,$29,1)
		RETURNING id`, vals...).Scan(&d.ID)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.writeDealExtras(ctx, d); err != nil {
		return err
	}
	return r.AddStageChange(ctx, &crm.StageChange{DealID: d.ID, ToStageID: d.StageID, At: d.StageEnteredAt, By: d.CreatedBy})
}

// UpdateDeal writes a deal if d.Version is current and rewrites its lines, tags and terms.
func (r repo) UpdateDeal(ctx context.Context, d *crm.Deal) error {
	now := nowUTC()
	vals, err := r.dealValues(d)
	if err != nil {
		return err
	}
	vals = append(vals, r.d.time(now), nullID(d.UpdatedBy), d.ID, d.Version)
	res, err := r.w.ExecContext(ctx, `UPDATE deals SET name=$1, company_id=$2, contact_id=$3, topic_id=$4, stage_id=$5,
		status=$6, amount=$7, currency=$8, probability=$9, probability_manual=$10, expected_close=$11, responsible_id=$12,
		directorate_id=$13, product_id=$14, project_id=$15, type=$16, loss_reason=$17, lost_at_stage_id=$18, closed_at=$19,
		stage_entered_at=$20, source_lead_id=$21, source_event_id=$22, source_campaign_id=$23, tags=$24, attributes=$25,
		description=$26, search=$27, updated_at=$28, updated_by=$29, version=version+1
		WHERE id=$30 AND version=$31 AND deleted_at IS NULL`, vals...)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.checkVersion(ctx, res, "deals", d.ID); err != nil {
		return err
	}
	d.Version++
	d.UpdatedAt = now
	return r.writeDealExtras(ctx, d)
}

// writeDealExtras rewrites what hangs off a deal row: lines, tags, search terms.
func (r repo) writeDealExtras(ctx context.Context, d *crm.Deal) error {
	if _, err := r.w.ExecContext(ctx, "DELETE FROM deal_lines WHERE deal_id = $1", d.ID); err != nil {
		return err
	}
	for i := range d.Lines {
		l := &d.Lines[i]
		err := r.w.QueryRowContext(ctx, `INSERT INTO deal_lines (deal_id, position, product_id, description, quantity, price, amount)
			VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, d.ID, i, nullID(l.ProductID), l.Description, l.Quantity, l.Price, l.Amount).Scan(&l.ID)
		if err != nil {
			return err
		}
	}
	if err := r.replaceTags(ctx, crm.EntityDeal, d.ID, d.Tags); err != nil {
		return err
	}
	return r.replaceTerms(ctx, crm.EntityDeal, d.ID, recordTerms{}.words(d.Name, d.Description))
}

// AddStageChange appends a row to a deal's stage history.
func (r repo) AddStageChange(ctx context.Context, c *crm.StageChange) error {
	if c.At.IsZero() {
		c.At = nowUTC()
	}
	return r.w.QueryRowContext(ctx, `INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, at, by_user)
		VALUES ($1,$2,$3,$4,$5) RETURNING id`, c.DealID, nullID(c.FromStageID), c.ToStageID, r.d.time(c.At), nullID(c.By)).Scan(&c.ID)
}

// StageHistory reads a deal's stage changes, oldest first.
func (r repo) StageHistory(ctx context.Context, dealID int64) ([]crm.StageChange, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT id, deal_id, from_stage_id, to_stage_id, at, by_user
		FROM deal_stage_history WHERE deal_id = $1 ORDER BY at, id`, dealID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.StageChange{}
	for rows.Next() {
		var c crm.StageChange
		var from, by sql.NullInt64
		var at dbTime
		if err := rows.Scan(&c.ID, &c.DealID, &from, &c.ToStageID, &at, &by); err != nil {
			return nil, err
		}
		c.FromStageID, c.By, c.At = nullInt(from), nullInt(by), at.T
		out = append(out, c)
	}
	return out, rows.Err()
}
