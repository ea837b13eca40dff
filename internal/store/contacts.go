package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

const contactColumns = `p.id, p.last_name, p.first_name, p.middle_name, p.company_id, p.position, p.is_decision_maker,
	p.type, p.role, p.phones, p.emails, p.messengers, p.do_not_contact, p.postal_address, p.responsible_id,
	p.directorate_id, p.tags, p.attributes, p.notes, p.merged_into, p.created_at, p.created_by, p.updated_at,
	p.updated_by, p.version, p.deleted_at, p.deleted_by`

func scanContact(row interface{ Scan(...any) error }, c *crm.Contact, extra ...any) error {
	var created, updated, deleted dbTime
	var company, resp, dir, merged, createdBy, updatedBy, deletedBy sql.NullInt64
	var phones, emails, messengers, dnc, tags, attrs string
	dest := []any{&c.ID, &c.LastName, &c.FirstName, &c.MiddleName, &company, &c.Position, &c.IsDecisionMaker,
		&c.Type, &c.Role, &phones, &emails, &messengers, &dnc, &c.PostalAddress, &resp,
		&dir, &tags, &attrs, &c.Notes, &merged, &created, &createdBy, &updated,
		&updatedBy, &c.Version, &deleted, &deletedBy}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	c.CompanyID, c.ResponsibleID, c.DirectorateID, c.MergedInto = nullInt(company), nullInt(resp), nullInt(dir), nullInt(merged)
	c.CreatedAt, c.UpdatedAt, c.DeletedAt = created.T, updated.T, deleted.ptr()
	c.CreatedBy, c.UpdatedBy, c.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	c.Phones, c.Emails, c.Messengers, c.DoNotContact = []crm.Phone{}, []string{}, []crm.Messenger{}, []string{}
	c.Tags, c.Attributes = []string{}, crm.Attributes{}
	for _, j := range []struct {
		text, what string
		dst        any
	}{{phones, "phones", &c.Phones}, {emails, "emails", &c.Emails}, {messengers, "messengers", &c.Messengers},
		{dnc, "do_not_contact", &c.DoNotContact}, {tags, "tags", &c.Tags}, {attrs, "attributes", &c.Attributes}} {
		if err := partyUnJSON(j.text, "contact "+j.what, c.ID, j.dst); err != nil {
			return err
		}
	}
	return nil
}

// ContactByID reads one contact, deleted or not.
func (r repo) ContactByID(ctx context.Context, id int64) (*crm.Contact, error) {
	c := &crm.Contact{}
	err := scanContact(r.r.QueryRowContext(ctx, "SELECT "+contactColumns+" FROM contacts p WHERE p.id = $1", id), c)
	if err != nil {
		return nil, notFoundOr(err)
	}
	return c, nil
}

func contactSorts() map[string]sortField {
	return map[string]sortField{
		"name":       {"p.full_name", sortText},
		"position":   {"p.position", sortText},
		"type":       {"p.type", sortText},
		"role":       {"p.role", sortText},
		"created_at": {"p.created_at", sortTime},
		"updated_at": {"p.updated_at", sortTime},
		"id":         {"p.id", sortInt},
	}
}

// ListContacts reads a page of contacts, by ФИО unless told otherwise. Filters by company,
// type, directorate and responsible sorted by name walk the (x, full_name, id) indexes of
// 00003; a private person is a contact without a company.
func (r repo) ListContacts(ctx context.Context, f crm.ContactFilter) (crm.Page[crm.Contact], error) {
	q := &listQuery{from: "contacts p", columns: contactColumns, sorts: contactSorts(), deflt: "name"}
	q.filter(deletedCond("p", f.Deleted))
	r.termSearch(q, "p", crm.EntityContact, f.Q)
	if len(f.IDs) > 0 {
		q.where = append(q.where, "p.id IN ("+inList(&q.args, f.IDs)+")")
	}
	switch {
	case f.CompanyID != 0:
		q.filter("p.company_id = ?", f.CompanyID)
	case f.PrivateOnly:
		q.filter("p.company_id IS NULL")
	}
	if f.Type != "" {
		q.filter("p.type = ?", f.Type)
	}
	if f.Role != "" {
		q.filter("p.role = ?", f.Role)
	}
	if f.DecisionMaker != nil {
		q.filter("p.is_decision_maker = ?", *f.DecisionMaker)
	}
	if f.DirectorateID != 0 {
		q.filter("p.directorate_id = ?", f.DirectorateID)
	}
	if f.ResponsibleID != 0 {
		q.filter("p.responsible_id = ?", f.ResponsibleID)
	}
	if f.Tag != "" {
		q.filter("p.id IN (SELECT t.record_id FROM record_tags t WHERE t.entity = ? AND t.tag = ?)", crm.EntityContact, f.Tag)
	}
	r.createdRange(q, "p", f.CreatedFrom, f.CreatedTo)
	r.partyAttrFilters(q, "p", f.Attr)
	var page crm.Page[crm.Contact]
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		var c crm.Contact
		err := scanContact(rows, &c, sv...)
		page.Items = append(page.Items, c)
		return c.ID, err
	})
	page.Next, page.Total = next, total
	return page, err
}

