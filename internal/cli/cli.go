// Package cli holds Ladder's subcommands. cmd/ladder only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
	"github.com/ladder-crm/ladder/internal/store"
)

// Version is set at build time with -ldflags "-X github.com/ladder-crm/ladder/internal/cli.Version=…".
var Version = "dev"

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command ran and failed
	exitUsage = 2 // the command line is wrong
)

// Env is what a command reads and writes besides its arguments (tests pass their own).
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Ctx is cancelled to stop serve (SIGINT/SIGTERM in main).
	Ctx context.Context
	// Ready, when set, receives serve's listening address once it accepts connections.
	Ready func(addr string)
}

type command struct {
	name, summary string
	run           func(env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "start the web server (UI and API)", runServe},
		{"migrate", "apply database migrations (up) or list them (status)", runMigrate},
		{"user", "manage users: user create", runUser},
		{"token", "manage API tokens: token create", runToken},
		{"demo", "fill a database with demo data", runDemo},
		{"import", "import companies, contacts or deals from a CSV or XLSX file", runImport},
		{"export", "export companies, contacts or deals to CSV or XLSX", runExport},
		{"bench", "measure list, search, kanban and import speed on a large database", runBench},
		{"version", "print the version", runVersion},
	}
}

// Main runs one command line and returns the exit code.
func Main(env *Env, args []string) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(env, args[1:])
			switch {
			case err == nil:
				return exitOK
			case errors.Is(err, flag.ErrHelp):
				return exitOK
			case errors.As(err, new(usageError)):
				fmt.Fprintf(env.Stderr, "ladder %s: %v\nRun 'ladder %s --help' for usage.\n", c.name, err, c.name)
				return exitUsage
			default:
				fmt.Fprintf(env.Stderr, "ladder %s: %s\n", c.name, describe(err))
				return exitError
			}
		}
	}
	fmt.Fprintf(env.Stderr, "ladder: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Ladder — marketing CRM for B2B companies.\n\nUsage: ladder <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --data-dir DIR and --db-url URL (or LADDER_DATA_DIR, LADDER_DB_URL).\nRun 'ladder <command> --help' for its flags.")
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// describe turns an error into one line for a person: domain errors through the English
// catalogue, with the fields that are wrong.
func describe(err error) string {
	var e *crm.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	cat := i18n.Default()
	msg := cat.T("en", e.Message, nil)
	var parts []string
	for f, k := range e.Fields {
		parts = append(parts, f+": "+cat.T("en", k, nil))
	}
	if len(parts) > 0 {
		msg += " " + strings.Join(parts, "; ")
	}
	return msg
}

// dbFlags are the flags every command shares.
type dbFlags struct {
	dataDir, dbURL string
}

func newFlagSet(env *Env, name, args string) (*flag.FlagSet, *dbFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	d := &dbFlags{}
	fs.StringVar(&d.dataDir, "data-dir", envOr(env, "LADDER_DATA_DIR", "./ladder-data"), "directory for the SQLite database and files")
	fs.StringVar(&d.dbURL, "db-url", env.Getenv("LADDER_DB_URL"), "database URL: postgres://user@host:5432/db or sqlite:PATH (default: SQLite in the data dir)")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: ladder %s %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs, d
}

func envOr(env *Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

// parse parses flags and refuses stray arguments.
func parse(fs *flag.FlagSet, args []string, maxPositional int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > maxPositional {
		return usagef("unexpected argument %q", fs.Arg(maxPositional))
	}
	return nil
}

// open opens and migrates the database.
func (d *dbFlags) open(ctx context.Context, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, store.Config{URL: d.dbURL, DataDir: d.dataDir, Log: log})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func runVersion(env *Env, args []string) error {
	fs, _ := newFlagSet(env, "version", "")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "ladder %s\n", Version)
	return nil
}

// withSystem runs CLI work as the system actor: the person at the console is the operator.
func withSystem(ctx context.Context) context.Context { return app.WithActor(ctx, app.System) }

// storeOnly opens the database without migrating (migrate decides that itself).
func storeOnly(env *Env, d *dbFlags) (*store.DB, error) {
	return store.Open(env.Ctx, store.Config{URL: d.dbURL, DataDir: d.dataDir, Log: quietLog()})
}
