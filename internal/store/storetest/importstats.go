package storetest

import (
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
)

func init() {
	importTests = append(importTests, storeTest{"ImportRefreshesStatistics", testImportRefreshesStatistics})
}

// testImportRefreshesStatistics: on PostgreSQL a batch that takes a job past 1,000 rows
// analyses record_terms and the job's table, so that the dedup lookups of later batches are
// planned from the term index (ImportMatches); a batch that passes no power of ten does not.
func testImportRefreshesStatistics(t *testing.T, db *store.DB) {
	if db.Dialect() != "postgres" {
		t.Skip("SQLite plans the lookups without statistics")
	}
	drainClaimable(t, db)
	j := newImportJob(t, db, unique("sha-stats-"), crm.ImportQueued)
	now := time.Now()
	_, err := db.ClaimImportJob(ctx, j.ID, "w", now, now.Add(time.Minute))
	must(t, err)
	analyses := func() (n int64) {
		t.Helper()
		must(t, db.Writer().QueryRowContext(ctx, `SELECT COALESCE(SUM(analyze_count), 0) FROM pg_stat_user_tables
			WHERE relname IN ('record_terms', 'companies')`).Scan(&n))
		return n
	}
	batch := func(from, to int64) crm.ImportBatch {
		b := crm.ImportBatch{JobID: j.ID, Owner: "w", Checkpoint: to}
		for n := from; n <= to; n++ {
			b.Rows = append(b.Rows, crm.ImportRow{RowNo: n, Outcome: crm.RowError, Message: `{"name":"err.required"}`})
		}
		return b
	}
	before := analyses()
	must(t, db.InTx(ctx, func(tx crm.Repo) error { return tx.CommitImportBatch(ctx, batch(1, 600)) }))
	// The statistics collector reports asynchronously; give it time before saying "none".
	time.Sleep(700 * time.Millisecond)
	if got := analyses(); got != before {
		t.Fatalf("600 rows: %d analyses, want none", got-before)
	}
	must(t, db.InTx(ctx, func(tx crm.Repo) error { return tx.CommitImportBatch(ctx, batch(601, 1200)) }))
	deadline := time.Now().Add(5 * time.Second)
	for analyses() < before+2 {
		if time.Now().After(deadline) {
			t.Fatalf("1,200 rows: %d analyses of record_terms and companies, want 2", analyses()-before)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
