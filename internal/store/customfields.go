package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/ladder-crm/ladder/internal/crm"
)

const customFieldColumns = `f.id, f.entity, f.code, f.label_ru, f.label_en, f.type, f.options, f.sort, f.active,
	f.created_at, f.created_by, f.updated_at, f.updated_by, f.version, f.deleted_at, f.deleted_by`

func scanCustomField(row interface{ Scan(...any) error }, f *crm.CustomField) error {
	var created, updated, deleted dbTime
	var createdBy, updatedBy, deletedBy sql.NullInt64
	var typ, options string
	if err := row.Scan(&f.ID, &f.Entity, &f.Code, &f.LabelRU, &f.LabelEN, &typ, &options, &f.Sort, &f.Active,
		&created, &createdBy, &updated, &updatedBy, &f.Version, &deleted, &deletedBy); err != nil {
		return err
	}
	f.Type = crm.FieldType(typ)
	f.Options = nil
	if err := json.Unmarshal([]byte(options), &f.Options); err != nil {
		return err
	}
	f.CreatedAt, f.UpdatedAt, f.DeletedAt = created.T, updated.T, deleted.ptr()
	f.CreatedBy, f.UpdatedBy, f.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

func optionsJSON(opts []string) string {
	if opts == nil {
		opts = []string{}
	}
	b, _ := json.Marshal(opts) // a []string always marshals
	return string(b)
}

// CustomFieldByID reads one custom field, deleted or not.
func (r repo) CustomFieldByID(ctx context.Context, id int64) (*crm.CustomField, error) {
	f := &crm.CustomField{}
	if err := scanCustomField(r.r.QueryRowContext(ctx, "SELECT "+customFieldColumns+" FROM custom_fields f WHERE f.id = $1", id), f); err != nil {
		return nil, notFoundOr(err)
	}
	return f, nil
}

// ListCustomFields reads the fields of one entity ("" = all) in their order.
func (r repo) ListCustomFields(ctx context.Context, entity string, deleted bool) ([]crm.CustomField, error) {
	q := &listQuery{}
	q.filter(deletedCond("f", deleted))
	if entity != "" {
		q.filter("f.entity = ?", entity)
	}
	rows, err := r.r.QueryContext(ctx, "SELECT "+customFieldColumns+" FROM custom_fields f"+whereSQL(q.where)+
		" ORDER BY f.entity, f.sort, f.label_ru, f.id", q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.CustomField{}
	for rows.Next() {
		var f crm.CustomField
		if err := scanCustomField(rows, &f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// CreateCustomField inserts a custom field.
func (r repo) CreateCustomField(ctx context.Context, f *crm.CustomField) error {
	now := nowUTC()
	f.CreatedAt, f.UpdatedAt, f.Version, f.UpdatedBy = now, now, 1, f.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO custom_fields (entity, code, label_ru, label_en, type, options, sort, active,
		created_at, created_by, updated_at, updated_by, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$9,$10,1) RETURNING id`,
		f.Entity, f.Code, f.LabelRU, f.LabelEN, string(f.Type), optionsJSON(f.Options), f.Sort, f.Active,
		r.d.time(now), nullID(f.CreatedBy)).Scan(&f.ID)
	return r.customFieldErr(err)
}

// customFieldErr reports a unique violation as the code's: (entity, code) is the only unique
// key, and the dialects name it differently.
func (r repo) customFieldErr(err error) error {
	if err == nil || r.d.uniqueField(err) == "" {
		return err
	}
	return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"code": "err.unique"}}
}

// UpdateCustomField writes a custom field if f.Version is current. Entity, code and type
// never change: stored values are keyed by the code and shaped by the type.
func (r repo) UpdateCustomField(ctx context.Context, f *crm.CustomField) error {
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, `UPDATE custom_fields SET label_ru=$1, label_en=$2, options=$3, sort=$4, active=$5,
		updated_at=$6, updated_by=$7, version=version+1 WHERE id=$8 AND version=$9 AND deleted_at IS NULL`,
		f.LabelRU, f.LabelEN, optionsJSON(f.Options), f.Sort, f.Active, r.d.time(now), nullID(f.UpdatedBy), f.ID, f.Version)
	if err != nil {
		return r.customFieldErr(err)
	}
	if err := r.checkVersion(ctx, res, "custom_fields", f.ID); err != nil {
		return err
	}
	f.Version++
	f.UpdatedAt = now
	return nil
}
