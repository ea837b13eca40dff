package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/demo"
	"github.com/ladder-crm/ladder/internal/store"
)

// ImportConfig says what the import measurement does: a CSV of Contacts rows, every
// DuplicateEvery-th of which repeats an earlier row's phone and e-mail, imported with dedup
// (skip) into DBURL, which must be an empty database.
type ImportConfig struct {
	DBURL          string
	Contacts       int
	DuplicateEvery int
	Out            io.Writer
}

// RunImport generates the file, imports it through the import use cases as a demo manager
// and reports how long the import took (from upload to the last row) and what it counted.
func RunImport(ctx context.Context, cfg ImportConfig) (Result, error) {
	if cfg.DuplicateEvery <= 0 {
		cfg.DuplicateEvery = 20
	}
	out := cfg.Out
	if out == nil {
		out = io.Discard
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, store.Config{URL: cfg.DBURL, Log: quiet})
	if err != nil {
		return Result{}, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return Result{}, err
	}
	a := app.New(db, quiet)
	if sum, err := demo.Fill(ctx, a, "small"); err != nil {
		return Result{}, err
	} else if sum.Skipped {
		return Result{}, fmt.Errorf("%s is not empty", db.Where)
	}
	u, err := a.Login(ctx, "manager", demo.Password)
	if err != nil {
		return Result{}, err
	}
	uctx := app.WithActor(ctx, &app.Actor{User: u})
	data, dups := contactsCSV(cfg.Contacts, cfg.DuplicateEvery)
	fmt.Fprintf(out, "import: %d contacts (%d repeated), %d MB of CSV, into %s\n", cfg.Contacts, dups, len(data)>>20, db.Where)

	started := time.Now()
	j, err := a.CreateImport(uctx, crm.EntityContact, "contacts.csv", data, 0)
	if err != nil {
		return Result{}, fmt.Errorf("upload: %w", err)
	}
	if j, err = a.SetImportMapping(uctx, j.ID, j.Version, j.Mapping, crm.DedupSkip); err != nil {
		return Result{}, fmt.Errorf("mapping %q: %w", j.Mapping, err)
	}
	if j, err = a.StartImport(uctx, j.ID, j.Version); err != nil {
		return Result{}, fmt.Errorf("start: %w", err)
	}
	last := time.Now()
	j, err = a.RunImport(ctx, "bench", j.ID, func(j *crm.ImportJob) {
		if time.Since(last) > 10*time.Second {
			last = time.Now()
			fmt.Fprintf(out, "  import: %d rows done (%s)\n", j.RowsDone, time.Since(started).Round(time.Second))
		}
	})
	if err != nil {
		return Result{}, fmt.Errorf("run: %w", err)
	}
	took := time.Since(started)
	fmt.Fprintf(out, "import: %s in %s: %d rows, %d created, %d duplicates, %d errors\n", j.Status, took.Round(100*time.Millisecond),
		j.RowsDone, j.Created, j.Duplicates, j.Errors)
	r := Result{Name: fmt.Sprintf("import of %d contacts with dedup (%s)", cfg.Contacts, db.Dialect()), N: 1,
		P50: took, P95: took, Max: took, Target: "< 60 s"}
	r.Met = took < 60*time.Second && j.Status == crm.ImportDone
	return r, nil
}

// contactsCSV writes n contact rows as a Russian export would: semicolons, a header in
// Russian, phones in the 8 (9xx) spelling. Every dupEvery-th row repeats an earlier person.
func contactsCSV(n, dupEvery int) ([]byte, int) {
	rng := rand.New(rand.NewPCG(42, 7))
	var b bytes.Buffer
	b.WriteString("Фамилия;Имя;Отчество;Должность;Телефон;E-mail\n")
	type row struct{ last, first, middle, pos, phone, email string }
	var kept []row
	dups := 0
	lasts := []string{"Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Петров"}
	firsts := []string{"Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Максим", "Иван", "Михаил"}
	middles := []string{"Иванович", "Петрович", "Сергеевич", "Андреевич", "Олегович"}
	for i := 0; i < n; i++ {
		var r row
		if i > 0 && i%dupEvery == 0 {
			r = kept[rng.IntN(len(kept))]
			dups++
		} else {
			r = row{lasts[rng.IntN(len(lasts))], firsts[rng.IntN(len(firsts))], middles[rng.IntN(len(middles))],
				"Менеджер", fmt.Sprintf("8 (9%02d) %03d-%02d-%02d", i/10000000%100, i/10000%1000, i/100%100, i%100),
				fmt.Sprintf("contact%07d@example.ru", i)}
			if len(kept) < 100000 {
				kept = append(kept, r)
			}
		}
		fmt.Fprintf(&b, "%s;%s;%s;%s;%s;%s\n", r.last, r.first, r.middle, r.pos, r.phone, r.email)
	}
	return b.Bytes(), dups
}
