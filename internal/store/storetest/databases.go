// Package storetest is the one conformance suite of the store, run against SQLite and
// PostgreSQL; it also makes the throw-away databases other tests use.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/ladder-crm/ladder/internal/store"
)

// DefaultPostgres is the server CI provides; LADDER_TEST_PG overrides it.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// PostgresAdminURL returns the URL of the server to make test databases on.
func PostgresAdminURL() string {
	if u := os.Getenv("LADDER_TEST_PG"); u != "" {
		return u
	}
	return DefaultPostgres
}

// NewPostgresURL creates an empty database for one test and drops it when the test ends. When
// no PostgreSQL answers, the test is skipped — unless CI=true, where that is a failure.
func NewPostgresURL(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", PostgresAdminURL())
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s: %v", PostgresAdminURL(), err)
		}
		t.Skipf("no PostgreSQL at %s: %v", PostgresAdminURL(), err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "ladder_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	return replaceDBName(PostgresAdminURL(), name)
}

func replaceDBName(url, name string) string {
	q := ""
	if i := strings.Index(url, "?"); i >= 0 {
		url, q = url[:i], url[i:]
	}
	i := strings.LastIndex(url, "/")
	if i < len("postgres://") {
		return url + "/" + name + q
	}
	return url[:i+1] + name + q
}

// NewSQLiteURL returns a database URL of a fresh SQLite file in the test's temp dir.
func NewSQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "ladder.db")
}

// Open opens and migrates a database for one test and closes it at the end.
func Open(t testing.TB, url string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{URL: url})
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// Kinds lists the databases the suite runs on, each with a maker of fresh URLs.
var Kinds = []struct {
	Name string
	URL  func(t testing.TB) string
}{
	{"sqlite", NewSQLiteURL},
	{"postgres", NewPostgresURL},
}
