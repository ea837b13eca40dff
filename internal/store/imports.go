package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// errLeaseLost is what a worker gets when another worker took its job over.
var errLeaseLost = crm.Errorf(crm.EConflict, "import job lease lost")

const importJobColumns = `j.id, j.entity, j.file_name, j.format, j.file_sha256, j.file_size, j.mapping, j.dedup,
	j.status, j.rows_total, j.rows_done, j.created_count, j.updated_count, j.duplicate_count, j.error_count,
	j.checkpoint, j.lease_owner, j.lease_until, j.error, j.directorate_id, j.started_at, j.finished_at,
	j.created_at, j.created_by, j.updated_at, j.version`

func scanImportJob(row interface{ Scan(...any) error }, j *crm.ImportJob, extra ...any) error {
	var lease, started, finished, created, updated dbTime
	var dir, createdBy sql.NullInt64
	var mapping, dedup, status string
	dest := []any{&j.ID, &j.Entity, &j.FileName, &j.Format, &j.FileSHA256, &j.FileSize, &mapping, &dedup,
		&status, &j.RowsTotal, &j.RowsDone, &j.Created, &j.Updated, &j.Duplicates, &j.Errors,
		&j.Checkpoint, &j.LeaseOwner, &lease, &j.Error, &dir, &started, &finished,
		&created, &createdBy, &updated, &j.Version}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(mapping), &j.Mapping); err != nil {
		return fmt.Errorf("import job %d mapping: %w", j.ID, err)
	}
	j.Dedup, j.Status = crm.DedupMode(dedup), crm.ImportStatus(status)
	j.LeaseUntil, j.StartedAt, j.FinishedAt = lease.ptr(), started.ptr(), finished.ptr()
	j.CreatedAt, j.UpdatedAt = created.T, updated.T
	j.DirectorateID, j.CreatedBy = nullInt(dir), nullInt(createdBy)
	return nil
}

func mappingJSON(m []string) string {
	if m == nil {
		m = []string{}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// CreateImportJob inserts a job and its file in the caller's transaction (or two statements
// outside one: a job without its file is never claimed, since it is not queued yet).
func (r repo) CreateImportJob(ctx context.Context, j *crm.ImportJob, file []byte) error {
	now := nowUTC()
	j.CreatedAt, j.UpdatedAt, j.Version = now, now, 1
	if j.Status == "" {
		j.Status = crm.ImportUploaded
	}
	if j.Dedup == "" {
		j.Dedup = crm.DedupSkip
	}
	j.FileSize = int64(len(file))
	err := r.w.QueryRowContext(ctx, `INSERT INTO import_jobs (entity, file_name, format, file_sha256, file_size,
		mapping, dedup, status, rows_total, directorate_id, created_at, created_by, updated_at, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$11,1) RETURNING id`,
		j.Entity, j.FileName, j.Format, j.FileSHA256, j.FileSize, mappingJSON(j.Mapping), string(j.Dedup),
		string(j.Status), j.RowsTotal, nullID(j.DirectorateID), r.d.time(now), nullID(j.CreatedBy)).Scan(&j.ID)
	if err != nil {
		return err
	}
	_, err = r.w.ExecContext(ctx, "INSERT INTO import_files (job_id, data) VALUES ($1, $2)", j.ID, file)
	return err
}

// ImportJobByID reads one job (without its file).
func (r repo) ImportJobByID(ctx context.Context, id int64) (*crm.ImportJob, error) {
	j := &crm.ImportJob{}
	err := scanImportJob(r.r.QueryRowContext(ctx, "SELECT "+importJobColumns+" FROM import_jobs j WHERE j.id = $1", id), j)
	if err != nil {
		return nil, notFoundOr(err)
	}
	return j, nil
}

// ImportFile reads a job's file.
func (r repo) ImportFile(ctx context.Context, jobID int64) ([]byte, error) {
	var data []byte
	err := r.r.QueryRowContext(ctx, "SELECT data FROM import_files WHERE job_id = $1", jobID).Scan(&data)
	return data, notFoundOr(err)
}

// ListImportJobs reads a page of jobs, newest first by default.
func (r repo) ListImportJobs(ctx context.Context, f crm.ImportJobFilter) (crm.Page[crm.ImportJob], error) {
	q := &listQuery{from: "import_jobs j", columns: importJobColumns, deflt: "created_at", sorts: map[string]sortField{
		"created_at": {"j.created_at", sortTime},
		"id":         {"j.id", sortInt},
	}}
	if f.CreatedBy != 0 {
		q.filter("j.created_by = ?", f.CreatedBy)
	}
	if f.FileSHA256 != "" {
		q.filter("j.file_sha256 = ?", f.FileSHA256) // import_jobs_file
	}
	if f.Entity != "" {
		q.filter("j.entity = ?", f.Entity)
	}
	var page crm.Page[crm.ImportJob]
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		var j crm.ImportJob
		err := scanImportJob(rows, &j, sv...)
		page.Items = append(page.Items, j)
		return j.ID, err
	})
	page.Next, page.Total = next, total
	return page, err
}

