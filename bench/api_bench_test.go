// Package bench holds Ladder's performance benchmarks. They never run as timed tests: run them
// with `go test -bench . -run '^$' ./bench/` (never under -race) and write the figures into
// docs/performance.md with the machine they were taken on.
package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// BenchmarkAPIListProjects measures an authenticated API list call (token lookup, permission
// check, keyset page of 50 projects with the total count) against a table of 10,000 projects,
// on SQLite and PostgreSQL, with as many parallel clients as GOMAXPROCS×4.
func BenchmarkAPIListProjects(b *testing.B) {
	for _, k := range storetest.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			env := testenv.Start(b, testenv.Options{DBURL: k.URL(b)})
			d := env.CreateDirectorate(b, "Дирекция корпоративных продаж")
			u, _ := env.CreateUser(b, "bench", crm.Roles{crm.RoleSales}, d.ID)
			fill(b, env, u, 10000)
			token := env.Token(b, u, true)
			url := env.URL + "/api/v1/projects?limit=50&sort=name"
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodGet, url, nil)
					req.Header.Set("Authorization", "Bearer "+token)
					res, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						b.Errorf("status %d", res.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// fill inserts n projects in batches of one transaction each (the use case path would write an
// audit row per project and take minutes on PostgreSQL's fsync; the list call does not care).
func fill(b *testing.B, env *testenv.Env, u *crm.User, n int) {
	b.Helper()
	ctx := context.Background()
	for start := 0; start < n; start += 1000 {
		err := env.DB.InTx(ctx, func(r crm.Repo) error {
			for i := start; i < start+1000 && i < n; i++ {
				p := &crm.Project{Name: fmt.Sprintf("Проект %05d", i), Status: crm.ProjectActive,
					DirectorateID: &u.Directorates[0], ResponsibleID: &u.ID}
				p.CreatedBy = &u.ID
				if err := r.CreateProject(ctx, p); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// Planner statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) would have
	// them on a database that has been running: without them PostgreSQL sorts the whole table.
	if _, err := env.DB.Writer().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
}
