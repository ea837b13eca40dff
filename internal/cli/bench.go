package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/bench"
)

// runBench measures the sales core on a large database: it fills the database with the large
// demo once (or takes one filled earlier) and prints list, search, kanban and API figures
// against the targets of docs/performance.md.
func runBench(env *Env, args []string) error {
	fs, d := newFlagSet(env, "bench", "[--contacts N] [--db-url URL] [--rounds N]")
	contacts := fs.Int("contacts", 1000000, "contacts to generate (companies and deals in the issue's proportions: 1 and 0.3 per 5 and 10 contacts)")
	dir := fs.String("bench-dir", "./bench-data", "directory for the generated SQLite database and fill markers")
	rounds := fs.Int("rounds", 30, "repetitions of each request for the percentiles")
	rateFor := fs.Duration("rate-for", 5*time.Second, "how long the request-rate measurement runs")
	importN := fs.Int("import", 0, "instead: import this many contacts from a generated CSV (one row in 20 a duplicate) into a fresh database and time it")
	importURL := fs.String("import-db-url", "", "with --import: an empty database to import into (default: a new SQLite file in --bench-dir)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *contacts < 100 {
		return usagef("--contacts must be at least 100")
	}
	if *importN > 0 {
		return benchImport(env, *importN, *importURL, *dir)
	}
	cfg := bench.Config{DBURL: d.dbURL, Size: bench.SizeFor(*contacts), Rounds: *rounds, RateFor: *rateFor, Out: env.Stdout}
	switch {
	case cfg.DBURL == "":
		// Never the data directory's own database: a benchmark database is generated apart.
		cfg.DBURL = "sqlite:" + filepath.Join(*dir, fmt.Sprintf("ladder-%d.db", *contacts))
	case strings.HasPrefix(cfg.DBURL, "postgres"):
		cfg.Marker = bench.PostgresMarker(*dir, cfg.DBURL)
	}
	results, err := bench.Run(env.Ctx, cfg)
	if err != nil {
		return err
	}
	missed := 0
	for _, r := range results {
		if !r.Met {
			missed++
		}
	}
	fmt.Fprintf(env.Stdout, "%d figures, %d targets missed\n", len(results), missed)
	return nil
}

func benchImport(env *Env, n int, dbURL, dir string) error {
	if dbURL == "" {
		path := filepath.Join(dir, fmt.Sprintf("import-%d.db", n))
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		dbURL = "sqlite:" + path
	}
	r, err := bench.RunImport(env.Ctx, bench.ImportConfig{DBURL: dbURL, Contacts: n, Out: env.Stdout})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, r)
	return nil
}
