package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
)

var importTests = []storeTest{
	{"ImportJobLifecycle", testImportJobLifecycle},
	{"ImportLeaseTakeover", testImportLeaseTakeover},
	{"ImportRowsExactlyOnce", testImportRowsExactlyOnce},
	{"ImportPriorRowsAndMatches", testImportPriorRowsAndMatches},
}

func newImportJob(t *testing.T, db *store.DB, sha string, status crm.ImportStatus) *crm.ImportJob {
	t.Helper()
	u := newUser(t, db, crm.Roles{crm.RoleSales})
	j := &crm.ImportJob{Entity: crm.EntityCompany, FileName: "Контрагенты.csv", Format: "csv", FileSHA256: sha,
		Mapping: []string{"name", "", "inn"}, Dedup: crm.DedupSkip, Status: status, RowsTotal: 3}
	j.CreatedBy = &u.ID
	must(t, db.CreateImportJob(ctx, j, []byte("Наименование;x;ИНН\r\nАльфа;1;7707083893\r\n")))
	return j
}

// Release any job an earlier subtest left claimable, so that "claim any" finds ours.
func drainClaimable(t *testing.T, db *store.DB) {
	t.Helper()
	for {
		j, err := db.ClaimImportJob(ctx, 0, "drain", time.Now(), time.Now().Add(time.Hour))
		if errors.Is(err, crm.ErrNotFound) {
			return
		}
		must(t, err)
		must(t, db.FinishImportJob(ctx, j.ID, "drain", crm.ImportCancelled, ""))
	}
}

func testImportJobLifecycle(t *testing.T, db *store.DB) {
	drainClaimable(t, db)
	j := newImportJob(t, db, unique("sha-life-"), crm.ImportUploaded)
	got, err := db.ImportJobByID(ctx, j.ID)
	must(t, err)
	if got.FileName != "Контрагенты.csv" || len(got.Mapping) != 3 || got.Mapping[2] != "inn" || got.Status != crm.ImportUploaded ||
		got.FileSize != int64(len("Наименование;x;ИНН\r\nАльфа;1;7707083893\r\n")) || got.Version != 1 {
		t.Fatalf("round trip: %+v", got)
	}
	file, err := db.ImportFile(ctx, j.ID)
	must(t, err)
	if string(file) != "Наименование;x;ИНН\r\nАльфа;1;7707083893\r\n" {
		t.Fatalf("file = %q", file)
	}
	// An uploaded job is not claimable until queued.
	if _, err := db.ClaimImportJob(ctx, j.ID, "w1", time.Now(), time.Now().Add(time.Minute)); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("claim of an uploaded job: %v", err)
	}
	got.Status, got.Dedup, got.Mapping = crm.ImportQueued, crm.DedupUpdate, []string{"name", "phone", "inn"}
	must(t, db.UpdateImportJob(ctx, got))
	stale := *got
	stale.Version = 1
	wantCode(t, db.UpdateImportJob(ctx, &stale), crm.EConflict)

	claimed, err := db.ClaimImportJob(ctx, 0, "w1", time.Now(), time.Now().Add(time.Minute))
	must(t, err)
	if claimed.ID != j.ID || claimed.Status != crm.ImportRunning || claimed.Dedup != crm.DedupUpdate || claimed.StartedAt == nil {
		t.Fatalf("claimed %+v", claimed)
	}
	// Settings of a running job are frozen.
	claimed.Dedup = crm.DedupCreate
	wantCode(t, db.UpdateImportJob(ctx, claimed), crm.EConflict)

	must(t, db.FinishImportJob(ctx, j.ID, "w1", crm.ImportDone, ""))
	done, err := db.ImportJobByID(ctx, j.ID)
	must(t, err)
	if done.Status != crm.ImportDone || done.FinishedAt == nil || done.LeaseOwner != "" {
		t.Fatalf("finished %+v", done)
	}
	// A finished job cannot be cancelled.
	wantCode(t, db.FinishImportJob(ctx, j.ID, "", crm.ImportCancelled, ""), crm.EConflict)

	page, err := db.ListImportJobs(ctx, crm.ImportJobFilter{CreatedBy: *j.CreatedBy})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].ID != j.ID {
		t.Fatalf("list by author: %+v", page.Items)
	}
}

