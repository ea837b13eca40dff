package store

import (
	"context"
	"database/sql"

	"github.com/ladder-crm/ladder/internal/crm"
)

const productColumns = `p.id, p.name, p.kind, p.code, p.price_minor, p.currency, p.active,
	p.created_at, p.created_by, p.updated_at, p.updated_by, p.version, p.deleted_at, p.deleted_by`

func scanProduct(row interface{ Scan(...any) error }, p *crm.Product, extra ...any) error {
	var created, updated, deleted dbTime
	var createdBy, updatedBy, deletedBy sql.NullInt64
	var kind string
	dest := []any{&p.ID, &p.Name, &kind, &p.Code, &p.PriceMinor, &p.Currency, &p.Active,
		&created, &createdBy, &updated, &updatedBy, &p.Version, &deleted, &deletedBy}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	p.Kind = crm.ProductKind(kind)
	p.CreatedAt, p.UpdatedAt, p.DeletedAt = created.T, updated.T, deleted.ptr()
	p.CreatedBy, p.UpdatedBy, p.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

// ProductByID reads one product with its directorates, deleted or not.
func (r repo) ProductByID(ctx context.Context, id int64) (*crm.Product, error) {
	p := &crm.Product{}
	if err := scanProduct(r.r.QueryRowContext(ctx, "SELECT "+productColumns+" FROM products p WHERE p.id = $1", id), p); err != nil {
		return nil, notFoundOr(err)
	}
	return p, r.loadProductDirectorates(ctx, []*crm.Product{p})
}

func (r repo) loadProductDirectorates(ctx context.Context, ps []*crm.Product) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[int64]*crm.Product, len(ps))
	ids := make([]int64, len(ps))
	for i, p := range ps {
		byID[p.ID], ids[i] = p, p.ID
		p.Directorates = []int64{}
	}
	var args []any
	in := inList(&args, ids)
	rows, err := r.r.QueryContext(ctx, "SELECT product_id, directorate_id FROM product_directorates WHERE product_id IN ("+in+") ORDER BY product_id, directorate_id", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var pid, d int64
		if err := rows.Scan(&pid, &d); err != nil {
			return err
		}
		byID[pid].Directorates = append(byID[pid].Directorates, d)
	}
	return rows.Err()
}

var productSorts = map[string]sortField{
	"name":        {"p.name", sortText},
	"code":        {"p.code", sortText},
	"kind":        {"p.kind", sortText},
	"price_minor": {"p.price_minor", sortInt},
	"created_at":  {"p.created_at", sortTime},
	"id":          {"p.id", sortInt},
}

// ListProducts reads a page of products.
func (r repo) ListProducts(ctx context.Context, f crm.ProductFilter) (crm.Page[crm.Product], error) {
	q := &listQuery{from: "products p", columns: productColumns, sorts: productSorts, deflt: "name"}
	q.filter(deletedCond("p", f.Deleted))
	q.search("p", f.Q)
	if f.Kind != "" {
		q.filter("p.kind = ?", string(f.Kind))
	}
	if f.Active != nil {
		q.filter("p.active = ?", *f.Active)
	}
	if f.DirectorateID != 0 {
		q.filter("EXISTS (SELECT 1 FROM product_directorates pd WHERE pd.product_id = p.id AND pd.directorate_id = ?)", f.DirectorateID)
	}
	var items []*crm.Product
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		p := &crm.Product{}
		err := scanProduct(rows, p, sv...)
		items = append(items, p)
		return p.ID, err
	})
	if err != nil {
		return crm.Page[crm.Product]{}, err
	}
	if err := r.loadProductDirectorates(ctx, items); err != nil {
		return crm.Page[crm.Product]{}, err
	}
	page := crm.Page[crm.Product]{Next: next, Total: total, Items: make([]crm.Product, len(items))}
	for i, p := range items {
		page.Items[i] = *p
	}
	return page, nil
}

// CreateProduct inserts a product with its directorate links.
func (r repo) CreateProduct(ctx context.Context, p *crm.Product) error {
	now := nowUTC()
	p.CreatedAt, p.UpdatedAt, p.Version, p.UpdatedBy = now, now, 1, p.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO products (name, kind, code, price_minor, currency, active, search,
		created_at, created_by, updated_at, updated_by, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$8,$9,1) RETURNING id`,
		p.Name, string(p.Kind), p.Code, p.PriceMinor, p.Currency, p.Active, searchText(p.Name, p.Code),
		r.d.time(now), nullID(p.CreatedBy)).Scan(&p.ID)
	if err != nil {
		return r.writeErr(err)
	}
	return r.writeProductDirectorates(ctx, p)
}

func (r repo) writeProductDirectorates(ctx context.Context, p *crm.Product) error {
	if _, err := r.w.ExecContext(ctx, "DELETE FROM product_directorates WHERE product_id = $1", p.ID); err != nil {
		return err
	}
	for _, d := range p.Directorates {
		if _, err := r.w.ExecContext(ctx, "INSERT INTO product_directorates (product_id, directorate_id) VALUES ($1, $2)", p.ID, d); err != nil {
			return err
		}
	}
	return nil
}

// UpdateProduct writes a product if p.Version is current.
func (r repo) UpdateProduct(ctx context.Context, p *crm.Product) error {
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, `UPDATE products SET name=$1, kind=$2, code=$3, price_minor=$4, currency=$5,
		active=$6, search=$7, updated_at=$8, updated_by=$9, version=version+1
		WHERE id=$10 AND version=$11 AND deleted_at IS NULL`,
		p.Name, string(p.Kind), p.Code, p.PriceMinor, p.Currency, p.Active, searchText(p.Name, p.Code),
		r.d.time(now), nullID(p.UpdatedBy), p.ID, p.Version)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.checkVersion(ctx, res, "products", p.ID); err != nil {
		return err
	}
	p.Version++
	p.UpdatedAt = now
	return r.writeProductDirectorates(ctx, p)
}
