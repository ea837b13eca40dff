// Package store is Ladder's one storage implementation: hand-written SQL over database/sql for
// SQLite (modernc, pure Go) and PostgreSQL (pgx). It implements crm.Store and scs.CtxStore.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Config says which database to open.
type Config struct {
	// URL is postgres://… for PostgreSQL, sqlite:PATH (or a bare path ending in .db) for a
	// SQLite file; empty means SQLite at DataDir/ladder.db.
	URL     string
	DataDir string
	Log     *slog.Logger
}

// DB is an open database. On SQLite it holds one writer connection and a pool of readers on
// the same file (WAL lets them read while the writer writes); on PostgreSQL both are one pool.
type DB struct {
	repo
	writer  *sql.DB
	reader  *sql.DB
	dialect dialect
	log     *slog.Logger
	// Where is a human description of the database (file path or host/db), for logs.
	Where string
}

// Open opens (and for SQLite creates) the database. It does not migrate: call Migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	url := strings.TrimSpace(cfg.URL)
	var db *DB
	var err error
	switch {
	case strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://"):
		db, err = openPostgres(url)
	case url == "":
		if cfg.DataDir == "" {
			cfg.DataDir = "ladder-data"
		}
		db, err = openSQLite(filepath.Join(cfg.DataDir, "ladder.db"))
	case strings.HasPrefix(url, "sqlite:"):
		db, err = openSQLite(strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//"))
	default:
		return nil, fmt.Errorf("database URL %q: use postgres://… or sqlite:PATH", redactURL(url))
	}
	if err != nil {
		return nil, err
	}
	db.log = cfg.Log
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", db.Where, err)
	}
	return db, nil
}

func openSQLite(path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	// WAL + synchronous=NORMAL: a crash loses no committed transaction of the database file's
	// consistency, and at most the last moments of commits on power loss (not on a process kill).
	pragmas := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	writer, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1) // one writer: SQLite serialises writes anyway; this avoids SQLITE_BUSY
	writer.SetConnMaxIdleTime(0)
	reader, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(max(4, runtime.NumCPU()))
	d := sqliteDialect{}
	db := &DB{writer: writer, reader: reader, dialect: d, Where: path}
	db.repo = repo{r: reader, w: writer, d: d}
	return db, nil
}

func openPostgres(url string) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	pool.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	pool.SetConnMaxIdleTime(5 * time.Minute)
	d := postgresDialect{}
	db := &DB{writer: pool, reader: pool, dialect: d, Where: redactURL(url)}
	db.repo = repo{r: pool, w: pool, d: d}
	return db, nil
}

// Dialect names the database kind: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// Close closes the pools.
func (db *DB) Close() error {
	err := db.writer.Close()
	if db.reader != db.writer {
		err = errors.Join(err, db.reader.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.writer.PingContext(ctx); err != nil {
		return err
	}
	if db.reader != db.writer {
		return db.reader.PingContext(ctx)
	}
	return nil
}

// InTx runs fn in one transaction: everything or nothing. The Repo handed to fn reads and
// writes through the transaction.
func (db *DB) InTx(ctx context.Context, fn func(tx crm.Repo) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(repo{r: tx, w: tx, d: db.dialect}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Writer exposes the write pool to tests and benchmarks that need raw SQL.
func (db *DB) Writer() *sql.DB { return db.writer }

// redactURL hides credentials (user:password@ and ?password=) in a database URL for logs and
// error messages.
func redactURL(url string) string {
	if q := strings.Index(url, "?"); q >= 0 {
		url = url[:q] // query parameters may carry password=…; the rest says enough
	}
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	return url[:scheme+3] + "…" + url[at:]
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// repo implements crm.Repo over a reader and a writer (the same transaction inside InTx).
type repo struct {
	r, w querier
	d    dialect
}

var _ crm.Store = (*DB)(nil)
