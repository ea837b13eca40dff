package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Bulk writes (crm.BulkRepo) insert many rows per statement: a million contacts at one
// statement per row would take an hour of round trips. Each batch of records gets its ids up
// front (SQLite: after the highest id, inside the caller's write transaction, which holds the
// database's one write lock; PostgreSQL: from the identity sequence), so that terms, tags and
// history rows can be written in the same multi-row way. The limit on bound parameters of one
// statement (SQLite 32,766; PostgreSQL 65,535) sets the rows per statement.

const maxBulkParams = 30000

// BulkCreateCompanies inserts companies with their search terms and tags and fills their ids.
func (r repo) BulkCreateCompanies(ctx context.Context, cs []*crm.Company) error {
	return bulkCreateRecords(ctx, r, "companies", crm.EntityCompany, companyWritten, cs,
		func(c *crm.Company) *crm.Meta { return &c.Meta },
		func(c *crm.Company) ([]any, recordTerms, []string) {
			if c.Kind == "" {
				c.Kind = crm.KindLegal
			}
			return companyValues(c), bulkCompanyTerms(c), c.Tags
		})
}

// BulkCreateContacts inserts contacts with their search terms and tags and fills their ids.
func (r repo) BulkCreateContacts(ctx context.Context, cs []*crm.Contact) error {
	return bulkCreateRecords(ctx, r, "contacts", crm.EntityContact, contactWritten, cs,
		func(c *crm.Contact) *crm.Meta { return &c.Meta },
		func(c *crm.Contact) ([]any, recordTerms, []string) {
			return contactValues(c), bulkContactTerms(c), c.Tags
		})
}

// bulkCreateRecords is the bulk create of a record type whose row is the single-row create's
// columns (written) and values, plus search terms and tags. Each record gets its id and
// metadata first; then row gives its values, terms and tags, so that they are what is stored.
func bulkCreateRecords[T any](ctx context.Context, r repo, table, entity, written string, recs []T,
	meta func(T) *crm.Meta, row func(T) (values []any, terms recordTerms, tags []string)) error {
	if len(recs) == 0 {
		return nil
	}
	ids, err := r.bulkReserveIDs(ctx, table, len(recs))
	if err != nil {
		return err
	}
	now := nowUTC()
	rows := make([][]any, len(recs))
	var terms []bulkTerm
	var tags []bulkTag
	for i, rec := range recs {
		m := meta(rec)
		m.ID = ids[i]
		stampBulk(m, now)
		vals, recTerms, recTags := row(rec)
		rows[i] = r.bulkRow(m, vals)
		terms = appendBulkTerms(terms, entity, m.ID, recTerms)
		tags = appendBulkTags(tags, entity, m.ID, recTags)
	}
	if err := r.bulkInsert(ctx, table, bulkColumns(written), rows); err != nil {
		return r.writeErr(err)
	}
	return r.bulkInsertTermsAndTags(ctx, terms, tags)
}

// bulkRow is one row of a multi-row INSERT: the id, the values a single-row create writes,
// and the metadata (version 1), in the order of bulkColumns.
func (r repo) bulkRow(m *crm.Meta, values []any) []any {
	return append(append([]any{m.ID}, values...), r.d.time(m.CreatedAt), nullID(m.CreatedBy), r.d.time(m.UpdatedAt), nullID(m.UpdatedBy), 1)
}

// BulkCreateDeals inserts deals with their lines, first stage-history row, search terms and
// tags, and fills their ids. The caller has checked topics and stages; StageEnteredAt defaults
// to the creation time.
func (r repo) BulkCreateDeals(ctx context.Context, ds []*crm.Deal) error {
	if len(ds) == 0 {
		return nil
	}
	ids, err := r.bulkReserveIDs(ctx, "deals", len(ds))
	if err != nil {
		return err
	}
	now := nowUTC()
	rows := make([][]any, len(ds))
	history := make([][]any, len(ds))
	var lines [][]any
	var terms []bulkTerm
	var tags []bulkTag
	for i, d := range ds {
		d.ID = ids[i]
		stampBulk(&d.Meta, now)
		if d.Status == "" {
			d.Status = crm.DealOpen
		}
		if d.Currency == "" {
			d.Currency = crm.BaseCurrency
		}
		if d.StageEnteredAt.IsZero() {
			d.StageEnteredAt = d.CreatedAt
		}
		// The single-row create's own column list keeps both writes the same.
		vals, err := r.dealValues(d)
		if err != nil {
			return err
		}
		rows[i] = r.bulkRow(&d.Meta, vals)
		history[i] = []any{d.ID, nil, d.StageID, r.d.time(d.StageEnteredAt), nullID(d.CreatedBy)}
		for j := range d.Lines {
			l := &d.Lines[j]
			l.Amount = l.Quantity * l.Price
			lines = append(lines, []any{d.ID, j, nullID(l.ProductID), l.Description, l.Quantity, l.Price, l.Amount})
		}
		terms = appendBulkTerms(terms, crm.EntityDeal, d.ID, bulkDealTerms(d))
		tags = appendBulkTags(tags, crm.EntityDeal, d.ID, d.Tags)
	}
	err = r.bulkInsert(ctx, "deals", []string{"id", "name", "company_id", "contact_id", "topic_id", "stage_id", "status",
		"amount", "currency", "probability", "probability_manual", "expected_close",
		"responsible_id", "directorate_id", "product_id", "project_id",
		"type", "loss_reason", "lost_at_stage_id", "closed_at", "stage_entered_at",
		"source_lead_id", "source_event_id", "source_campaign_id",
		"tags", "attributes", "description", "search",
		"created_at", "created_by", "updated_at", "updated_by", "version"}, rows)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.bulkInsert(ctx, "deal_stage_history", []string{"deal_id", "from_stage_id", "to_stage_id", "at", "by_user"}, history); err != nil {
		return err
	}
	if err := r.bulkInsert(ctx, "deal_lines", []string{"deal_id", "position", "product_id", "description", "quantity", "price", "amount"}, lines); err != nil {
		return err
	}
	return r.bulkInsertTermsAndTags(ctx, terms, tags)
}

