package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/ladder-crm/ladder/internal/crm"
)

// The global search reads record_terms (see terms.go) by index ranges only: a word's prefix p
// in one entity is entity = e AND term >= p AND term < crm.PrefixEnd(p), one range of
// record_terms_entity_term (migration 00007) under SQLite's binary collation and PostgreSQL's
// COLLATE "C" column alike. Per entity, one word drives the scan (the one with the fewest
// terms there), the others are checked per record through record_terms_record, and the base
// table is joined to skip deleted records — every step an index seek, so the cost follows
// the hits asked for, not the million rows.

const (
	maxSearchWords = 6   // more words add cost and nothing a person types into a box
	maxSearchLimit = 100 // per entity group
	selectivityCap = 5000
	maxNextChars   = 64  // letters looked up after one prefix for typo candidates
	maxTypoProbes  = 400 // candidate prefixes checked per word
	maxTypoRanges  = 40  // candidate prefixes that exist, kept per word
)

// termMatch is the index ranges one query word accepts: its prefixes, and with typos the
// prefixes within one edit of it.
type termMatch struct {
	prefixes []string
}

// cond renders the match on column col with arguments from a.
func (m termMatch) cond(col string, a *args) string {
	return m.condOf("", "", col, a)
}

// condOf renders the match on column col of one entity: each range repeats the entity test
// (entity = e AND term range) OR (…), so that SQLite takes every range from
// record_terms_entity_term (its OR optimisation needs each branch indexable on its own; with
// the entity outside the OR it read all of the entity's terms by record_terms_record).
func (m termMatch) condOf(entityCol, entity, col string, a *args) string {
	parts := make([]string, 0, len(m.prefixes))
	for _, p := range m.prefixes {
		ent := ""
		if entityCol != "" {
			ent = fmt.Sprintf("%s = %s AND ", entityCol, a.add(entity))
		}
		if end := crm.PrefixEnd(p); end != "" {
			parts = append(parts, fmt.Sprintf("(%s%s >= %s AND %s < %s)", ent, col, a.add(p), col, a.add(end)))
		} else {
			parts = append(parts, fmt.Sprintf("(%s%s >= %s)", ent, col, a.add(p)))
		}
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// args numbers bind parameters $1, $2… as a statement is built.
type args []any

// planned returns the arguments of a search statement for the driver. On PostgreSQL the
// statement is sent unnamed (pgx.QueryExecModeExec) so that it is planned for these very
// prefixes each time: pgx otherwise caches it as a prepared statement, and after five runs
// PostgreSQL may settle on a generic plan that cannot see how narrow a term range is — the
// difference between 10 ms and 2 s for two words.
func (r repo) planned(a args) []any {
	if r.d.name() == "postgres" {
		return append([]any{pgx.QueryExecModeExec}, a...)
	}
	return a
}

func (a *args) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// searchEntity says how to read one record type's hits: its table and title columns.
type searchEntity struct {
	table    string
	columns  string // title, subtitle parts (all text)
	joins    string
	subtitle func(parts []string) string
}

var searchEntities = map[string]searchEntity{
	crm.EntityCompany: {table: "companies", columns: "x.name, x.inn, x.region",
		subtitle: func(p []string) string { return joinNonEmpty(p...) }},
	crm.EntityContact: {table: "contacts", columns: "x.full_name, x.position, COALESCE(co.name, '')",
		joins:    " LEFT JOIN companies co ON co.id = x.company_id",
		subtitle: func(p []string) string { return joinNonEmpty(p...) }},
	crm.EntityDeal: {table: "deals", columns: "x.name, COALESCE(co.name, ''), ''",
		joins:    " LEFT JOIN companies co ON co.id = x.company_id",
		subtitle: func(p []string) string { return joinNonEmpty(p...) }},
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// Search finds live companies, contacts and deals by the words of q.Text (see crm.SearchRepo).
func (r repo) Search(ctx context.Context, q crm.SearchQuery) ([]crm.SearchHit, error) {
	words := crm.ParseSearch(q.Text)
	limit := min(q.Limit, maxSearchLimit)
	if len(words) == 0 || limit <= 0 || len(q.Entities) == 0 {
		return nil, nil
	}
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	exact := make([]termMatch, len(words))
	for i, w := range words {
		exact[i] = termMatch{prefixes: w.Prefixes}
	}
	groups := map[string][]crm.SearchHit{}
	seen := map[string]map[int64]bool{}
	found := 0
	for _, e := range q.Entities {
		if _, ok := searchEntities[e]; !ok {
			continue
		}
		hits, err := r.searchEntity(ctx, e, exact, limit)
		if err != nil {
			return nil, err
		}
		seen[e] = map[int64]bool{}
		for _, h := range hits {
			seen[e][h.ID] = true
		}
		groups[e] = hits
		found += len(hits)
	}
	// Few exact hits: also take the words with one typo. A word the user is still typing
	// matches its own prefix; only when that leaves the box nearly empty is a typo likely.
	if found < limit && hasTypoWords(words) {
		fuzzy := make([]termMatch, len(words))
		for i, w := range words {
			fuzzy[i] = exact[i]
			if w.Typos {
				m, err := r.typoMatch(ctx, w.Prefixes[0])
				if err != nil {
					return nil, err
				}
				fuzzy[i].prefixes = append(append([]string(nil), w.Prefixes...), m.prefixes...)
			}
		}
		for e := range groups {
			room := limit - len(groups[e])
			if room <= 0 {
				continue
			}
			hits, err := r.searchEntity(ctx, e, fuzzy, limit)
			if err != nil {
				return nil, err
			}
			for _, h := range hits {
				if !seen[e][h.ID] && room > 0 {
					h.Fuzzy = true
					groups[e] = append(groups[e], h)
					room--
				}
			}
		}
	}
	var out []crm.SearchHit
	for _, e := range crm.SearchEntities {
		out = append(out, groups[e]...)
	}
	return out, nil
}

func hasTypoWords(words []crm.SearchWord) bool {
	for _, w := range words {
		if w.Typos {
			return true
		}
	}
	return false
}

// driveFirst orders the words for one entity: the one with the fewest index entries of the
// entity first (it drives the scan; the rest are checked per record). Counting stops at
// selectivityCap entries, so a common word costs a bounded walk of record_terms_entity_term.
// ok is false when some word has no entry of the entity at all: nothing can match.
func (r repo) driveFirst(ctx context.Context, entity string, words []termMatch) (out []termMatch, ok bool, err error) {
	if len(words) < 2 {
		return words, true, nil
	}
	best, bestN := 0, -1
	for i, w := range words {
		var a args
		var n int
		err := r.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM record_terms t WHERE "+
			w.condOf("t.entity", entity, "t.term", &a)+" LIMIT "+fmt.Sprint(selectivityCap)+") s", r.planned(a)...).Scan(&n)
		if err != nil {
			return nil, false, err
		}
		if n == 0 {
			return nil, false, nil
		}
		if bestN < 0 || n < bestN {
			best, bestN = i, n
		}
	}
	out = slices.Clone(words)
	out[0], out[best] = out[best], out[0]
	return out, true, nil
}

// searchEntity reads up to limit live records of one entity matching every word.
func (r repo) searchEntity(ctx context.Context, entity string, words []termMatch, limit int) ([]crm.SearchHit, error) {
	words, ok, err := r.driveFirst(ctx, entity, words)
	if err != nil || !ok {
		return nil, err
	}
	se := searchEntities[entity]
	var a args
	var sb strings.Builder
	fmt.Fprintf(&sb, "SELECT x.id, %s FROM record_terms t JOIN %s x ON x.id = t.record_id%s WHERE %s AND x.deleted_at IS NULL",
		se.columns, se.table, se.joins, words[0].condOf("t.entity", entity, "t.term", &a))
	// The other words are checked per record of the driving word's range. Written as a scalar
	// subquery rather than EXISTS on purpose: PostgreSQL turns EXISTS into a semi-join and may
	// then drive the scan from the commoner word (a first name matches a hundred thousand
	// contacts) when its estimate of a term range is off; a scalar subquery stays a per-row
	// check of a few index entries, in both databases. The term is compared as term || '' so
	// that neither planner reads the check from record_terms_entity_term (all of the entity's
	// terms in the range, filtered by record) instead of the record's own few entries in
	// record_terms_record.
	for i, w := range words[1:] {
		alias := fmt.Sprintf("t%d", i+2)
		fmt.Fprintf(&sb, " AND (SELECT 1 FROM record_terms %[1]s WHERE %[1]s.entity = t.entity AND %[1]s.record_id = t.record_id AND %[2]s LIMIT 1) IS NOT NULL",
			alias, w.cond("("+alias+".term || '')", &a))
	}
	// A record whose several terms share the prefix comes once per term: read some spare rows
	// rather than ask the database for DISTINCT, which would read the whole range first.
	fmt.Fprintf(&sb, " LIMIT %d", limit*4)
	rows, err := r.r.QueryContext(ctx, sb.String(), r.planned(a)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []crm.SearchHit
	seen := map[int64]bool{}
	for rows.Next() {
		var id int64
		var title, s1, s2 string
		if err := rows.Scan(&id, &title, &s1, &s2); err != nil {
			return nil, err
		}
		if seen[id] || len(hits) >= limit {
			continue
		}
		seen[id] = true
		hits = append(hits, crm.SearchHit{Entity: entity, ID: id, Title: title, Subtitle: se.subtitle([]string{s1, s2})})
	}
	return hits, rows.Err()
}

// typoMatch finds the prefixes within one typo of word that some index term starts with.
func (r repo) typoMatch(ctx context.Context, word string) (termMatch, error) {
	var ferr error
	candidates := crm.TypoCandidates(word, func(prefix string) []rune {
		if ferr != nil {
			return nil
		}
		next, err := r.nextChars(ctx, prefix)
		ferr = err
		return next
	})
	if ferr != nil {
		return termMatch{}, ferr
	}
	if len(candidates) > maxTypoProbes {
		candidates = candidates[:maxTypoProbes]
	}
	var m termMatch
	for start := 0; start < len(candidates) && len(m.prefixes) < maxTypoRanges; start += 100 {
		batch := candidates[start:min(start+100, len(candidates))]
		var a args
		parts := make([]string, len(batch))
		for i, p := range batch {
			parts[i] = fmt.Sprintf("SELECT %d AS k WHERE EXISTS (SELECT 1 FROM record_terms WHERE %s)", i,
				termMatch{prefixes: []string{p}}.cond("term", &a))
		}
		rows, err := r.r.QueryContext(ctx, strings.Join(parts, " UNION ALL "), r.planned(a)...)
		if err != nil {
			return m, err
		}
		for rows.Next() {
			var k int
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return m, err
			}
			if len(m.prefixes) < maxTypoRanges {
				m.prefixes = append(m.prefixes, batch[k])
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return m, err
		}
	}
	return m, nil
}

// nextChars lists the letters that follow prefix in index terms, in order: a loose index
// scan, one seek per distinct letter (a plain DISTINCT would read every term under prefix).
func (r repo) nextChars(ctx context.Context, prefix string) ([]rune, error) {
	end := crm.PrefixEnd(prefix)
	n := utf8.RuneCountInString(prefix)
	lo := prefix + "\x01" // past the prefix itself as a whole term; terms hold no control characters
	var out []rune
	for len(out) < maxNextChars {
		var term sql.NullString
		if err := r.r.QueryRowContext(ctx, "SELECT MIN(term) FROM record_terms WHERE term >= $1 AND term < $2", lo, end).Scan(&term); err != nil {
			return nil, err
		}
		if !term.Valid {
			break
		}
		rs := []rune(term.String)
		if len(rs) <= n {
			break // cannot happen past lo; guards the loop
		}
		out = append(out, rs[n])
		lo = crm.PrefixEnd(string(rs[:n+1]))
		if lo == "" {
			break
		}
	}
	return out, nil
}