// UpdateImportJob writes a job's settings if its version is current and it is not running.
func (r repo) UpdateImportJob(ctx context.Context, j *crm.ImportJob) error {
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, `UPDATE import_jobs SET mapping=$1, dedup=$2, status=$3, rows_total=$4,
		directorate_id=$5, updated_at=$6, version=version+1
		WHERE id=$7 AND version=$8 AND status IN ('uploaded', 'previewed', 'queued')`,
		mappingJSON(j.Mapping), string(j.Dedup), string(j.Status), j.RowsTotal, nullID(j.DirectorateID),
		r.d.time(now), j.ID, j.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		if _, err := r.ImportJobByID(ctx, j.ID); err != nil {
			return err
		}
		return crm.ErrStale
	}
	j.Version++
	j.UpdatedAt = now
	return nil
}

// claimable is the condition of a job a worker may take: queued, or running under a lease
// that ran out (its worker died or hung).
const claimable = `(status = 'queued' OR (status = 'running' AND (lease_until IS NULL OR lease_until < $1)))`

// ClaimImportJob hands one claimable job to owner. The UPDATE re-checks the condition, so of
// two workers racing for one job exactly one changes the row; the other sees 0 rows and looks
// again.
func (r repo) ClaimImportJob(ctx context.Context, id int64, owner string, now, until time.Time) (*crm.ImportJob, error) {
	for attempt := 0; attempt < 5; attempt++ {
		cand := id
		if cand == 0 {
			err := r.w.QueryRowContext(ctx, "SELECT id FROM import_jobs WHERE "+claimable+" ORDER BY id LIMIT 1",
				r.d.time(now)).Scan(&cand)
			if err != nil {
				return nil, notFoundOr(err)
			}
		}
		res, err := r.w.ExecContext(ctx, `UPDATE import_jobs SET status = 'running', lease_owner = $2, lease_until = $3,
			started_at = COALESCE(started_at, $1), updated_at = $1 WHERE id = $4 AND `+claimable,
			r.d.time(now), owner, r.d.time(until), cand)
		if err != nil {
			return nil, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, err
		}
		if n == 1 {
			return r.ImportJobByIDWriter(ctx, cand)
		}
		if id != 0 {
			return nil, crm.ErrNotFound
		}
	}
	return nil, crm.ErrNotFound
}

// ImportJobByIDWriter reads a job through the writer: right after a claim the SQLite read
// pool may not see the change of a transaction still open.
func (r repo) ImportJobByIDWriter(ctx context.Context, id int64) (*crm.ImportJob, error) {
	j := &crm.ImportJob{}
	err := scanImportJob(r.w.QueryRowContext(ctx, "SELECT "+importJobColumns+" FROM import_jobs j WHERE j.id = $1", id), j)
	if err != nil {
		return nil, notFoundOr(err)
	}
	return j, nil
}

