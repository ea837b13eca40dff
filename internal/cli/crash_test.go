package cli

import (
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestKillDuringWrites kills `ladder serve` with SIGKILL in the middle of a stream of writes,
// restarts it and checks that every acknowledged write is there and nothing is half-written:
// each project has exactly its audit entry (they share one transaction) and SQLite's own
// integrity check passes.
func TestKillDuringWrites(t *testing.T) {
	dir := t.TempDir()
	token := adminToken(t, dir)
	srv := startServer(t, "--data-dir", dir, "--admin-password", "first-admin-password")

	var acked sync.Map // id → name
	var nAcked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Проект %d-%d", w, i)
				var p struct {
					ID int64 `json:"id"`
				}
				code, err := api(http.MethodPost, srv.URL+"/api/v1/projects", token, map[string]any{"name": name, "description": "crash test"}, &p)
				if err != nil {
					continue // the server died under us: not acknowledged
				}
				if code == http.StatusCreated || code == http.StatusOK {
					acked.Store(p.ID, name)
					nAcked.Add(1)
				}
			}
		}(w)
	}
	deadline := time.Now().Add(30 * time.Second)
	for nAcked.Load() < 100 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.cmd.Wait()
	close(stop)
	wg.Wait()
	if nAcked.Load() < 100 {
		t.Fatalf("only %d writes acknowledged before the kill; output:\n%s", nAcked.Load(), srv.out.String())
	}

	srv = startServer(t, "--data-dir", dir)
	missing := 0
	acked.Range(func(k, v any) bool {
		var p struct {
			Name string `json:"name"`
		}
		code, err := api(http.MethodGet, fmt.Sprintf("%s/api/v1/projects/%d", srv.URL, k), token, nil, &p)
		if err != nil || code != http.StatusOK || p.Name != v {
			missing++
			t.Errorf("acknowledged project %d (%v): status %d, name %q, err %v", k, v, code, p.Name, err)
		}
		return true
	})
	t.Logf("%d acknowledged writes, %d missing after kill -9 and restart", nAcked.Load(), missing)

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "ladder.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	var orphans int
	err = db.QueryRow(`SELECT COUNT(*) FROM projects p WHERE NOT EXISTS (
		SELECT 1 FROM audit_log a WHERE a.entity = 'project' AND a.action = 'create' AND a.record_id = p.id)`).Scan(&orphans)
	if err != nil || orphans != 0 {
		t.Fatalf("projects without their audit entry: %d (%v)", orphans, err)
	}
	err = db.QueryRow(`SELECT COUNT(*) FROM audit_log a WHERE a.entity = 'project' AND a.action = 'create'
		AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = a.record_id)`).Scan(&orphans)
	if err != nil || orphans != 0 {
		t.Fatalf("audit entries without their project: %d (%v)", orphans, err)
	}
}
