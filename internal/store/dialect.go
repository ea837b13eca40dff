package store

import (
	"fmt"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// dialect holds the few places where SQLite and PostgreSQL differ. Both bind $1, $2…
type dialect interface {
	name() string
	// time turns a time into the parameter the column expects.
	time(t time.Time) any
	// date turns a calendar day into the parameter the column expects.
	date(d crm.Date) any
	// uniqueField tells which field a unique-constraint error is about ("" if it is not one).
	uniqueField(err error) string
}

// sqliteTimeLayout has a fixed width so that stored times sort as strings.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000Z"

type sqliteDialect struct{}

func (sqliteDialect) name() string         { return "sqlite" }
func (sqliteDialect) time(t time.Time) any { return t.UTC().Format(sqliteTimeLayout) }
func (sqliteDialect) date(d crm.Date) any  { return d.String() }
func (sqliteDialect) uniqueField(err error) string {
	// modernc reports "constraint failed: UNIQUE constraint failed: users.login (2067)".
	msg := err.Error()
	i := strings.Index(msg, "UNIQUE constraint failed: ")
	if i < 0 {
		return ""
	}
	rest := msg[i+len("UNIQUE constraint failed: "):]
	if j := strings.IndexAny(rest, " ,("); j >= 0 {
		rest = rest[:j]
	}
	if k := strings.Index(rest, "."); k >= 0 {
		rest = rest[k+1:]
	}
	return columnField(rest)
}

type postgresDialect struct{}

func (postgresDialect) name() string         { return "postgres" }
func (postgresDialect) time(t time.Time) any { return t.UTC() }
func (postgresDialect) date(d crm.Date) any  { return d.String() }
func (postgresDialect) uniqueField(err error) string {
	// pgx: "ERROR: duplicate key value violates unique constraint \"users_login\" (SQLSTATE 23505)"
	msg := err.Error()
	if !strings.Contains(msg, "SQLSTATE 23505") {
		return ""
	}
	i := strings.Index(msg, "constraint \"")
	if i < 0 {
		return "id"
	}
	name := msg[i+len("constraint \""):]
	name = name[:strings.Index(name, "\"")]
	if k := strings.Index(name, "_"); k >= 0 {
		name = name[k+1:]
	}
	return columnField(name)
}

// columnField maps a column of a unique index to the API field name.
func columnField(col string) string {
	switch col {
	case "token_hash", "pkey":
		return "id"
	}
	return col
}

// dbTime scans a time stored either natively (PostgreSQL) or as text (SQLite).
type dbTime struct {
	T     time.Time
	Valid bool
}

func (t *dbTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Valid = false
		return nil
	case time.Time:
		t.T, t.Valid = v.UTC(), true
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("store: cannot scan %T into a time", src)
}

func (t *dbTime) parse(s string) error {
	for _, layout := range []string{sqliteTimeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", time.DateOnly} {
		if x, err := time.Parse(layout, s); err == nil {
			t.T, t.Valid = x.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("store: bad time %q", s)
}

func (t dbTime) ptr() *time.Time {
	if !t.Valid {
		return nil
	}
	x := t.T
	return &x
}

func (t dbTime) date() *crm.Date {
	if !t.Valid {
		return nil
	}
	return &crm.Date{Time: time.Date(t.T.Year(), t.T.Month(), t.T.Day(), 0, 0, 0, 0, time.UTC)}
}

var _ interface{ Scan(any) error } = (*dbTime)(nil)

func (r repo) nullDate(d *crm.Date) any {
	if d == nil {
		return nil
	}
	return r.d.date(*d)
}

func nullID(id *int64) any {
	if id == nil || *id == 0 {
		return nil
	}
	return *id
}

// nowUTC is the store's clock: microseconds, the precision both databases keep, so that what a
// write returns equals what a later read gives.
func nowUTC() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
