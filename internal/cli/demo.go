package cli

import (
	"fmt"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/demo"
)

func runDemo(env *Env, args []string) error {
	fs, d := newFlagSet(env, "demo", "[--size small|large]")
	size := fs.String("size", "small", "small (a few dozen records) or large (tens of thousands, for trying lists and benchmarks)")
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
	sum, err := demo.Fill(env.Ctx, a, *size)
	if err != nil {
		return err
	}
	if sum.Skipped {
		fmt.Fprintf(env.Stdout, "%s already has data: nothing added\n", db.Where)
		return nil
	}
	fmt.Fprintf(env.Stdout, "demo data in %s: %d directorates, %d products, %d users (password %q), %d projects\n",
		db.Where, sum.Directorates, sum.Products, sum.Users, demo.Password, sum.Projects)
	return nil
}
