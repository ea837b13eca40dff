package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/phone"
)

// Helpers the company and contact stores share: JSON columns, the term search of their lists,
// custom-field filters and the duplicate lookup.

// partyJSON writes a slice or map column as JSON text; nil is written as the empty value so
// that the stored text never reads "null".
func partyJSON[T any](v T, empty string) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return empty
	}
	return string(b)
}

// partyUnJSON reads a JSON column into dst, naming the record in the error.
func partyUnJSON(text, what string, id int64, dst any) error {
	if text == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(text), dst); err != nil {
		return &crm.Error{Code: crm.EInternal, Message: "store: " + what + " of record " + itoa(id) + ": " + err.Error()}
	}
	return nil
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// termSearch narrows a list to records whose search terms (record_terms) start with every word
// of q: «иванов» finds «Иванов», «ромашка» finds «ООО „Ромашка“», a phone typed any way finds its
// number, an e-mail finds itself. The longest word, likely the rarest, drives the query: its
// ids come from one range scan of record_terms' primary key; every other word is checked per
// candidate through the (entity, record_id) index, so «ООО ромашка» reads the few «ромашка»
// rows, not the hundred thousand «ООО» ones. LIKE '%q%' would read every row of a million.
//
// On SQLite the driving entity test is written +t.entity: without ANALYZE statistics the
// planner would otherwise prefer the (entity, record_id) index, an equality, and read every
// term of every company instead of one range of the primary key.
func (r repo) termSearch(q *listQuery, alias, entity, text string) {
	words := searchWords(text)
	slices.SortStableFunc(words, func(a, b string) int { return len(b) - len(a) })
	ent := "t.entity"
	if r.d.name() == "sqlite" {
		ent = "+t.entity"
	}
	for i, w := range words {
		if i == 0 {
			q.filter(alias+".id IN (SELECT t.record_id FROM record_terms t WHERE t.term >= ? AND t.term < ? AND "+ent+" = ?)",
				w, prefixEnd(w), entity)
			continue
		}
		q.filter("EXISTS (SELECT 1 FROM record_terms t WHERE t.entity = ? AND t.record_id = "+alias+".id AND t.term >= ? AND t.term < ?)",
			entity, w, prefixEnd(w))
	}
}

// searchWords splits a query the way recordTerms splits what it indexes: a whole query that
// is a phone number becomes its E.164 digits; a word with @ stays whole (e-mails are indexed
// whole); anything else is cut into lowered runs of letters and digits.
func searchWords(text string) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	if digits := countDigits(text); digits >= 7 && digits*2 >= utf8.RuneCountInString(text) {
		if e := phone.Normalise(text, ""); e != "" {
			return []string{strings.TrimPrefix(e, "+")}
		}
	}
	var out []string
	for _, tok := range strings.Fields(strings.ToLower(text)) {
		if strings.Contains(tok, "@") {
			out = append(out, tok)
			continue
		}
		out = append(out, strings.FieldsFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })...)
	}
	if len(out) > 8 {
		out = out[:8] // nobody types more; each word is a subquery
	}
	return out
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// prefixEnd is the smallest string above every string that starts with p: p with its last
// character incremented (byte order: SQLite's BINARY, PostgreSQL's COLLATE "C").
func prefixEnd(p string) string {
	r, size := utf8.DecodeLastRuneInString(p)
	if r == utf8.MaxRune || r == utf8.RuneError {
		return p + "\U0010FFFF"
	}
	next := r + 1
	if next >= 0xD800 && next <= 0xDFFF { // surrogates are not characters
		next = 0xE000
	}
	return p[:len(p)-size] + string(next)
}

// partyAttrFilters matches custom field values exactly (the codes are allow-listed by the app
// against the field definitions; each is a bound parameter here). Both databases give the
// stored JSON value of a key as JSON text (SQLite's ->, PostgreSQL's jsonb -> ::text): a text,
// list or date value compares with its quoted form, a number or flag with the bare one.
func (r repo) partyAttrFilters(q *listQuery, alias string, attr map[string]string) {
	for code, v := range attr {
		quoted, _ := json.Marshal(v)
		expr := alias + ".attributes -> ?"
		if r.d.name() == "postgres" {
			expr = "(" + alias + ".attributes::jsonb -> ?)::text"
		}
		q.filter(expr+" IN (?, ?)", code, string(quoted), v)
	}
}