// RenewImportLease extends the lease of a job owner still holds.
func (r repo) RenewImportLease(ctx context.Context, id int64, owner string, until time.Time) error {
	res, err := r.w.ExecContext(ctx, `UPDATE import_jobs SET lease_until = $1
		WHERE id = $2 AND lease_owner = $3 AND status = 'running'`, r.d.time(until), id, owner)
	return leaseHeld(res, err)
}

func leaseHeld(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return errLeaseLost
	}
	return nil
}

// importRowsPerInsert keeps a multi-row INSERT well under both databases' parameter limits
// (5 parameters a row).
const importRowsPerInsert = 1000

// CommitImportBatch writes a batch's row outcomes (a primary-key clash aborts the whole
// transaction: a row is never counted twice), then moves the checkpoint and the counters
// under the lease check.
func (r repo) CommitImportBatch(ctx context.Context, b crm.ImportBatch) error {
	var created, updated, dups, errs int64
	for start := 0; start < len(b.Rows); start += importRowsPerInsert {
		chunk := b.Rows[start:min(start+importRowsPerInsert, len(b.Rows))]
		var sb strings.Builder
		sb.WriteString("INSERT INTO import_rows (job_id, row_no, outcome, record_id, message) VALUES ")
		ps := r.params(len(chunk) * 5)
		for i, row := range chunk {
			if i > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, "(%s,%s,%s,%s,%s)", ps.add(b.JobID), ps.add(row.RowNo), ps.add(string(row.Outcome)),
				ps.add(nullID(row.RecordID)), ps.add(row.Message))
		}
		if _, err := r.w.ExecContext(ctx, sb.String(), ps.args...); err != nil {
			return err
		}
	}
	for _, row := range b.Rows {
		switch row.Outcome {
		case crm.RowCreated:
			created++
		case crm.RowUpdated:
			updated++
		case crm.RowDuplicate:
			dups++
		case crm.RowError:
			errs++
		}
	}
	var entity string
	var done int64
	err := r.w.QueryRowContext(ctx, `UPDATE import_jobs SET rows_done = rows_done + $1, created_count = created_count + $2,
		updated_count = updated_count + $3, duplicate_count = duplicate_count + $4, error_count = error_count + $5,
		checkpoint = $6, updated_at = $7 WHERE id = $8 AND lease_owner = $9 AND status = 'running' AND checkpoint < $6
		RETURNING entity, rows_done`,
		int64(len(b.Rows)), created, updated, dups, errs, b.Checkpoint, r.d.time(nowUTC()), b.JobID, b.Owner).Scan(&entity, &done)
	if err == sql.ErrNoRows {
		return errLeaseLost
	}
	if err != nil {
		return err
	}
	return r.refreshImportStats(ctx, entity, done-int64(len(b.Rows)), done)
}

// refreshImportStats analyses the tables an import grows each time its rows done pass a power
// of ten from 1,000 on (a handful of times a job; ANALYZE samples a fixed 30,000 rows). Without
// statistics PostgreSQL took the growing record_terms for a few rows and drove the dedup
// lookups from the entity's table, reading all of it per batch: 2-4 s a lookup at 15,000
// contacts, and growing. Autovacuum would catch up within its nap, but is off on some servers
// and a minute is many batches. SQLite plans the lookups without statistics (see ImportMatches).
func (r repo) refreshImportStats(ctx context.Context, entity string, before, after int64) error {
	table, ok := importTables[entity]
	if !ok || r.d.name() != "postgres" {
		return nil
	}
	for mark := int64(1000); mark <= after; mark *= 10 {
		if before < mark {
			_, err := r.w.ExecContext(ctx, "ANALYZE record_terms, "+table)
			return err
		}
	}
	return nil
}

