package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

const choiceColumns = `c.id, c.list, c.code, c.label_ru, c.label_en, c.sort, c.is_default, c.active,
	c.created_at, c.created_by, c.updated_at, c.updated_by, c.version, c.deleted_at, c.deleted_by`

func scanChoice(row interface{ Scan(...any) error }, v *crm.ChoiceValue) error {
	var created, updated, deleted dbTime
	var createdBy, updatedBy, deletedBy sql.NullInt64
	var list string
	if err := row.Scan(&v.ID, &list, &v.Code, &v.LabelRU, &v.LabelEN, &v.Sort, &v.IsDefault, &v.Active,
		&created, &createdBy, &updated, &updatedBy, &v.Version, &deleted, &deletedBy); err != nil {
		return err
	}
	v.List = crm.ChoiceList(list)
	v.CreatedAt, v.UpdatedAt, v.DeletedAt = created.T, updated.T, deleted.ptr()
	v.CreatedBy, v.UpdatedBy, v.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

// ChoiceByID reads one choice value, deleted or not.
func (r repo) ChoiceByID(ctx context.Context, id int64) (*crm.ChoiceValue, error) {
	v := &crm.ChoiceValue{}
	if err := scanChoice(r.r.QueryRowContext(ctx, "SELECT "+choiceColumns+" FROM choice_values c WHERE c.id = $1", id), v); err != nil {
		return nil, notFoundOr(err)
	}
	return v, nil
}

// ListChoices reads the values of one list (or of all, List empty) in their order. Lists are
// a handful of values each, so there are no pages.
func (r repo) ListChoices(ctx context.Context, f crm.ChoiceFilter) ([]crm.ChoiceValue, error) {
	q := &listQuery{}
	q.filter(deletedCond("c", f.Deleted))
	if f.List != "" {
		q.filter("c.list = ?", string(f.List))
	}
	if f.Active != nil {
		q.filter("c.active = ?", *f.Active)
	}
	rows, err := r.r.QueryContext(ctx, "SELECT "+choiceColumns+" FROM choice_values c"+whereSQL(q.where)+
		" ORDER BY c.list, c.sort, c.label_ru, c.id", q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.ChoiceValue{}
	for rows.Next() {
		var v crm.ChoiceValue
		if err := scanChoice(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CreateChoice inserts a choice value.
func (r repo) CreateChoice(ctx context.Context, v *crm.ChoiceValue) error {
	now := nowUTC()
	v.CreatedAt, v.UpdatedAt, v.Version, v.UpdatedBy = now, now, 1, v.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO choice_values (list, code, label_ru, label_en, sort, is_default, active,
		created_at, created_by, updated_at, updated_by, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$8,$9,1) RETURNING id`,
		string(v.List), v.Code, v.LabelRU, v.LabelEN, v.Sort, v.IsDefault, v.Active, r.d.time(now), nullID(v.CreatedBy)).Scan(&v.ID)
	return r.choiceErr(err)
}

// UpdateChoice writes a choice value if v.Version is current. List and code never change:
// records store the code.
func (r repo) UpdateChoice(ctx context.Context, v *crm.ChoiceValue) error {
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, `UPDATE choice_values SET label_ru=$1, label_en=$2, sort=$3, is_default=$4, active=$5,
		updated_at=$6, updated_by=$7, version=version+1 WHERE id=$8 AND version=$9 AND deleted_at IS NULL`,
		v.LabelRU, v.LabelEN, v.Sort, v.IsDefault, v.Active, r.d.time(now), nullID(v.UpdatedBy), v.ID, v.Version)
	if err != nil {
		return r.choiceErr(err)
	}
	if err := r.checkVersion(ctx, res, "choice_values", v.ID); err != nil {
		return err
	}
	v.Version++
	v.UpdatedAt = now
	return nil
}

// choiceErr names the field of a unique violation: the code within its list, or the list's
// one default value. Both indexes start with the list column; only the code's names the code
// (SQLite lists the columns, PostgreSQL the index name).
func (r repo) choiceErr(err error) error {
	if err == nil || r.d.uniqueField(err) == "" {
		return err
	}
	if strings.Contains(err.Error(), "code") {
		return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"code": "err.unique"}}
	}
	return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"is_default": "config.err.one_default"}}
}

// choiceUses maps each list to the column that stores its codes. A list missing here (product
// groups, until products get a group) is used by nothing yet.
var choiceUses = map[crm.ChoiceList][]string{
	crm.ListCompanyType: {"companies", "type"},
	crm.ListContactType: {"contacts", "type"},
	crm.ListDealType:    {"deals", "type"},
	crm.ListIndustry:    {"companies", "industry"},
	crm.ListLossReason:  {"deals", "loss_reason"},
	crm.ListContactRole: {"contacts", "role"},
}

// ChoiceInUse reports whether a record of any state stores the code. It runs when an admin
// deletes a value, rarely; the type columns are indexed, the others are scanned up to the
// first match.
func (r repo) ChoiceInUse(ctx context.Context, list crm.ChoiceList, code string) (bool, error) {
	use, ok := choiceUses[list]
	if !ok {
		return false, nil
	}
	var one int
	err := r.r.QueryRowContext(ctx, "SELECT 1 FROM "+use[0]+" WHERE "+use[1]+" = $1 LIMIT 1", code).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}
