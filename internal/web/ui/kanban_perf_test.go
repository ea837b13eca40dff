package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// TestKanbanSpeedAt300kDeals fills one topic with 300,000 deals and checks that the board
// renders in under 300 ms: only the column heads are aggregated (from the covering index
// deals_stage_amount), each column reads its first 30 cards. It takes a minute or two to
// fill, so it runs only with LADDER_PERF=1 (CI=true adds PostgreSQL as everywhere).
func TestKanbanSpeedAt300kDeals(t *testing.T) {
	if os.Getenv("LADDER_PERF") != "1" {
		t.Skip("set LADDER_PERF=1 to fill 300,000 deals and time the board")
	}
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			env := testenv.Start(t, testenv.Options{DBURL: k.URL(t)})
			topics, err := env.App.ActiveTopics(env.AdminCtx())
			if err != nil {
				t.Fatal(err)
			}
			topic := topics[0]
			const total, batch = 300_000, 5_000
			start := time.Now()
			entered := time.Now().Add(-time.Hour)
			for done := 0; done < total; done += batch {
				ds := make([]*crm.Deal, 0, batch)
				for i := 0; i < batch; i++ {
					n := done + i
					st := topic.Stages[n%len(topic.Stages)]
					ds = append(ds, &crm.Deal{Name: fmt.Sprintf("Сделка %d", n), TopicID: topic.ID, StageID: st.ID,
						Amount: int64(n%1000) * 100_00, Probability: st.Probability, Tags: []string{}, Attributes: crm.Attributes{},
						StageEnteredAt: entered.Add(time.Duration(n) * time.Millisecond)})
				}
				if err := env.DB.InTx(context.Background(), func(r crm.Repo) error { return r.BulkCreateDeals(context.Background(), ds) }); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%s: filled %d deals in %v", k.Name, total, time.Since(start).Round(time.Second))
			// Planner statistics, as autovacuum or a periodic ANALYZE keeps them on a running server.
			if err := env.DB.Analyze(context.Background()); err != nil {
				t.Fatal(err)
			}
			b := loggedIn(t, env, "admin", env.AdminPassword)
			path := fmt.Sprintf("/deals/board?topic=%d", topic.ID)
			mustStatus(t, b.get(path), http.StatusOK) // warm the caches as a running server has them
			best := time.Hour
			for i := 0; i < 5; i++ {
				t0 := time.Now()
				p := b.get(path)
				mustStatus(t, p, http.StatusOK)
				best = min(best, time.Since(t0))
			}
			t.Logf("%s: board of %d deals in %v", k.Name, total, best)
			if best > 300*time.Millisecond {
				t.Fatalf("%s: board took %v, want < 300 ms", k.Name, best)
			}
		})
	}
}