// FinishImportJob ends a job. Cancelling (owner "") stops a job that is not finished yet,
// whoever runs it; its worker's next batch then finds the lease gone.
func (r repo) FinishImportJob(ctx context.Context, id int64, owner string, status crm.ImportStatus, reason string) error {
	now := r.d.time(nowUTC())
	if owner == "" {
		res, err := r.w.ExecContext(ctx, `UPDATE import_jobs SET status = $1, error = $2, lease_owner = '', lease_until = NULL,
			finished_at = $3, updated_at = $3, version = version + 1
			WHERE id = $4 AND status NOT IN ('done', 'failed', 'cancelled')`, string(status), reason, now, id)
		if err := leaseHeld(res, err); err != nil {
			if _, e := r.ImportJobByIDWriter(ctx, id); e != nil {
				return e
			}
			return crm.ErrStale
		}
		return nil
	}
	res, err := r.w.ExecContext(ctx, `UPDATE import_jobs SET status = $1, error = $2, lease_owner = '', lease_until = NULL,
		finished_at = $3, updated_at = $3, version = version + 1
		WHERE id = $4 AND lease_owner = $5 AND status = 'running'`, string(status), reason, now, id, owner)
	return leaseHeld(res, err)
}

// ImportRows reads row outcomes of a job in row order.
func (r repo) ImportRows(ctx context.Context, jobID int64, outcome crm.RowOutcome, afterRow int64, limit int) ([]crm.ImportRow, error) {
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	q := "SELECT job_id, row_no, outcome, record_id, message FROM import_rows WHERE job_id = $1 AND row_no > $2"
	args := []any{jobID, afterRow}
	if outcome != "" {
		q += " AND outcome = $3"
		args = append(args, string(outcome))
	}
	q += fmt.Sprintf(" ORDER BY row_no LIMIT %d", limit)
	rows, err := r.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.ImportRow
	for rows.Next() {
		var row crm.ImportRow
		var outc string
		var rec sql.NullInt64
		if err := rows.Scan(&row.JobID, &row.RowNo, &outc, &rec, &row.Message); err != nil {
			return nil, err
		}
		row.Outcome, row.RecordID = crm.RowOutcome(outc), nullInt(rec)
		out = append(out, row)
	}
	return out, rows.Err()
}

// PriorImportRows finds which rows of the same file another job of the same entity already
// created, updated or matched a record from.
func (r repo) PriorImportRows(ctx context.Context, entity, sha256 string, exceptJob, from, to int64) (map[int64]int64, error) {
	rows, err := r.w.QueryContext(ctx, `SELECT ir.row_no, ir.record_id FROM import_jobs j
		JOIN import_rows ir ON ir.job_id = j.id
		WHERE j.file_sha256 = $1 AND j.entity = $2 AND j.id <> $3 AND ir.row_no BETWEEN $4 AND $5
		AND ir.outcome IN ('created', 'updated', 'duplicate') AND ir.record_id IS NOT NULL`,
		sha256, entity, exceptJob, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var no, id int64
		if err := rows.Scan(&no, &id); err != nil {
			return nil, err
		}
		out[no] = id
	}
	return out, rows.Err()
}

// importTables maps an importable entity to its table; nothing else reaches the SQL.
var importTables = map[string]string{crm.EntityCompany: "companies", crm.EntityContact: "contacts", crm.EntityDeal: "deals"}

// importKeysPerQuery bounds the IN list of one lookup.
const importKeysPerQuery = 2000

// params collects the bound values of a statement with many of them and writes each one's
// placeholder: ? on SQLite, where the driver looks every $N up by name (5,000 contacts of a
// batch took 50 s with $N and 0.6 s with ?), $N on PostgreSQL. A statement built with params
// uses no other placeholders.
type params struct {
	sqlite bool
	args   []any
}

