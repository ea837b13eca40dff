package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// sortKind says how a sort value travels in a cursor.
type sortKind int

const (
	sortText sortKind = iota
	sortInt
	sortTime
)

// sortField is one allow-listed sort of a list: the SQL expression (never NULL) and its kind.
type sortField struct {
	expr string
	kind sortKind
}

// listQuery builds a keyset-paged SELECT from fixed SQL fragments and bound parameters; no text
// from a request ever becomes SQL.
type listQuery struct {
	from    string // "users u"
	columns string // selected columns, scanned by the caller, followed by the sort value
	where   []string
	args    []any
	sorts   map[string]sortField
	deflt   string // default sort field
}

// filter adds a condition; each ? in cond is replaced by the next $n.
func (q *listQuery) filter(cond string, args ...any) {
	for _, a := range args {
		q.args = append(q.args, a)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(q.args)), 1)
	}
	q.where = append(q.where, cond)
}

// search adds a case-insensitive substring match on the Go-lowered search column: SQLite's
// lower() does not fold Cyrillic, so the store keeps a lowered copy of the searchable text.
func (q *listQuery) search(alias, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	q.filter(alias+".search LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(text))+"%")
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// run executes one page. scan reads the caller's columns from rows and returns the row's id;
// the sort value is scanned by run itself from the last column.
func (q *listQuery) run(ctx context.Context, r repo, p crm.PageRequest, scan func(rows *sql.Rows, dest ...any) (int64, error)) (next string, total int, err error) {
	p.Clamp()
	name := p.Sort
	if name == "" {
		name = q.deflt
	}
	sf, ok := q.sorts[name]
	if !ok {
		return "", 0, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"sort": "err.sort_field"}}
	}
	idExpr := strings.Fields(q.from)[1] + ".id"
	where := append([]string(nil), q.where...)
	args := append([]any(nil), q.args...)
	countWhere, countArgs := where, args
	if p.After != "" {
		c, err := crm.DecodeCursor(p.After)
		if err != nil {
			return "", 0, err
		}
		v, err := r.cursorValue(sf.kind, c.Value)
		if err != nil {
			return "", 0, err
		}
		op := ">"
		if p.Desc {
			op = "<"
		}
		args = append(args, v, c.ID)
		where = append(where, fmt.Sprintf("(%s %s $%d OR (%s = $%d AND %s %s $%d))",
			sf.expr, op, len(args)-1, sf.expr, len(args)-1, idExpr, op, len(args)))
	}
	dir := "ASC"
	if p.Desc {
		dir = "DESC"
	}
	sqlText := fmt.Sprintf("SELECT %s, %s FROM %s%s ORDER BY %s %s, %s %s LIMIT %d",
		q.columns, sf.expr, q.from, whereSQL(where), sf.expr, dir, idExpr, dir, p.Limit+1)
	rows, err := r.r.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return "", 0, err
	}
	defer rows.Close()
	n := 0
	var lastID int64
	var lastVal any
	for rows.Next() {
		n++
		if n > p.Limit {
			next = crm.EncodeCursor(crm.Cursor{Value: lastVal, ID: lastID})
			break
		}
		var sv any
		id, err := scan(rows, &sv)
		if err != nil {
			return "", 0, err
		}
		lastID, lastVal = id, cursorOut(sf.kind, sv)
	}
	if err := rows.Err(); err != nil {
		return "", 0, err
	}
	rows.Close()
	if p.NoTotal {
		return next, -1, nil
	}
	// A first page that holds every match is its own count; any other page counts the matches
	// up to the cap (the list indexes end in deleted_at so that this reads an index alone).
	if p.After == "" && next == "" {
		return "", n, nil
	}
	totalSQL := "SELECT COUNT(*) FROM (SELECT 1 FROM " + q.from + whereSQL(countWhere) + fmt.Sprintf(" LIMIT %d) t", crm.TotalCap)
	if err := r.r.QueryRowContext(ctx, totalSQL, countArgs...).Scan(&total); err != nil {
		return "", 0, err
	}
	return next, total, nil
}

func whereSQL(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// cursorOut turns a scanned sort value into its JSON form.
func cursorOut(k sortKind, v any) any {
	switch x := v.(type) {
	case []byte:
		v = string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	if k == sortTime {
		var t dbTime
		if err := t.Scan(v); err == nil && t.Valid {
			return t.T.Format(time.RFC3339Nano)
		}
	}
	return v
}

// cursorValue turns a cursor's JSON value back into a typed parameter.
func (r repo) cursorValue(k sortKind, v any) (any, error) {
	bad := &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"after": "err.cursor"}}
	switch k {
	case sortInt:
		f, ok := v.(float64)
		if !ok {
			return nil, bad
		}
		return int64(f), nil
	case sortTime:
		s, ok := v.(string)
		if !ok {
			return nil, bad
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, bad
		}
		return r.d.time(t), nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, bad
	}
	return s, nil
}

// inList returns "$a,$b,…" for ids appended to args.
func inList(args *[]any, ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		*args = append(*args, id)
		parts[i] = fmt.Sprintf("$%d", len(*args))
	}
	return strings.Join(parts, ",")
}

// searchText joins the searchable fields of a record, lowered in Go (Unicode-aware).
func searchText(parts ...string) string {
	return strings.ToLower(strings.Join(parts, " "))
}

// notFoundOr maps sql.ErrNoRows to crm.ErrNotFound.
func notFoundOr(err error) error {
	if err == sql.ErrNoRows {
		return crm.ErrNotFound
	}
	return err
}

// writeErr turns a unique-constraint violation into a field error.
func (r repo) writeErr(err error) error {
	if err == nil {
		return nil
	}
	if f := r.d.uniqueField(err); f != "" {
		return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{f: "err.unique"}}
	}
	return err
}

// checkVersion tells a stale update (409) from a missing record (404) after an UPDATE that
// matched no row.
func (r repo) checkVersion(ctx context.Context, res sql.Result, table string, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	var one int
	err = r.w.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = $1 AND deleted_at IS NULL", id).Scan(&one)
	if err == sql.ErrNoRows {
		return crm.ErrNotFound
	}
	if err != nil {
		return err
	}
	return crm.ErrStale
}
