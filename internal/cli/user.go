package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// listFlag collects a repeatable flag that may also hold comma-separated values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

func runUser(env *Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stderr, "Usage: ladder user create --email E --name N --password P --role R [--directorate D]…")
			return nil
		}
		return usagef("use: ladder user create --email … --name … --password … --role …")
	}
	fs, d := newFlagSet(env, "user create", "--email E --name N --password P --role R [--role R2] [--directorate NAME|ID]…")
	var roles, dirs listFlag
	login := fs.String("login", "", "login (default: the part of the e-mail before @)")
	email := fs.String("email", "", "e-mail (required)")
	name := fs.String("name", "", "full name, ФИО (required)")
	password := fs.String("password", "", "password, at least 10 characters (required)")
	locale := fs.String("locale", "ru", "UI language: ru or en")
	fs.Var(&roles, "role", "role, repeatable or comma-separated: "+roleNames())
	fs.Var(&dirs, "directorate", "sales directorate name or id, repeatable; the first is the default")
	if err := parse(fs, args[1:], 0); err != nil {
		return err
	}
	if *email == "" || *name == "" || *password == "" {
		return usagef("--email, --name and --password are required")
	}
	db, err := d.open(env.Ctx, quietLog())
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, quietLog())
	ctx := withSystem(env.Ctx)
	in := app.UserInput{Login: *login, Email: *email, FullName: *name, Password: *password, Locale: *locale, Active: true}
	for _, r := range roles {
		if !crm.Role(r).Valid() {
			return usagef("unknown role %q; roles: %s", r, roleNames())
		}
		in.Roles = append(in.Roles, crm.Role(r))
	}
	for _, ref := range dirs {
		id, err := findDirectorate(ctx, a, ref)
		if err != nil {
			return err
		}
		in.Directorates = append(in.Directorates, id)
	}
	u, err := a.CreateUser(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %s (id %d, %s)\n", u.Login, u.ID, u.Email)
	return nil
}

func roleNames() string {
	names := make([]string, len(crm.AllRoles))
	for i, r := range crm.AllRoles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// findDirectorate resolves a directorate by id or exact name.
func findDirectorate(ctx context.Context, a *app.App, ref string) (int64, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if _, err := a.Directorate(ctx, id); err != nil {
			return 0, fmt.Errorf("directorate %s: %s", ref, describe(err))
		}
		return id, nil
	}
	page, err := a.ListDirectorates(ctx, crm.DirectorateFilter{Q: ref, Page: crm.PageRequest{Limit: crm.MaxPageSize}})
	if err != nil {
		return 0, err
	}
	for _, d := range page.Items {
		if strings.EqualFold(d.Name, ref) {
			return d.ID, nil
		}
	}
	return 0, fmt.Errorf("no sales directorate named %q", ref)
}