func testImportLeaseTakeover(t *testing.T, db *store.DB) {
	drainClaimable(t, db)
	j := newImportJob(t, db, unique("sha-lease-"), crm.ImportQueued)
	now := time.Now()
	first, err := db.ClaimImportJob(ctx, 0, "worker-a", now, now.Add(time.Minute))
	must(t, err)
	if first.ID != j.ID || first.LeaseOwner != "worker-a" {
		t.Fatalf("first claim %+v", first)
	}
	// A live lease keeps everyone else out.
	if _, err := db.ClaimImportJob(ctx, 0, "worker-b", now.Add(30*time.Second), now.Add(2*time.Minute)); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("claim under a live lease: %v", err)
	}
	must(t, db.RenewImportLease(ctx, j.ID, "worker-a", now.Add(2*time.Minute)))
	wantCode(t, db.RenewImportLease(ctx, j.ID, "worker-b", now.Add(3*time.Minute)), crm.EConflict)
	// worker-a dies: after its lease runs out worker-b takes the job over.
	later := now.Add(3 * time.Minute)
	second, err := db.ClaimImportJob(ctx, 0, "worker-b", later, later.Add(time.Minute))
	must(t, err)
	if second.ID != j.ID || second.LeaseOwner != "worker-b" || second.Status != crm.ImportRunning {
		t.Fatalf("takeover %+v", second)
	}
	// worker-a wakes up: its batch and its renewal are refused, nothing is counted.
	err = db.InTx(ctx, func(tx crm.Repo) error {
		return tx.CommitImportBatch(ctx, crm.ImportBatch{JobID: j.ID, Owner: "worker-a", Checkpoint: 1,
			Rows: []crm.ImportRow{{RowNo: 1, Outcome: crm.RowError, Message: `{"name":"err.required"}`}}})
	})
	wantCode(t, err, crm.EConflict)
	wantCode(t, db.RenewImportLease(ctx, j.ID, "worker-a", later.Add(time.Hour)), crm.EConflict)
	rows, err := db.ImportRows(ctx, j.ID, "", 0, 100)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("a refused batch left rows: %+v", rows)
	}
	// Cancelling stops the job whoever holds it; the holder's next batch is refused.
	must(t, db.FinishImportJob(ctx, j.ID, "", crm.ImportCancelled, ""))
	err = db.InTx(ctx, func(tx crm.Repo) error {
		return tx.CommitImportBatch(ctx, crm.ImportBatch{JobID: j.ID, Owner: "worker-b", Checkpoint: 1,
			Rows: []crm.ImportRow{{RowNo: 1, Outcome: crm.RowError}}})
	})
	wantCode(t, err, crm.EConflict)
}

func testImportRowsExactlyOnce(t *testing.T, db *store.DB) {
	drainClaimable(t, db)
	j := newImportJob(t, db, unique("sha-once-"), crm.ImportQueued)
	now := time.Now()
	_, err := db.ClaimImportJob(ctx, j.ID, "w", now, now.Add(time.Minute))
	must(t, err)
	id := int64(42)
	batch := crm.ImportBatch{JobID: j.ID, Owner: "w", Checkpoint: 1500}
	for n := int64(1); n <= 1500; n++ { // more than one multi-row INSERT
		out := crm.ImportRow{RowNo: n, Outcome: crm.RowCreated, RecordID: &id}
		switch n % 10 {
		case 3:
			out = crm.ImportRow{RowNo: n, Outcome: crm.RowDuplicate, RecordID: &id, Message: "inn"}
		case 7:
			out = crm.ImportRow{RowNo: n, Outcome: crm.RowError, Message: `{"inn":"err.inn"}`}
		}
		batch.Rows = append(batch.Rows, out)
	}
	must(t, db.InTx(ctx, func(tx crm.Repo) error { return tx.CommitImportBatch(ctx, batch) }))
	// The same batch again (a worker retrying after a crash it did not notice) is refused
	// whole: the checkpoint has passed it and the primary key holds.
	err = db.InTx(ctx, func(tx crm.Repo) error { return tx.CommitImportBatch(ctx, batch) })
	if err == nil {
		t.Fatal("a batch committed twice")
	}
	// A batch overlapping by one row rolls back with everything in it.
	overlap := crm.ImportBatch{JobID: j.ID, Owner: "w", Checkpoint: 1502, Rows: []crm.ImportRow{
		{RowNo: 1501, Outcome: crm.RowCreated, RecordID: &id}, {RowNo: 1500, Outcome: crm.RowCreated, RecordID: &id}}}
	if err := db.InTx(ctx, func(tx crm.Repo) error { return tx.CommitImportBatch(ctx, overlap) }); err == nil {
		t.Fatal("overlapping batch committed")
	}
	got, err := db.ImportJobByID(ctx, j.ID)
	must(t, err)
	if got.RowsDone != 1500 || got.Created != 1200 || got.Duplicates != 150 || got.Errors != 150 || got.Checkpoint != 1500 {
		t.Fatalf("counters %+v", got)
	}
	errRows, err := db.ImportRows(ctx, j.ID, crm.RowError, 0, 0)
	must(t, err)
	if len(errRows) != 150 || errRows[0].RowNo != 7 || errRows[0].Message != `{"inn":"err.inn"}` || errRows[0].RecordID != nil {
		t.Fatalf("error rows: %d, first %+v", len(errRows), errRows[0])
	}
	page, err := db.ImportRows(ctx, j.ID, "", 1000, 10)
	must(t, err)
	if len(page) != 10 || page[0].RowNo != 1001 || page[9].RowNo != 1010 {
		t.Fatalf("paging rows: %+v", page)
	}
}

