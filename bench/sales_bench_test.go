package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/ladder-crm/ladder/internal/store/storetest"
)

// BenchmarkSalesCore runs the sales-core suite (list pages, search, kanban, API rate) at
// LADDER_BENCH_CONTACTS contacts (default 1,000,000) on SQLite and PostgreSQL. The databases
// are generated once into ./data (SQLite) and a database ladder_bench_<contacts> on the test
// server, and reused by later runs. Each figure is reported as a metric; the suite runs once
// whatever b.N is, its own rounds giving the percentiles.
func BenchmarkSalesCore(b *testing.B) {
	contacts := 1000000
	if s := os.Getenv("LADDER_BENCH_CONTACTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 100 {
			b.Fatalf("LADDER_BENCH_CONTACTS=%q", s)
		}
		contacts = n
	}
	dir, _ := filepath.Abs("data")
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			cfg := Config{Size: SizeFor(contacts), Out: os.Stderr} // progress as it happens, not after the run
			if kind == "sqlite" {
				cfg.DBURL = "sqlite:" + filepath.Join(dir, fmt.Sprintf("ladder-%d.db", contacts))
			} else {
				cfg.DBURL = postgresBenchDB(b, fmt.Sprintf("ladder_bench_%d", contacts))
				cfg.Marker = PostgresMarker(dir, cfg.DBURL)
			}
			for i := 0; i < b.N; i++ {
				if i > 0 {
					continue
				}
				results, err := Run(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range results {
					unit := strings.NewReplacer(" ", "_", ",", "", ":", "", "(", "", ")", "").Replace(r.Name)
					if r.Rate > 0 {
						b.ReportMetric(r.Rate, unit+"_req/s")
					} else {
						b.ReportMetric(float64(r.P95.Microseconds())/1000, unit+"_p95_ms")
					}
				}
			}
		})
	}
}

// postgresBenchDB makes (once) the named database on the test server and returns its URL.
func postgresBenchDB(b *testing.B, name string) string {
	admin, err := sql.Open("pgx", storetest.PostgresAdminURL())
	if err != nil {
		b.Skip(err)
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		b.Skipf("no PostgreSQL: %v", err)
	}
	var exists bool
	if err := admin.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			b.Fatal(err)
		}
	}
	u := storetest.PostgresAdminURL()
	q := ""
	if i := strings.Index(u, "?"); i >= 0 {
		u, q = u[:i], u[i:]
	}
	return u[:strings.LastIndex(u, "/")+1] + name + q
}

// BenchmarkImportContacts imports LADDER_BENCH_IMPORT contacts (default 100,000; the issue's
// figure is 1,000,000) with dedup into a fresh SQLite database and a fresh PostgreSQL one.
func BenchmarkImportContacts(b *testing.B) {
	n := 100000
	if s := os.Getenv("LADDER_BENCH_IMPORT"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 100 {
			b.Fatalf("LADDER_BENCH_IMPORT=%q", s)
		}
		n = v
	}
	for _, k := range storetest.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if i > 0 {
					continue
				}
				r, err := RunImport(context.Background(), ImportConfig{DBURL: k.URL(b), Contacts: n, Out: os.Stderr})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(r.P50.Seconds(), "import_s")
				b.ReportMetric(float64(n)/r.P50.Seconds(), "rows/s")
			}
		})
	}
}