// dateFilters adds a created-at range of whole days, the end day included.
func (r repo) createdRange(q *listQuery, alias string, from, to *crm.Date) {
	if from != nil {
		q.filter(alias+".created_at >= ?", r.d.time(from.Time))
	}
	if to != nil {
		q.filter(alias+".created_at < ?", r.d.time(to.AddDate(0, 0, 1)))
	}
}

// duplicateIDs finds live records of entity (table) that share one of terms, except self.
// Terms are exact here (whole INN, whole e-mail, full E.164 digits), not prefixes.
func (r repo) duplicateIDs(ctx context.Context, entity, table string, self int64, terms []string) ([]int64, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	args := []any{entity, self}
	in := make([]string, 0, len(terms))
	for _, t := range terms {
		args = append(args, t)
		in = append(in, "$"+itoa(int64(len(args))))
	}
	ent := "t.entity" // +t.entity on SQLite: see termSearch
	if r.d.name() == "sqlite" {
		ent = "+t.entity"
	}
	rows, err := r.r.QueryContext(ctx, `SELECT DISTINCT t.record_id FROM record_terms t JOIN `+table+` x ON x.id = t.record_id
		WHERE `+ent+` = $1 AND t.record_id <> $2 AND x.deleted_at IS NULL AND t.term IN (`+strings.Join(in, ",")+`)
		ORDER BY t.record_id LIMIT 20`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// duplicateTerms are the identifying terms of a record: whole e-mails, full E.164 digits of
// phones (not the ten national digits, which are for typing) and the INN.
func duplicateTerms(inn string, emails []string, phones []crm.Phone) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	add(strings.TrimSpace(inn))
	for _, e := range emails {
		add(strings.ToLower(strings.TrimSpace(e)))
	}
	for _, p := range phones {
		add(strings.TrimPrefix(p.E164, "+"))
	}
	return out
}

// identifiers are what makes two records one party, each marked with its kind so that an INN
// never equals a phone: "inn:…", "email:…", "phone:+7…".
func identifiers(inn string, emails []string, phones []crm.Phone) map[string]bool {
	out := map[string]bool{}
	if inn = strings.TrimSpace(inn); inn != "" {
		out["inn:"+inn] = true
	}
	for _, e := range emails {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			out["email:"+e] = true
		}
	}
	for _, p := range phones {
		if p.E164 != "" {
			out["phone:"+p.E164] = true
		}
	}
	return out
}

func sharesIdentifier(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// MergedFrom lists the records merged into id, directly or through records merged into those,
// so that a card can show the history of everything it absorbed.
func (r repo) MergedFrom(ctx context.Context, entity string, id int64) ([]int64, error) {
	table, ok := map[string]string{crm.EntityCompany: "companies", crm.EntityContact: "contacts"}[entity]
	if !ok {
		return nil, crm.Errorf(crm.EInternal, "store: no merges of %q", entity)
	}
	var out []int64
	queue := []int64{id}
	seen := map[int64]bool{id: true}
	for len(queue) > 0 && len(out) < 1000 {
		next := queue[0]
		queue = queue[1:]
		rows, err := r.r.QueryContext(ctx, "SELECT id FROM "+table+" WHERE merged_into = $1 ORDER BY id", next)
		if err != nil {
			return nil, err
		}
		var found []int64
		for rows.Next() {
			var x int64
			if err := rows.Scan(&x); err != nil {
				rows.Close()
				return nil, err
			}
			found = append(found, x)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
		for _, x := range found {
			if !seen[x] {
				seen[x] = true
				out = append(out, x)
				queue = append(queue, x)
			}
		}
	}
	return out, nil
}
