package store

import (
	"context"
	"database/sql"

	"github.com/ladder-crm/ladder/internal/crm"
)

// contractPaid is the paid sum of one contract, read with it (contract_payments_contract
// serves it per row of a page).
const contractPaid = `(SELECT COALESCE(SUM(cp.amount), 0) FROM contract_payments cp WHERE cp.contract_id = c.id)`

const contractColumns = `c.id, c.number, c.contract_date, c.company_id, c.deal_id, c.event_id, c.topic_id, c.amount,
	c.currency, c.status, c.signed_at, c.responsible_id, c.directorate_id, c.description,
	c.created_at, c.created_by, c.updated_at, c.updated_by, c.version, c.deleted_at, c.deleted_by, ` + contractPaid

func scanContract(row interface{ Scan(...any) error }, c *crm.Contract, extra ...any) error {
	var day, signed, created, updated, deleted dbTime
	var deal, event, topic, resp, dir, createdBy, updatedBy, deletedBy sql.NullInt64
	var status string
	dest := []any{&c.ID, &c.Number, &day, &c.CompanyID, &deal, &event, &topic, &c.Amount,
		&c.Currency, &status, &signed, &resp, &dir, &c.Description,
		&created, &createdBy, &updated, &updatedBy, &c.Version, &deleted, &deletedBy, &c.Paid}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	c.Status = crm.ContractStatus(status)
	if d := day.date(); d != nil {
		c.Date = *d
	}
	c.DealID, c.EventID, c.TopicID = nullInt(deal), nullInt(event), nullInt(topic)
	c.ResponsibleID, c.DirectorateID = nullInt(resp), nullInt(dir)
	c.SignedAt = signed.ptr()
	c.CreatedAt, c.UpdatedAt, c.DeletedAt = created.T, updated.T, deleted.ptr()
	c.CreatedBy, c.UpdatedBy, c.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	c.Payments = []crm.Payment{}
	return nil
}

// ContractByID reads one contract with its payments, deleted or not.
func (r repo) ContractByID(ctx context.Context, id int64) (*crm.Contract, error) {
	c := &crm.Contract{}
	err := scanContract(r.r.QueryRowContext(ctx, "SELECT "+contractColumns+" FROM contracts c WHERE c.id = $1", id), c)
	if err != nil {
		return nil, notFoundOr(err)
	}
	rows, err := r.r.QueryContext(ctx, `SELECT id, paid_on, amount, note FROM contract_payments
		WHERE contract_id = $1 ORDER BY paid_on, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p crm.Payment
		var on dbTime
		if err := rows.Scan(&p.ID, &on, &p.Amount, &p.Note); err != nil {
			return nil, err
		}
		if d := on.date(); d != nil {
			p.PaidOn = *d
		}
		c.Payments = append(c.Payments, p)
	}
	return c, rows.Err()
}

func (r repo) contractSorts() map[string]sortField {
	day := "c.contract_date"
	if r.d.name() == "postgres" {
		day = "c.contract_date::text"
	}
	return map[string]sortField{
		"number":     {"c.number", sortText},
		"date":       {day, sortText},
		"amount":     {"c.amount", sortInt},
		"status":     {"c.status", sortText},
		"created_at": {"c.created_at", sortTime},
		"updated_at": {"c.updated_at", sortTime},
		"id":         {"c.id", sortInt},
	}
}

// contractFilters adds the conditions of f; the list and its income totals share them.
func (r repo) contractFilters(q *listQuery, f crm.ContractFilter) {
	q.filter(deletedCond("c", f.Deleted))
	q.search("c", f.Q)
	if f.Status != "" {
		q.filter("c.status = ?", string(f.Status))
	}
	if f.CompanyID != 0 {
		q.filter("c.company_id = ?", f.CompanyID)
	}
	if f.DealID != 0 {
		q.filter("c.deal_id = ?", f.DealID)
	}
	if f.DirectorateID != 0 {
		q.filter("c.directorate_id = ?", f.DirectorateID)
	}
	if f.ResponsibleID != 0 {
		q.filter("c.responsible_id = ?", f.ResponsibleID)
	}
	if f.DateFrom != nil {
		q.filter("c.contract_date >= ?", r.d.date(*f.DateFrom))
	}
	if f.DateTo != nil {
		q.filter("c.contract_date <= ?", r.d.date(*f.DateTo))
	}
}

// ListContracts reads a page of contracts with their paid sums (not their payments).
func (r repo) ListContracts(ctx context.Context, f crm.ContractFilter) (crm.Page[crm.Contract], error) {
	q := &listQuery{from: "contracts c", columns: contractColumns, sorts: r.contractSorts(), deflt: "date"}
	r.contractFilters(q, f)
	var page crm.Page[crm.Contract]
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		var c crm.Contract
		err := scanContract(rows, &c, sv...)
		page.Items = append(page.Items, c)
		return c.ID, err
	})
	page.Next, page.Total = next, total
	return page, err
}

// Income sums the contracts of f: the amount of signed and completed ones (R39) and what was
// paid on all of them.
func (r repo) Income(ctx context.Context, f crm.ContractFilter) (crm.IncomeTotals, error) {
	q := &listQuery{from: "contracts c"}
	r.contractFilters(q, f)
	var t crm.IncomeTotals
	err := r.r.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN c.status IN ('signed', 'completed') THEN c.amount ELSE 0 END), 0),
		COALESCE(SUM(`+contractPaid+`), 0) FROM contracts c`+whereSQL(q.where), q.args...).Scan(&t.Income, &t.Paid)
	return t, err
}

