package store

import (
	"context"
	"database/sql"

	"github.com/ladder-crm/ladder/internal/crm"
)

const directorateColumns = `d.id, d.name, d.head_id, d.active, d.created_at, d.created_by,
	d.updated_at, d.updated_by, d.version, d.deleted_at, d.deleted_by`

func scanDirectorate(row interface{ Scan(...any) error }, d *crm.Directorate, extra ...any) error {
	var created, updated, deleted dbTime
	var head, createdBy, updatedBy, deletedBy sql.NullInt64
	dest := []any{&d.ID, &d.Name, &head, &d.Active, &created, &createdBy, &updated, &updatedBy, &d.Version, &deleted, &deletedBy}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	d.HeadID = nullInt(head)
	d.CreatedAt, d.UpdatedAt, d.DeletedAt = created.T, updated.T, deleted.ptr()
	d.CreatedBy, d.UpdatedBy, d.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

// DirectorateByID reads one directorate, deleted or not.
func (r repo) DirectorateByID(ctx context.Context, id int64) (*crm.Directorate, error) {
	d := &crm.Directorate{}
	err := scanDirectorate(r.r.QueryRowContext(ctx, "SELECT "+directorateColumns+" FROM directorates d WHERE d.id = $1", id), d)
	return d, notFoundOr(err)
}

var directorateSorts = map[string]sortField{
	"name":       {"d.name", sortText},
	"created_at": {"d.created_at", sortTime},
	"id":         {"d.id", sortInt},
}

// ListDirectorates reads a page of directorates.
func (r repo) ListDirectorates(ctx context.Context, f crm.DirectorateFilter) (crm.Page[crm.Directorate], error) {
	q := &listQuery{from: "directorates d", columns: directorateColumns, sorts: directorateSorts, deflt: "name"}
	q.filter(deletedCond("d", f.Deleted))
	q.search("d", f.Q)
	if f.Active != nil {
		q.filter("d.active = ?", *f.Active)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return crm.Page[crm.Directorate]{}, nil
		}
		in := inList(&q.args, f.IDs)
		q.where = append(q.where, "d.id IN ("+in+")")
	}
	var page crm.Page[crm.Directorate]
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		var d crm.Directorate
		err := scanDirectorate(rows, &d, sv...)
		page.Items = append(page.Items, d)
		return d.ID, err
	})
	page.Next, page.Total = next, total
	return page, err
}

func deletedCond(alias string, deleted bool) string {
	if deleted {
		return alias + ".deleted_at IS NOT NULL"
	}
	return alias + ".deleted_at IS NULL"
}

// CreateDirectorate inserts a directorate.
func (r repo) CreateDirectorate(ctx context.Context, d *crm.Directorate) error {
	now := nowUTC()
	d.CreatedAt, d.UpdatedAt, d.Version, d.UpdatedBy = now, now, 1, d.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO directorates (name, head_id, active, search, created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$6,$5,$6,1) RETURNING id`,
		d.Name, nullID(d.HeadID), d.Active, searchText(d.Name), r.d.time(now), nullID(d.CreatedBy)).Scan(&d.ID)
	return r.writeErr(err)
}

// UpdateDirectorate writes a directorate if d.Version is current.
func (r repo) UpdateDirectorate(ctx context.Context, d *crm.Directorate) error {
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, `UPDATE directorates SET name=$1, head_id=$2, active=$3, search=$4,
		updated_at=$5, updated_by=$6, version=version+1 WHERE id=$7 AND version=$8 AND deleted_at IS NULL`,
		d.Name, nullID(d.HeadID), d.Active, searchText(d.Name), r.d.time(now), nullID(d.UpdatedBy), d.ID, d.Version)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.checkVersion(ctx, res, "directorates", d.ID); err != nil {
		return err
	}
	d.Version++
	d.UpdatedAt = now
	return nil
}
