package cli

import (
	"fmt"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/demo"
)

func runDemo(env *Env, args []string) error {
	fs, d := newFlagSet(env, "demo", "[--size small|large]")
	size := fs.String("size", "small", "small (a few dozen records of each kind) or large (1,000,000 contacts in 200,000 companies and 300,000 deals, for trying lists and benchmarks)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *size != "small" && *size != "large" {
		return usagef("--size must be small or large")
	}
	db, err := d.open(env.Ctx, quietLog())
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, quietLog())
	var opt demo.Options
	if *size == "large" {
		started := time.Now()
		last := time.Time{}
		opt.Progress = func(done, total int) {
			// One line every few seconds: a large fill takes minutes.
			if time.Since(last) < 5*time.Second && done < total {
				return
			}
			last = time.Now()
			fmt.Fprintf(env.Stdout, "companies %d of %d (%s)\n", done, total, time.Since(started).Round(time.Second))
		}
	}
	sum, err := demo.FillWith(env.Ctx, a, *size, opt)
	if err != nil {
		return err
	}
	if sum.Skipped {
		fmt.Fprintf(env.Stdout, "%s already has data: nothing added\n", db.Where)
		return nil
	}
	fmt.Fprintf(env.Stdout, "demo data in %s: %d directorates, %d products, %d users (password %q), %d projects, "+
		"%d companies, %d contacts, %d deals, %d contracts, %d payments, %d tasks\n",
		db.Where, sum.Directorates, sum.Products, sum.Users, demo.Password, sum.Projects,
		sum.Companies, sum.Contacts, sum.Deals, sum.Contracts, sum.Payments, sum.Tasks)
	return nil
}
