package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// cliEntities maps the command line's plural names to entities.
var cliEntities = map[string]string{"companies": crm.EntityCompany, "contacts": crm.EntityContact, "deals": crm.EntityDeal}

// runImport imports a file in the foreground through the same job as the web import: a job
// interrupted (Ctrl-C, kill -9) is resumed by running the same command again, and rows already
// imported are not imported twice.
func runImport(env *Env, args []string) error {
	fs, d := newFlagSet(env, "import", "companies|contacts|deals FILE [--dedup skip|update|create] [--map \"Column=field,...\"]")
	dedup := fs.String("dedup", "skip", "what to do with a row matching an existing record by phone, e-mail, INN: skip, update or create")
	mapping := fs.String("map", "", `column mapping overriding the guess: "Column title=field,..." (an empty field ignores the column)`)
	dir := fs.Int64("directorate", 0, "directorate id of the new records (default: none)")
	pos, err := parseInterleaved(fs, args, 2)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("want an entity (companies, contacts or deals) and a file")
	}
	entity, ok := cliEntities[pos[0]]
	if !ok {
		return usagef("unknown entity %q: use companies, contacts or deals", pos[0])
	}
	mode := crm.DedupMode(*dedup)
	if !mode.Valid() {
		return usagef("--dedup must be skip, update or create")
	}
	data, err := os.ReadFile(pos[1])
	if err != nil {
		return err
	}
	if d, err := time.ParseDuration(env.Getenv("LADDER_IMPORT_LEASE")); err == nil && d > 0 {
		app.ImportLease = d
	}
	db, err := d.open(env.Ctx, quietLog())
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, quietLog())
	ctx := withSystem(env.Ctx)

	job, err := unfinishedJob(ctx, a, entity, data)
	if err != nil {
		return err
	}
	if job != nil {
		fmt.Fprintf(env.Stderr, "resuming import job %d of %s after row %d\n", job.ID, job.FileName, job.Checkpoint)
	} else {
		job, err = a.CreateImport(ctx, entity, filepath.Base(pos[1]), data, *dir)
		if err != nil {
			return err
		}
		head, err := a.ImportHead(ctx, job, 0)
		if err != nil {
			return err
		}
		m, err := applyMap(job.Mapping, head.Header, *mapping)
		if err != nil {
			return err
		}
		printMapping(env, head.Header, m)
		if job, err = a.SetImportMapping(ctx, job.ID, job.Version, m, mode); err != nil {
			return err
		}
		if job, err = a.StartImport(ctx, job.ID, job.Version); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "import job %d: %d rows of %s\n", job.ID, job.RowsTotal, job.FileName)
	}
	owner := fmt.Sprintf("cli/%d/%d", os.Getpid(), time.Now().UnixNano())
	waited := false
	for {
		done, err := a.RunImport(env.Ctx, owner, job.ID, func(j *crm.ImportJob) {
			fmt.Fprintf(env.Stderr, "rows %d/%d: created %d, updated %d, duplicates %d, errors %d\n",
				j.RowsDone, j.RowsTotal, j.Created, j.Updated, j.Duplicates, j.Errors)
		})
		if crm.ErrorCode(err) == crm.ENotFound {
			cur, err := a.ImportJob(ctx, job.ID)
			if err != nil {
				return err
			}
			if cur.Status.Finished() {
				return summary(env, ctx, a, cur)
			}
			// Another worker (a server, or a killed run whose lease has not run out) holds it.
			if !waited {
				fmt.Fprintf(env.Stderr, "import job %d is held by another worker; waiting for its lease to end\n", job.ID)
				waited = true
			}
			select {
			case <-env.Ctx.Done():
				return env.Ctx.Err()
			case <-time.After(500 * time.Millisecond):
			}
			continue
		}
		if err != nil {
			return err
		}
		return summary(env, ctx, a, done)
	}
}

// unfinishedJob finds a job of the same file and entity that has not finished, to resume it.
func unfinishedJob(ctx context.Context, a *app.App, entity string, data []byte) (*crm.ImportJob, error) {
	sum := sha256Hex(data)
	page := crm.PageRequest{Limit: crm.MaxPageSize, Sort: "created_at", Desc: true}
	p, err := a.ListImportJobs(ctx, page)
	if err != nil {
		return nil, err
	}
	for i := range p.Items {
		j := p.Items[i]
		if j.FileSHA256 == sum && j.Entity == entity && (j.Status == crm.ImportQueued || j.Status == crm.ImportRunning) {
			return &j, nil
		}
	}
	return nil, nil
}

// applyMap applies --map "Title=field,..." over the guessed mapping.
func applyMap(guess, header []string, spec string) ([]string, error) {
	m := slices.Clone(guess)
	if strings.TrimSpace(spec) == "" {
		return m, nil
	}
	for _, part := range strings.Split(spec, ",") {
		title, field, ok := strings.Cut(part, "=")
		if !ok {
			return nil, usagef("--map: %q is not Column=field", part)
		}
		title, field = strings.TrimSpace(title), strings.TrimSpace(field)
		found := false
		for i, h := range header {
			if strings.EqualFold(h, title) {
				m[i], found = field, true
			}
		}
		if !found {
			return nil, usagef("--map: the file has no column %q (columns: %s)", title, strings.Join(header, ", "))
		}
	}
	return m, nil
}

func printMapping(env *Env, header, m []string) {
	for i, h := range header {
		f := m[i]
		if f == "" {
			f = "(ignored)"
		}
		fmt.Fprintf(env.Stderr, "  %-30s → %s\n", h, f)
	}
}

// summary prints the job's counts and its first row errors.
func summary(env *Env, ctx context.Context, a *app.App, j *crm.ImportJob) error {
	fmt.Fprintf(env.Stdout, "import job %d %s: %d rows: created %d, updated %d, duplicates %d, errors %d\n",
		j.ID, j.Status, j.RowsDone, j.Created, j.Updated, j.Duplicates, j.Errors)
	if j.Status == crm.ImportFailed {
		return errors.New(j.Error)
	}
	rows, err := a.ImportRowOutcomes(ctx, j.ID, crm.RowError, 0, 20)
	if err != nil {
		return err
	}
	cat := i18n.Default()
	for _, r := range rows {
		var problems map[string]string
		_ = json.Unmarshal([]byte(r.Message), &problems)
		fields := make([]string, 0, len(problems))
		for f := range problems {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		var parts []string
		for _, f := range fields {
			parts = append(parts, f+": "+cat.T("en", problems[f], nil))
		}
		fmt.Fprintf(env.Stdout, "  row %d: %s\n", r.RowNo, strings.Join(parts, "; "))
	}
	if j.Errors > int64(len(rows)) {
		fmt.Fprintf(env.Stdout, "  … and %d more rows with errors\n", j.Errors-int64(len(rows)))
	}
	return nil
}

// parseInterleaved parses flags given before, between or after up to n positional arguments.
func parseInterleaved(fs interface {
	Parse([]string) error
	Args() []string
}, args []string, n int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		if len(pos) > n {
			return nil, usagef("unexpected argument %q", rest[0])
		}
		args = rest[1:]
	}
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