// bulkColumns lists id, the columns a single-row create writes, and the metadata, for a
// multi-row INSERT of the same values.
func bulkColumns(written string) []string {
	cols := []string{"id"}
	for _, c := range strings.Split(written, ",") {
		cols = append(cols, strings.TrimSpace(c))
	}
	return append(cols, "created_at", "created_by", "updated_at", "updated_by", "version")
}

// stampBulk sets the creation metadata, keeping a creation time the caller chose (the demo
// spreads records over the past year; an import leaves it zero).
func stampBulk(m *crm.Meta, now time.Time) {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = now
	}
	m.CreatedAt = m.CreatedAt.UTC().Truncate(time.Microsecond)
	m.UpdatedAt, m.UpdatedBy, m.Version = m.CreatedAt, m.CreatedBy, 1
}

// reserveIDs returns n ids for new rows of table, in increasing order.
func (r repo) bulkReserveIDs(ctx context.Context, table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if r.d.name() == "postgres" {
		rows, err := r.w.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	// AUTOINCREMENT never hands out an id again, even of a row since removed: start past both
	// the highest row and the table's sequence. Inside the write transaction nobody else can.
	var last int64
	err := r.w.QueryRowContext(ctx, fmt.Sprintf(`SELECT MAX(m) FROM (SELECT COALESCE(MAX(id), 0) AS m FROM %s
		UNION ALL SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = $1) s`, table), table).Scan(&last)
	if err != nil {
		return nil, err
	}
	for i := 1; i <= n; i++ {
		ids = append(ids, last+int64(i))
	}
	return ids, nil
}

// insertRows writes rows into table with as many rows per statement as the parameter limit
// allows.
func (r repo) bulkInsert(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, maxBulkParams/len(columns))
	// SQLite gets anonymous ? parameters: the driver looks each $N up by name, which at
	// thousands of parameters per statement costs more than the insert itself.
	sqlite := r.d.name() == "sqlite"
	head := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "
	var sb strings.Builder
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		sb.Reset()
		sb.WriteString(head)
		args := make([]any, 0, len(batch)*len(columns))
		for i, row := range batch {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('(')
			for j, v := range row {
				if j > 0 {
					sb.WriteByte(',')
				}
				args = append(args, v)
				if sqlite {
					sb.WriteByte('?')
				} else {
					sb.WriteByte('$')
					sb.WriteString(bulkItoa(len(args)))
				}
			}
			sb.WriteByte(')')
		}
		if _, err := r.w.ExecContext(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("bulk insert into %s: %w", table, err)
		}
	}
	return nil
}

func bulkItoa(n int) string { return fmt.Sprint(n) }

type bulkTerm struct {
	term, entity string
	id           int64
}

type bulkTag struct {
	entity, tag string
	id          int64
}

func appendBulkTerms(out []bulkTerm, entity string, id int64, terms recordTerms) []bulkTerm {
	for t := range terms {
		if len(t) <= 200 { // as replaceTerms: longer is not a word anyone types
			out = append(out, bulkTerm{t, entity, id})
		}
	}
	return out
}

func appendBulkTags(out []bulkTag, entity string, id int64, tags []string) []bulkTag {
	seen := map[string]bool{}
	for _, t := range tags {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, bulkTag{entity, t, id})
		}
	}
	return out
}

func (r repo) bulkInsertTermsAndTags(ctx context.Context, terms []bulkTerm, tags []bulkTag) error {
	rows := make([][]any, len(terms))
	for i, t := range terms {
		rows[i] = []any{t.term, t.entity, t.id}
	}
	if err := r.bulkInsert(ctx, "record_terms", []string{"term", "entity", "record_id"}, rows); err != nil {
		return err
	}
	rows = make([][]any, len(tags))
	for i, t := range tags {
		rows[i] = []any{t.entity, t.tag, t.id}
	}
	return r.bulkInsert(ctx, "record_tags", []string{"entity", "tag", "record_id"}, rows)
}

// The terms and search text of each record type, as the single-row writes index them.

func bulkCompanyTerms(c *crm.Company) recordTerms {
	return recordTerms{}.words(c.Name, c.LegalName).emails(c.Emails...).phones(c.Phones...).ids(c.INN)
}

func bulkContactTerms(c *crm.Contact) recordTerms {
	return recordTerms{}.words(c.FullName()).emails(c.Emails...).phones(c.Phones...)
}

func bulkDealTerms(d *crm.Deal) recordTerms {
	return recordTerms{}.words(d.Name, d.Description) // as writeDealExtras
}

func bulkCompanySearch(c *crm.Company) string {
	return searchText(c.Name, c.LegalName, c.INN)
}

func bulkContactSearch(c *crm.Contact) string {
	return searchText(c.FullName(), strings.Join(c.Emails, " "))
}

func bulkNullText(s string) any {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return s
}

// Analyze refreshes the planner's statistics after a bulk load, as a running database's
// autovacuum would: ANALYZE, and on PostgreSQL VACUUM too, which sets the visibility map that
// index-only scans (the search's record_terms ranges) need to skip the table.
func (db *DB) Analyze(ctx context.Context) error {
	stmt := "ANALYZE"
	if db.dialect.name() == "postgres" {
		stmt = "VACUUM ANALYZE"
	}
	_, err := db.writer.ExecContext(ctx, stmt)
	return err
}
