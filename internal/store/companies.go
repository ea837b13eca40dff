package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

const companyColumns = `c.id, c.name, c.legal_name, c.external_ref, c.kind, c.type, c.industry, c.size, c.inn, c.kpp,
	c.region, c.website, c.phones, c.emails, c.address, c.responsible_id, c.directorate_id, c.is_supplier, c.tags,
	c.attributes, c.notes, c.merged_into, c.created_at, c.created_by, c.updated_at, c.updated_by, c.version,
	c.deleted_at, c.deleted_by`

func scanCompany(row interface{ Scan(...any) error }, c *crm.Company, extra ...any) error {
	var created, updated, deleted dbTime
	var ext sql.NullString
	var resp, dir, merged, createdBy, updatedBy, deletedBy sql.NullInt64
	var kind, phones, emails, tags, attrs string
	dest := []any{&c.ID, &c.Name, &c.LegalName, &ext, &kind, &c.Type, &c.Industry, &c.Size, &c.INN, &c.KPP,
		&c.Region, &c.Website, &phones, &emails, &c.Address, &resp, &dir, &c.IsSupplier, &tags,
		&attrs, &c.Notes, &merged, &created, &createdBy, &updated, &updatedBy, &c.Version, &deleted, &deletedBy}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	c.ExternalRef, c.Kind = ext.String, crm.CompanyKind(kind)
	c.ResponsibleID, c.DirectorateID, c.MergedInto = nullInt(resp), nullInt(dir), nullInt(merged)
	c.CreatedAt, c.UpdatedAt, c.DeletedAt = created.T, updated.T, deleted.ptr()
	c.CreatedBy, c.UpdatedBy, c.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	c.Phones, c.Emails, c.Tags, c.Attributes = []crm.Phone{}, []string{}, []string{}, crm.Attributes{}
	for _, j := range []struct {
		text, what string
		dst        any
	}{{phones, "phones", &c.Phones}, {emails, "emails", &c.Emails}, {tags, "tags", &c.Tags}, {attrs, "attributes", &c.Attributes}} {
		if err := partyUnJSON(j.text, "company "+j.what, c.ID, j.dst); err != nil {
			return err
		}
	}
	return nil
}

// CompanyByID reads one company, deleted or not.
func (r repo) CompanyByID(ctx context.Context, id int64) (*crm.Company, error) {
	c := &crm.Company{}
	err := scanCompany(r.r.QueryRowContext(ctx, "SELECT "+companyColumns+" FROM companies c WHERE c.id = $1", id), c)
	if err != nil {
		return nil, notFoundOr(err)
	}
	return c, nil
}

func companySorts() map[string]sortField {
	return map[string]sortField{
		"name":       {"c.name", sortText},
		"type":       {"c.type", sortText},
		"kind":       {"c.kind", sortText},
		"region":     {"c.region", sortText},
		"industry":   {"c.industry", sortText},
		"inn":        {"c.inn", sortText},
		"created_at": {"c.created_at", sortTime},
		"updated_at": {"c.updated_at", sortTime},
		"id":         {"c.id", sortInt},
	}
}

// ListCompanies reads a page of companies. Filters by type, directorate and responsible sorted
// by name walk the (x, name, id) indexes of 00003; the search and the tag filter go through
// record_terms and record_tags.
func (r repo) ListCompanies(ctx context.Context, f crm.CompanyFilter) (crm.Page[crm.Company], error) {
	q := &listQuery{from: "companies c", columns: companyColumns, sorts: companySorts(), deflt: "name"}
	q.filter(deletedCond("c", f.Deleted))
	r.termSearch(q, "c", crm.EntityCompany, f.Q)
	if len(f.IDs) > 0 {
		q.where = append(q.where, "c.id IN ("+inList(&q.args, f.IDs)+")")
	}
	if f.Kind != "" {
		q.filter("c.kind = ?", string(f.Kind))
	}
	if f.Type != "" {
		q.filter("c.type = ?", f.Type)
	}
	if f.Industry != "" {
		q.filter("c.industry = ?", f.Industry)
	}
	if f.Region != "" {
		q.filter("c.region = ?", f.Region)
	}
	if f.DirectorateID != 0 {
		q.filter("c.directorate_id = ?", f.DirectorateID)
	}
	if f.ResponsibleID != 0 {
		q.filter("c.responsible_id = ?", f.ResponsibleID)
	}
	if f.Tag != "" {
		q.filter("c.id IN (SELECT t.record_id FROM record_tags t WHERE t.entity = ? AND t.tag = ?)", crm.EntityCompany, f.Tag)
	}
	if f.Supplier != nil {
		q.filter("c.is_supplier = ?", *f.Supplier)
	}
	r.createdRange(q, "c", f.CreatedFrom, f.CreatedTo)
	r.partyAttrFilters(q, "c", f.Attr)
	var page crm.Page[crm.Company]
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		var c crm.Company
		err := scanCompany(rows, &c, sv...)
		page.Items = append(page.Items, c)
		return c.ID, err
	})
	page.Next, page.Total = next, total
	return page, err
}