func testImportPriorRowsAndMatches(t *testing.T, db *store.DB) {
	drainClaimable(t, db)
	sha := unique("sha-prior-")
	first := newImportJob(t, db, sha, crm.ImportQueued)
	_, err := db.ClaimImportJob(ctx, first.ID, "w", time.Now(), time.Now().Add(time.Minute))
	must(t, err)
	rec := int64(7)
	must(t, db.InTx(ctx, func(tx crm.Repo) error {
		return tx.CommitImportBatch(ctx, crm.ImportBatch{JobID: first.ID, Owner: "w", Checkpoint: 3, Rows: []crm.ImportRow{
			{RowNo: 1, Outcome: crm.RowCreated, RecordID: &rec}, {RowNo: 2, Outcome: crm.RowError, Message: "{}"},
			{RowNo: 3, Outcome: crm.RowDuplicate, RecordID: &rec}}})
	}))
	second := newImportJob(t, db, sha, crm.ImportUploaded)
	prior, err := db.PriorImportRows(ctx, crm.EntityCompany, sha, second.ID, 1, 3)
	must(t, err)
	if len(prior) != 2 || prior[1] != 7 || prior[3] != 7 {
		t.Fatalf("prior rows: %v", prior)
	}
	if own, err := db.PriorImportRows(ctx, crm.EntityCompany, sha, first.ID, 1, 3); err != nil || len(own) != 0 {
		t.Fatalf("a job's own rows are not prior: %v %v", own, err)
	}
	if other, err := db.PriorImportRows(ctx, crm.EntityContact, sha, second.ID, 1, 3); err != nil || len(other) != 0 {
		t.Fatalf("another entity's rows: %v %v", other, err)
	}

	// Dedup keys: a company with an INN and an external reference, its e-mail and phone in
	// the search index, and a deleted twin that must not match.
	w := db.Writer()
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	var nowArg any = now
	if db.Dialect() == "postgres" {
		nowArg = time.Now().UTC()
	}
	inn, ref, name := unique("77")+"01", unique("ext-"), unique("Альфа ")
	var live, gone int64
	must(t, w.QueryRowContext(ctx, `INSERT INTO companies (name, inn, external_ref, created_at, updated_at) VALUES ($4, $1, $2, $3, $3) RETURNING id`,
		inn, ref, nowArg, name).Scan(&live))
	must(t, w.QueryRowContext(ctx, `INSERT INTO companies (name, inn, created_at, updated_at, deleted_at) VALUES ('Альфа старая', $1, $2, $2, $2) RETURNING id`,
		inn, nowArg).Scan(&gone))
	email, phone := unique("sales")+"@alfa.ru", unique("7916")
	for _, id := range []int64{live, gone} {
		for _, term := range []string{email, phone} {
			_, err := w.ExecContext(ctx, "INSERT INTO record_terms (term, entity, record_id) VALUES ($1, 'company', $2)", term, id)
			must(t, err)
		}
	}
	m, err := db.ImportMatches(ctx, crm.EntityCompany, []string{"inn:" + inn, "ref:" + ref, "name:" + name, "email:" + email, "phone:" + phone,
		"phone:00000", "email:nobody@example.ru", "bad-key"})
	must(t, err)
	for _, k := range []string{"inn:" + inn, "ref:" + ref, "name:" + name, "email:" + email, "phone:" + phone} {
		if len(m[k]) != 1 || m[k][0] != live {
			t.Fatalf("match %s = %v, want [%d] (deleted %d excluded)", k, m[k], live, gone)
		}
	}
	if len(m) != 5 {
		t.Fatalf("unexpected matches: %v", m)
	}
	if _, err := db.ImportMatches(ctx, "users", []string{"email:x"}); crm.ErrorCode(err) != crm.EInvalid {
		t.Fatalf("unknown entity: %v", err)
	}
}
