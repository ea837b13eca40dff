package cli

import (
	"fmt"

	"github.com/ladder-crm/ladder/internal/app"
)

func runToken(env *Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stderr, "Usage: ladder token create --user LOGIN|EMAIL [--name N] [--read-only]")
			return nil
		}
		return usagef("use: ladder token create --user LOGIN|EMAIL [--name N] [--read-only]")
	}
	fs, d := newFlagSet(env, "token create", "--user LOGIN|EMAIL [--name N] [--read-only]")
	user := fs.String("user", "", "login or e-mail of the token's owner (required)")
	name := fs.String("name", "CLI", "a name to recognise the token by")
	readOnly := fs.Bool("read-only", false, "the token may only read")
	if err := parse(fs, args[1:], 0); err != nil {
		return err
	}
	if *user == "" {
		return usagef("--user is required")
	}
	db, err := d.open(env.Ctx, quietLog())
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, quietLog())
	u, err := db.UserByLogin(env.Ctx, *user)
	if err != nil {
		return fmt.Errorf("user %q: %s", *user, describe(err))
	}
	if u.Deleted() || !u.Active {
		return fmt.Errorf("user %q is deleted or inactive", *user)
	}
	secret, t, err := a.CreateToken(withSystem(env.Ctx), u.ID, *name, *readOnly)
	if err != nil {
		return err
	}
	mode := "read-write"
	if t.ReadOnly {
		mode = "read-only"
	}
	fmt.Fprintf(env.Stderr, "Token %d (%s, %s) for %s. It is shown once; keep it secret:\n", t.ID, t.Name, mode, u.Login)
	fmt.Fprintln(env.Stdout, secret)
	return nil
}