func (r repo) params(n int) *params {
	return &params{sqlite: r.d.name() == "sqlite", args: make([]any, 0, n)}
}

// add binds v and returns its placeholder.
func (p *params) add(v any) string {
	p.args = append(p.args, v)
	if p.sqlite {
		return "?"
	}
	return "$" + strconv.Itoa(len(p.args))
}

// ImportMatches looks dedup keys up: INN and external reference in their indexed columns,
// e-mails and phones in the search index (the terms recordTerms writes), live records only.
// Reads go through the writer so that a batch sees what earlier batches of its job wrote.
func (r repo) ImportMatches(ctx context.Context, entity string, keys []string) (map[string][]int64, error) {
	table, ok := importTables[entity]
	if !ok {
		return nil, crm.Errorf(crm.EInvalid, "import: unknown entity %q", entity)
	}
	liveCond := "x.deleted_at IS NULL"
	if entity != crm.EntityDeal {
		liveCond += " AND x.merged_into IS NULL"
	}
	live := " AND " + liveCond
	byKind := map[string][]string{}
	for _, k := range keys {
		kind, val, ok := strings.Cut(k, ":")
		if ok && val != "" {
			byKind[kind] = append(byKind[kind], val)
		}
	}
	out := map[string][]int64{}
	// lookup runs query once per chunk of vals (one query per kind for a batch of up to
	// importKeysPerQuery rows): each $$ of query takes the next of extra, (?) the chunk.
	lookup := func(kind, query string, vals []string, extra ...any) error {
		for start := 0; start < len(vals); start += importKeysPerQuery {
			chunk := vals[start:min(start+importKeysPerQuery, len(vals))]
			ps := r.params(len(extra) + len(chunk))
			text := query
			for _, v := range extra {
				text = strings.Replace(text, "$$", ps.add(v), 1)
			}
			marks := make([]string, len(chunk))
			for i, v := range chunk {
				marks[i] = ps.add(v)
			}
			rows, err := r.w.QueryContext(ctx, strings.Replace(text, "(?)", "("+strings.Join(marks, ",")+")", 1), ps.args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var v string
				var id int64
				if err := rows.Scan(&v, &id); err != nil {
					rows.Close()
					return err
				}
				key := kind + ":" + v
				out[key] = append(out[key], id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	}
	if entity == crm.EntityCompany {
		if err := lookup("inn", "SELECT x.inn, x.id FROM companies x WHERE x.inn <> '' AND x.inn IN (?)"+live+" ORDER BY x.id", byKind["inn"]); err != nil {
			return nil, err
		}
		if err := lookup("name", "SELECT x.name, x.id FROM companies x WHERE x.name IN (?)"+live+" ORDER BY x.id", byKind["name"]); err != nil {
			return nil, err
		}
		if err := lookup("ref", "SELECT x.external_ref, x.id FROM companies x WHERE x.external_ref IN (?)"+live+" ORDER BY x.id", byKind["ref"]); err != nil {
			return nil, err
		}
	}
	// SQLite, without statistics, would walk record_terms by (entity, record_id), every term
	// of the entity, rather than seek each term in the primary key; "+" keeps it off that index.
	entityCol := "t.entity"
	if r.d.name() == "sqlite" {
		entityCol = "+t.entity"
	}
	// The record's liveness is a scalar subquery by primary key, not a join: a join let
	// PostgreSQL drive the lookup from the entity's table (every record, then its terms) when
	// its estimates were off; a subquery keeps the term index in front.
	for _, kind := range []string{"email", "phone"} {
		q := "SELECT t.term, t.record_id FROM record_terms t WHERE " + entityCol + " = $$ AND t.term IN (?)" +
			" AND (SELECT " + liveCond + " FROM " + table + " x WHERE x.id = t.record_id) ORDER BY t.record_id"
		if err := lookup(kind, q, byKind[kind], entity); err != nil {
			return nil, err
		}
	}
	return out, nil
}
