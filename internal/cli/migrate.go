package cli

import (
	"fmt"
)

func runMigrate(env *Env, args []string) error {
	fs, d := newFlagSet(env, "migrate", "[up|status] [flags]")
	if err := parse(fs, reorder(args), 1); err != nil {
		return err
	}
	action := fs.Arg(0)
	if action == "" {
		action = "up"
	}
	db, err := storeOnly(env, d)
	if err != nil {
		return err
	}
	defer db.Close()
	switch action {
	case "up":
		applied, err := db.Migrate(env.Ctx)
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintf(env.Stdout, "%s: up to date\n", db.Where)
		}
		for _, a := range applied {
			fmt.Fprintf(env.Stdout, "applied %s\n", a)
		}
	case "status":
		st, err := db.MigrationStatus(env.Ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s (%s)\n", db.Where, db.Dialect())
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(env.Stdout, "  %05d %-40s %s\n", s.Version, s.Name, state)
		}
	default:
		return usagef("unknown action %q: use up or status", action)
	}
	return nil
}

// reorder moves positional words after the flags, so that "migrate status --db-url X" and
// "migrate --db-url X status" both work (the flag package stops at the first positional).
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			if !containsEq(a) && i+1 < len(args) && takesValue(a) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

func containsEq(s string) bool {
	for _, c := range s {
		if c == '=' {
			return true
		}
	}
	return false
}

// takesValue: the boolean flags of every command; all others take a value.
func takesValue(flag string) bool {
	switch flag {
	case "--demo", "-demo", "--read-only", "-read-only", "--help", "-help", "-h", "--inactive", "-inactive":
		return false
	}
	return true
}
