package cli

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestKillDuringImport kills `ladder import` with SIGKILL in the middle of a large file, runs
// the same command again and checks that it resumed the job and that every row of the file was
// imported exactly once: one contact per row, one row outcome per row, no row twice.
//
// 100,000 rows (the acceptance criterion); 10,000 under the race detector, which makes the
// import several times slower; LADDER_IMPORT_CRASH_ROWS sets another count.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("large import")
	}
	n := 100_000
	if raceEnabled {
		n = 10_000
	}
	if s := os.Getenv("LADDER_IMPORT_CRASH_ROWS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "contacts.csv")
	importCSV(t, file, n)
	if code, _, errs := run(t, "migrate", "up", "--data-dir", dir); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "ladder.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string) int {
		var c int
		if err := db.QueryRow(q).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LADDER_IMPORT_LEASE=2s",
		childArgs+"="+strings.Join([]string{"import", "contacts", file, "--data-dir", dir}, "\x1f"))
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once a good part is in, but well before the end.
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		if c := count("SELECT COUNT(*) FROM import_rows"); c >= n/5 {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	before := count("SELECT COUNT(*) FROM import_rows")
	if before == 0 || before >= n {
		t.Fatalf("killed at %d of %d rows: not in the middle; output:\n%s", before, n, out.String())
	}
	t.Logf("killed after %d of %d rows", before, n)

	t.Setenv("LADDER_IMPORT_LEASE", "2s")
	code, stdout, errs := runEnv(t, map[string]string{"LADDER_IMPORT_LEASE": "2s"}, "import", "contacts", file, "--data-dir", dir)
	if code != 0 || !strings.Contains(errs, "resuming import job 1") {
		t.Fatalf("resume: %d\n%s\n%s", code, stdout, errs)
	}
	if !strings.Contains(stdout, "import job 1 done: "+strconv.Itoa(n)+" rows: created "+strconv.Itoa(n)+", updated 0, duplicates 0, errors 0") {
		t.Fatalf("summary: %s", stdout)
	}
	if c := count("SELECT COUNT(*) FROM contacts"); c != n {
		t.Fatalf("%d contacts for %d rows", c, n)
	}
	if c := count("SELECT COUNT(DISTINCT emails) FROM contacts"); c != n {
		t.Fatalf("%d distinct contacts for %d rows", c, n)
	}
	if c := count("SELECT COUNT(*) FROM import_rows WHERE job_id = 1"); c != n {
		t.Fatalf("%d row outcomes for %d rows", c, n)
	}
	if c := count("SELECT COUNT(DISTINCT record_id) FROM import_rows WHERE job_id = 1 AND outcome = 'created'"); c != n {
		t.Fatalf("%d distinct created records for %d rows", c, n)
	}
	if c := count("SELECT MAX(row_no) FROM import_rows"); c != n {
		t.Fatalf("last row %d, want %d", c, n)
	}
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
}

// runEnv runs one command in-process with extra environment values visible to it.
func runEnv(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	code := Main(&Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}, args)
	return code, out.String(), errb.String()
}