const contactWritten = `full_name, last_name, first_name, middle_name, company_id, position, is_decision_maker, type,
	role, phones, emails, messengers, do_not_contact, postal_address, responsible_id, directorate_id, tags, attributes,
	notes, search`

func contactValues(c *crm.Contact) []any {
	return []any{c.FullName(), c.LastName, c.FirstName, c.MiddleName, nullID(c.CompanyID), c.Position, c.IsDecisionMaker,
		c.Type, c.Role, partyJSON(c.Phones, "[]"), partyJSON(c.Emails, "[]"), partyJSON(c.Messengers, "[]"),
		partyJSON(c.DoNotContact, "[]"), c.PostalAddress, nullID(c.ResponsibleID), nullID(c.DirectorateID),
		partyJSON(c.Tags, "[]"), partyJSON(c.Attributes, "{}"), c.Notes, bulkContactSearch(c)}
}

// CreateContact inserts a contact with its search terms and tags.
func (r repo) CreateContact(ctx context.Context, c *crm.Contact) error {
	now := nowUTC()
	c.CreatedAt, c.UpdatedAt, c.Version, c.UpdatedBy = now, now, 1, c.CreatedBy
	args := append(contactValues(c), r.d.time(now), nullID(c.CreatedBy))
	err := r.w.QueryRowContext(ctx, `INSERT INTO contacts (`+contactWritten+`, created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$21,$22,1) RETURNING id`,
		args...).Scan(&c.ID)
	if err != nil {
		return r.writeErr(err)
	}
	return r.indexContact(ctx, c)
}

// UpdateContact writes a contact if c.Version is current, with its terms and tags.
func (r repo) UpdateContact(ctx context.Context, c *crm.Contact) error {
	now := nowUTC()
	set := strings.Split(strings.Join(strings.Fields(contactWritten), ""), ",")
	for i, col := range set {
		set[i] = col + "=$" + itoa(int64(i+1))
	}
	args := append(contactValues(c), r.d.time(now), nullID(c.UpdatedBy), c.ID, c.Version)
	res, err := r.w.ExecContext(ctx, `UPDATE contacts SET `+strings.Join(set, ", ")+`, updated_at=$21, updated_by=$22,
		version=version+1 WHERE id=$23 AND version=$24 AND deleted_at IS NULL`, args...)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.checkVersion(ctx, res, "contacts", c.ID); err != nil {
		return err
	}
	c.Version++
	c.UpdatedAt = now
	return r.indexContact(ctx, c)
}

func (r repo) indexContact(ctx context.Context, c *crm.Contact) error {
	if err := r.replaceTerms(ctx, crm.EntityContact, c.ID, bulkContactTerms(c)); err != nil {
		return err
	}
	return r.replaceTags(ctx, crm.EntityContact, c.ID, c.Tags)
}

// DuplicateContacts finds live contacts sharing an e-mail or a phone with c.
func (r repo) DuplicateContacts(ctx context.Context, c *crm.Contact) ([]crm.Contact, error) {
	ids, err := r.duplicateIDs(ctx, crm.EntityContact, "contacts", c.ID, duplicateTerms("", c.Emails, c.Phones))
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	page, err := r.ListContacts(ctx, crm.ContactFilter{IDs: ids, Page: crm.PageRequest{Limit: len(ids), Sort: "id"}})
	if err != nil {
		return nil, err
	}
	want := identifiers("", c.Emails, c.Phones)
	var out []crm.Contact
	for _, x := range page.Items {
		if sharesIdentifier(want, identifiers("", x.Emails, x.Phones)) {
			out = append(out, x)
		}
	}
	return out, nil
}