// contractErr names the field of a contract's unique number: SQLite reports the first column
// of the index (the year), PostgreSQL the index name.
func (r repo) contractErr(err error) error {
	return crm.RenameField(r.writeErr(err), "contract_year", "number")
}

// CreateContract inserts a contract; the number is unique within the contract's year.
func (r repo) CreateContract(ctx context.Context, c *crm.Contract) error {
	now := nowUTC()
	c.CreatedAt, c.UpdatedAt, c.Version, c.UpdatedBy = now, now, 1, c.CreatedBy
	var signed any
	if c.SignedAt != nil {
		signed = r.d.time(*c.SignedAt)
	}
	err := r.w.QueryRowContext(ctx, `INSERT INTO contracts (number, contract_date, contract_year, company_id, deal_id,
		event_id, topic_id, amount, currency, status, signed_at, responsible_id, directorate_id, description, search,
		created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$16,$17,1) RETURNING id`,
		c.Number, r.d.date(c.Date), c.Date.Year(), c.CompanyID, nullID(c.DealID), nullID(c.EventID), nullID(c.TopicID),
		c.Amount, c.Currency, string(c.Status), signed, nullID(c.ResponsibleID), nullID(c.DirectorateID), c.Description,
		searchText(c.Number, c.Description), r.d.time(now), nullID(c.CreatedBy)).Scan(&c.ID)
	if c.Payments == nil {
		c.Payments = []crm.Payment{}
	}
	return r.contractErr(err)
}

// UpdateContract writes a contract if c.Version is current; payments are written apart.
func (r repo) UpdateContract(ctx context.Context, c *crm.Contract) error {
	now := nowUTC()
	var signed any
	if c.SignedAt != nil {
		signed = r.d.time(*c.SignedAt)
	}
	res, err := r.w.ExecContext(ctx, `UPDATE contracts SET number=$1, contract_date=$2, contract_year=$3, company_id=$4,
		deal_id=$5, event_id=$6, topic_id=$7, amount=$8, currency=$9, status=$10, signed_at=$11, responsible_id=$12,
		directorate_id=$13, description=$14, search=$15, updated_at=$16, updated_by=$17, version=version+1
		WHERE id=$18 AND version=$19 AND deleted_at IS NULL`,
		c.Number, r.d.date(c.Date), c.Date.Year(), c.CompanyID, nullID(c.DealID), nullID(c.EventID), nullID(c.TopicID),
		c.Amount, c.Currency, string(c.Status), signed, nullID(c.ResponsibleID), nullID(c.DirectorateID), c.Description,
		searchText(c.Number, c.Description), r.d.time(now), nullID(c.UpdatedBy), c.ID, c.Version)
	if err != nil {
		return r.contractErr(err)
	}
	if err := r.checkVersion(ctx, res, "contracts", c.ID); err != nil {
		return err
	}
	c.Version++
	c.UpdatedAt = now
	return nil
}

// AddPayment records money received under a contract.
func (r repo) AddPayment(ctx context.Context, contractID int64, p *crm.Payment, by int64) error {
	byID := &by
	return r.w.QueryRowContext(ctx, `INSERT INTO contract_payments (contract_id, paid_on, amount, note, created_at, created_by)
		VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, contractID, r.d.date(p.PaidOn), p.Amount, p.Note,
		r.d.time(nowUTC()), nullID(byID)).Scan(&p.ID)
}

// DeletePayment removes a payment of a contract: a payment entered by mistake is gone, the
// contract's audit entry keeps what it was.
func (r repo) DeletePayment(ctx context.Context, contractID, paymentID int64) error {
	res, err := r.w.ExecContext(ctx, "DELETE FROM contract_payments WHERE id = $1 AND contract_id = $2", paymentID, contractID)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return crm.ErrNotFound
	}
	return nil
}
