package api_test

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// Walking a list page by page with limit and after yields every row exactly once, in order,
// whatever the sort, ties included.
func TestKeysetPaginationWalksEveryRowOnce(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция")
	const n = 23
	for i := range n {
		// Repeated names and prices: the cursor must break ties by id. Codes are unique.
		_, err := env.App.CreateProduct(env.AdminCtx(), app.ProductInput{Name: fmt.Sprintf("Продукт %02d", i%7),
			Kind: crm.KindService, Code: fmt.Sprintf("C%02d", (i*7)%n), PriceMinor: int64(i%4) * 100, Directorates: []int64{d.ID}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	sales, _ := env.CreateUser(t, "", crm.Roles{crm.RoleSales}, d.ID)
	c := newClient(t, env, env.Token(t, sales, false))

	all := c.get("/api/v1/products?limit=200&sort=id").want(t, 200, "all")
	if total := int(all.JSON["total"].(float64)); total != n || len(all.JSON["items"].([]any)) != n || all.str("next") != "" {
		t.Fatalf("one page of everything: total %v, next %q", all.JSON["total"], all.str("next"))
	}
	for _, sort := range []string{"name", "-name", "price_minor", "-price_minor", "code", "created_at", "-created_at", "id", "-id", "kind"} {
		for _, limit := range []int{1, 5, 22, 23} {
			walkPages(t, c, "/api/v1/products", n, sort, limit)
		}
	}

	// Projects sort by their dates too; an empty date sorts before every date.
	for i := range 9 {
		in := app.ProjectInput{Name: fmt.Sprintf("Проект %d", i), DirectorateID: d.ID}
		if i%3 != 0 {
			// Repeated days: ties are broken by id.
			from := crm.Date{Time: time.Date(2025, time.March, 1+i%2, 0, 0, 0, 0, time.UTC)}
			to := crm.Date{Time: time.Date(2025, time.April, 1+i%4, 0, 0, 0, 0, time.UTC)}
			in.DateFrom, in.DateTo = &from, &to
		}
		if _, err := env.App.CreateProject(env.Ctx(sales), in); err != nil {
			t.Fatal(err)
		}
	}
	for _, sort := range []string{"date_to", "-date_to", "date_from", "-date_from", "created_at", "-updated_at"} {
		for _, limit := range []int{1, 4, 9} {
			walkPages(t, c, "/api/v1/projects", 9, sort, limit)
		}
	}

	// The default is 50 rows a page; the limit is bounded; cursors and sorts are checked.
	first := c.get("/api/v1/products?limit=5&sort=price_minor").want(t, 200, "first page")
	for _, bad := range []struct{ query, location string }{
		{"after=bm90LWpzb24", "query.after"},                                     // base64 of "not-json"
		{"after=!!!", "query.after"},                                             // not base64 at all
		{"sort=name&after=" + url.QueryEscape(first.str("next")), "query.after"}, // a price cursor on a name sort
		{"limit=0", "query.limit"},
		{"limit=201", "query.limit"},
		{"limit=ten", "query.limit"},
		{"sort=password_hash", "query.sort"},
		{"order=desc", "query.order"},
	} {
		r := c.get("/api/v1/products?"+bad.query).wantProblem(t, 422, bad.query)
		if _, ok := r.fieldErrors()[bad.location]; !ok {
			t.Errorf("%s: errors %s, want one at %s", bad.query, r.Raw, bad.location)
		}
	}

	// The audit log pages newest first by default.
	admin := newClient(t, env, env.Token(t, env.Admin, false))
	p1 := admin.get("/api/v1/audit?limit=3&entity=product").want(t, 200, "audit page 1")
	p2 := admin.get("/api/v1/audit?limit=3&entity=product&after="+url.QueryEscape(p1.str("next"))).want(t, 200, "audit page 2")
	ids := func(r *response) []int64 {
		var out []int64
		for _, it := range r.JSON["items"].([]any) {
			out = append(out, int64(it.(map[string]any)["id"].(float64)))
		}
		return out
	}
	a, b := ids(p1), ids(p2)
	if len(a) != 3 || len(b) != 3 || !(a[0] > a[1] && a[1] > a[2] && a[2] > b[0] && b[0] > b[1]) {
		t.Fatalf("audit pages not newest first: %v %v", a, b)
	}
	if int(p1.JSON["total"].(float64)) != n {
		t.Fatalf("audit total %v, want %d product creations", p1.JSON["total"], n)
	}
}

// walkPages reads a list page by page and checks that it yields each of its n rows once, in
// the order of sort, every page full but the last.
func walkPages(t *testing.T, c *client, path string, n int, sort string, limit int) {
	t.Helper()
	field := trimMinus(sort)
	seen := map[int64]bool{}
	var prev []any
	after, pages := "", 0
	for {
		q := url.Values{"limit": {fmt.Sprint(limit)}, "sort": {sort}}
		if after != "" {
			q.Set("after", after)
		}
		r := c.get(path+"?"+q.Encode()).want(t, 200, "page")
		pages++
		if int(r.JSON["total"].(float64)) != n {
			t.Fatalf("%s sort %s: total %v on page %d", path, sort, r.JSON["total"], pages)
		}
		items := r.JSON["items"].([]any)
		if len(items) > limit || (r.str("next") != "" && len(items) != limit) {
			t.Fatalf("%s sort %s limit %d: %d items, next %q", path, sort, limit, len(items), r.str("next"))
		}
		for _, it := range items {
			m := it.(map[string]any)
			id := int64(m["id"].(float64))
			if seen[id] {
				t.Fatalf("%s sort %s limit %d: row %d twice", path, sort, limit, id)
			}
			seen[id] = true
			key := []any{sortValue(t, field, m[field]), id}
			if prev != nil && !ordered(prev, key, sort[0] == '-') {
				t.Fatalf("%s sort %s limit %d: %v after %v", path, sort, limit, key, prev)
			}
			prev = key
		}
		after = r.str("next")
		if after == "" {
			break
		}
		if pages > n+1 {
			t.Fatalf("%s sort %s limit %d: the walk does not end", path, sort, limit)
		}
	}
	if len(seen) != n {
		t.Fatalf("%s sort %s limit %d: %d rows seen, want %d", path, sort, limit, len(seen), n)
	}
}

// sortValue is a field's value as the list sorts it. Timestamps are compared as instants, not
// as text: RFC 3339 with trimmed fractions puts "…42.662Z" after "…42.66247Z". An absent date
// sorts as the empty string, before every date.
func sortValue(t *testing.T, field string, v any) any {
	t.Helper()
	switch field {
	case "created_at", "updated_at":
		at, err := time.Parse(time.RFC3339Nano, v.(string))
		if err != nil {
			t.Fatalf("%s %v: %v", field, v, err)
		}
		return at
	case "date_from", "date_to":
		if v == nil {
			return ""
		}
	}
	return v
}

func trimMinus(s string) string {
	if s != "" && s[0] == '-' {
		return s[1:]
	}
	return s
}

// ordered reports whether key b may follow key a: sort value first, id breaking ties, both in
// the list's direction.
func ordered(a, b []any, desc bool) bool {
	c := compare(a[0], b[0])
	if c == 0 {
		c = compare(a[1], b[1])
	}
	if desc {
		return c > 0
	}
	return c < 0
}

func compare(a, b any) int {
	switch x := a.(type) {
	case float64:
		y := b.(float64)
		return cmpOrdered(x, y)
	case int64:
		return cmpOrdered(x, b.(int64))
	case string:
		return cmpOrdered(x, b.(string))
	case time.Time:
		return x.Compare(b.(time.Time))
	}
	panic(fmt.Sprintf("cannot compare %T", a))
}

func cmpOrdered[T int64 | float64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