// companyValues are the written columns of a company from name to notes, in companyColumns'
// order, for INSERT and UPDATE alike.
func companyValues(c *crm.Company) []any {
	return []any{c.Name, c.LegalName, bulkNullText(c.ExternalRef), string(c.Kind), c.Type, c.Industry, c.Size, c.INN, c.KPP,
		c.Region, c.Website, partyJSON(c.Phones, "[]"), partyJSON(c.Emails, "[]"), c.Address, nullID(c.ResponsibleID),
		nullID(c.DirectorateID), c.IsSupplier, partyJSON(c.Tags, "[]"), partyJSON(c.Attributes, "{}"), c.Notes,
		bulkCompanySearch(c)}
}

const companyWritten = `name, legal_name, external_ref, kind, type, industry, size, inn, kpp, region, website, phones,
	emails, address, responsible_id, directorate_id, is_supplier, tags, attributes, notes, search`

// CreateCompany inserts a company with its search terms and tags.
func (r repo) CreateCompany(ctx context.Context, c *crm.Company) error {
	now := nowUTC()
	c.CreatedAt, c.UpdatedAt, c.Version, c.UpdatedBy = now, now, 1, c.CreatedBy
	if c.Kind == "" {
		c.Kind = crm.KindLegal
	}
	args := append(companyValues(c), r.d.time(now), nullID(c.CreatedBy))
	err := r.w.QueryRowContext(ctx, `INSERT INTO companies (`+companyWritten+`, created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$22,$23,1) RETURNING id`,
		args...).Scan(&c.ID)
	if err != nil {
		return r.writeErr(err)
	}
	return r.indexCompany(ctx, c)
}

// UpdateCompany writes a company if c.Version is current, with its terms and tags.
func (r repo) UpdateCompany(ctx context.Context, c *crm.Company) error {
	now := nowUTC()
	set := strings.Split(strings.Join(strings.Fields(companyWritten), ""), ",")
	for i, col := range set {
		set[i] = col + "=$" + itoa(int64(i+1))
	}
	args := append(companyValues(c), r.d.time(now), nullID(c.UpdatedBy), c.ID, c.Version)
	res, err := r.w.ExecContext(ctx, `UPDATE companies SET `+strings.Join(set, ", ")+`, updated_at=$22, updated_by=$23,
		version=version+1 WHERE id=$24 AND version=$25 AND deleted_at IS NULL`, args...)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.checkVersion(ctx, res, "companies", c.ID); err != nil {
		return err
	}
	c.Version++
	c.UpdatedAt = now
	return r.indexCompany(ctx, c)
}

func (r repo) indexCompany(ctx context.Context, c *crm.Company) error {
	if err := r.replaceTerms(ctx, crm.EntityCompany, c.ID, bulkCompanyTerms(c)); err != nil {
		return err
	}
	return r.replaceTags(ctx, crm.EntityCompany, c.ID, c.Tags)
}

// DuplicateCompanies finds live companies sharing the INN, an e-mail or a phone with c.
func (r repo) DuplicateCompanies(ctx context.Context, c *crm.Company) ([]crm.Company, error) {
	ids, err := r.duplicateIDs(ctx, crm.EntityCompany, "companies", c.ID, duplicateTerms(c.INN, c.Emails, c.Phones))
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	page, err := r.ListCompanies(ctx, crm.CompanyFilter{IDs: ids, Page: crm.PageRequest{Limit: len(ids), Sort: "id"}})
	if err != nil {
		return nil, err
	}
	// The index shares one namespace between words, digits and e-mails (a phone's ten national
	// digits are a term too): keep only records that really share an identifier.
	want := identifiers(c.INN, c.Emails, c.Phones)
	var out []crm.Company
	for _, x := range page.Items {
		if sharesIdentifier(want, identifiers(x.INN, x.Emails, x.Phones)) {
			out = append(out, x)
		}
	}
	return out, nil
}
