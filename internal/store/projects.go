package store

import (
	"context"
	"database/sql"

	"github.com/ladder-crm/ladder/internal/crm"
)

const projectColumns = `p.id, p.name, p.responsible_id, p.date_from, p.date_to, p.status, p.directorate_id,
	p.description, p.created_at, p.created_by, p.updated_at, p.updated_by, p.version, p.deleted_at, p.deleted_by`

func scanProject(row interface{ Scan(...any) error }, p *crm.Project, extra ...any) error {
	var from, to, created, updated, deleted dbTime
	var resp, dir, createdBy, updatedBy, deletedBy sql.NullInt64
	var status string
	dest := []any{&p.ID, &p.Name, &resp, &from, &to, &status, &dir, &p.Description,
		&created, &createdBy, &updated, &updatedBy, &p.Version, &deleted, &deletedBy}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	p.Status = crm.ProjectStatus(status)
	p.ResponsibleID, p.DirectorateID = nullInt(resp), nullInt(dir)
	p.DateFrom, p.DateTo = from.date(), to.date()
	p.CreatedAt, p.UpdatedAt, p.DeletedAt = created.T, updated.T, deleted.ptr()
	p.CreatedBy, p.UpdatedBy, p.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

// ProjectByID reads one project, deleted or not.
func (r repo) ProjectByID(ctx context.Context, id int64) (*crm.Project, error) {
	p := &crm.Project{}
	err := scanProject(r.r.QueryRowContext(ctx, "SELECT "+projectColumns+" FROM projects p WHERE p.id = $1", id), p)
	if err != nil {
		return nil, notFoundOr(err)
	}
	return p, nil
}

func (r repo) projectSorts() map[string]sortField {
	// An empty start date sorts first; the literal differs because the column types differ.
	from, to := "COALESCE(p.date_from, '')", "COALESCE(p.date_to, '')"
	if r.d.name() == "postgres" {
		from, to = "COALESCE(p.date_from::text, '')", "COALESCE(p.date_to::text, '')"
	}
	return map[string]sortField{
		"name":       {"p.name", sortText},
		"status":     {"p.status", sortText},
		"date_from":  {from, sortText},
		"date_to":    {to, sortText},
		"created_at": {"p.created_at", sortTime},
		"updated_at": {"p.updated_at", sortTime},
		"id":         {"p.id", sortInt},
	}
}

// ListProjects reads a page of projects.
func (r repo) ListProjects(ctx context.Context, f crm.ProjectFilter) (crm.Page[crm.Project], error) {
	q := &listQuery{from: "projects p", columns: projectColumns, sorts: r.projectSorts(), deflt: "created_at"}
	q.filter(deletedCond("p", f.Deleted))
	q.search("p", f.Q)
	if f.Status != "" {
		q.filter("p.status = ?", string(f.Status))
	}
	if f.DirectorateID != 0 {
		q.filter("p.directorate_id = ?", f.DirectorateID)
	}
	if f.ResponsibleID != 0 {
		q.filter("p.responsible_id = ?", f.ResponsibleID)
	}
	var page crm.Page[crm.Project]
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		var p crm.Project
		err := scanProject(rows, &p, sv...)
		page.Items = append(page.Items, p)
		return p.ID, err
	})
	page.Next, page.Total = next, total
	return page, err
}

// CreateProject inserts a project.
func (r repo) CreateProject(ctx context.Context, p *crm.Project) error {
	now := nowUTC()
	p.CreatedAt, p.UpdatedAt, p.Version, p.UpdatedBy = now, now, 1, p.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO projects (name, responsible_id, date_from, date_to, status,
		directorate_id, description, search, created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$9,$10,1) RETURNING id`,
		p.Name, nullID(p.ResponsibleID), r.nullDate(p.DateFrom), r.nullDate(p.DateTo), string(p.Status),
		nullID(p.DirectorateID), p.Description, searchText(p.Name, p.Description), r.d.time(now), nullID(p.CreatedBy)).Scan(&p.ID)
	return r.writeErr(err)
}

// UpdateProject writes a project if p.Version is current.
func (r repo) UpdateProject(ctx context.Context, p *crm.Project) error {
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, `UPDATE projects SET name=$1, responsible_id=$2, date_from=$3, date_to=$4,
		status=$5, directorate_id=$6, description=$7, search=$8, updated_at=$9, updated_by=$10, version=version+1
		WHERE id=$11 AND version=$12 AND deleted_at IS NULL`,
		p.Name, nullID(p.ResponsibleID), r.nullDate(p.DateFrom), r.nullDate(p.DateTo), string(p.Status),
		nullID(p.DirectorateID), p.Description, searchText(p.Name, p.Description), r.d.time(now),
		nullID(p.UpdatedBy), p.ID, p.Version)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.checkVersion(ctx, res, "projects", p.ID); err != nil {
		return err
	}
	p.Version++
	p.UpdatedAt = now
	return nil
}
