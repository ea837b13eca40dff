package crm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SearchHit is one record found by the global search box.
type SearchHit struct {
	Entity   string `json:"entity"` // EntityCompany, EntityContact, EntityDeal
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"` // company of a contact, INN, phone…
	// Fuzzy marks a hit found only by tolerating a typo in one of the words.
	Fuzzy bool `json:"fuzzy"`
}

// SearchQuery is one call of the global search.
type SearchQuery struct {
	Text string
	// Limit caps the hits of each entity group (companies, contacts, deals).
	Limit int
	// Entities are the record types to look in (those the user may read); empty means none.
	Entities []string
}

// SearchEntities are the record types the global search covers, in the order the box shows
// their groups.
var SearchEntities = []string{EntityCompany, EntityContact, EntityDeal}

// SearchWord is one word of a search query: a record matches it when one of its index terms
// starts with one of Prefixes (a phone typed with a leading 8 tries 7 as well).
type SearchWord struct {
	Prefixes []string
	// Typos says the word may be matched with one typo: it is a word of letters long enough
	// for a typo to be told from a different word (phones, e-mails and short words are exact).
	Typos bool
}

// MinTypoRunes and MaxTypoRunes bound the words the search corrects a typo in: a shorter word
// is still being typed, a longer one is not a name (and each letter costs index seeks).
const (
	MinTypoRunes = 4
	MaxTypoRunes = 24
)

// ParseSearch splits what a user typed into the words that must all match. Words are lowered
// and cut at anything that is neither a letter nor a digit, as the index terms are (see
// store/terms.go); a token with @ is kept whole, as e-mails are indexed whole; a query that
// looks like a telephone number (digits, spaces, + ( ) - .) becomes one word of its digits, a
// Russian number's leading 8 read as 7.
func ParseSearch(q string) []SearchWord {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	if digits, ok := phoneLike(q); ok {
		return []SearchWord{{Prefixes: phonePrefixes(digits)}}
	}
	var words []SearchWord
	seen := map[string]bool{}
	add := func(w string, typos bool) {
		if w == "" || seen[w] {
			return
		}
		seen[w] = true
		n := utf8.RuneCountInString(w)
		words = append(words, SearchWord{Prefixes: []string{w}, Typos: typos && n >= MinTypoRunes && n <= MaxTypoRunes})
	}
	for _, token := range strings.Fields(strings.ToLower(q)) {
		if strings.Contains(token, "@") {
			add(strings.Trim(token, "<>,;\"'()"), false)
			continue
		}
		for _, w := range strings.FieldsFunc(token, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			add(w, !isDigits(w))
		}
	}
	return words
}

// phoneLike reports whether q is made of digits and the punctuation of telephone numbers
// only, and returns its digits: a phone, an INN or a part of one, all indexed as digits.
func phoneLike(q string) (string, bool) {
	var digits strings.Builder
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == ' ' || r == '+' || r == '(' || r == ')' || r == '-' || r == '.' || r == '\u00a0':
		default:
			return "", false
		}
	}
	return digits.String(), digits.Len() > 0
}

// phonePrefixes gives the index prefixes of a typed phone: its digits; an eleven-digit Russian
// number written with 8 is the same number as with 7 (8 916… = +7 916…), and a partial number
// starting with 8 may be either a domestic 8… or the start of a national code, so both go.
func phonePrefixes(d string) []string {
	if strings.HasPrefix(d, "8") {
		seven := "7" + d[1:]
		if len(d) == 11 {
			return []string{seven}
		}
		return []string{d, seven}
	}
	return []string{d}
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// PrefixWithinTypo reports whether some prefix of term is within one edit of word: one
// letter substituted, inserted, deleted or two neighbours swapped (Damerau–Levenshtein, the
// restricted form). It is how the search tolerates a typo in a word still being typed.
func PrefixWithinTypo(word, term string) bool {
	w, t := []rune(word), []rune(term)
	// The distance from w to each prefix t[:j] is the last row of the edit-distance table;
	// any cell of it ≤ 1 is a prefix within one typo.
	n, m := len(w), len(t)
	if m < n-1 {
		return false
	}
	prev2 := make([]int, m+1)
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	for j := 0; j <= m; j++ {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		for j := 1; j <= m; j++ {
			cost := 1
			if w[i-1] == t[j-1] {
				cost = 0
			}
			c := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && w[i-1] == t[j-2] && w[i-2] == t[j-1] {
				c = min(c, prev2[j-2]+1)
			}
			cur[j] = c
		}
		prev2, prev, cur = prev, cur, prev2
	}
	for j := max(0, n-1); j <= min(m, n+1); j++ {
		if prev[j] <= 1 {
			return true
		}
	}
	return false
}

// TypoCandidates lists the prefixes a term may start with to be within one typo of word
// (see PrefixWithinTypo): each letter deleted, each pair of neighbours swapped, and each
// letter substituted or a letter inserted before it, for the letters next(p) says follow the
// prefix p in the index (the store reads them with a few index seeks). A letter substituted or
// missing at the very start is not corrected: people rarely miss the first letter, and every
// term of the index would be a candidate. The word itself and longer forms of it are left out:
// the exact search has them.
func TypoCandidates(word string, next func(prefix string) []rune) []string {
	w := []rune(word)
	n := len(w)
	var out []string
	seen := map[string]bool{word: true}
	add := func(p []rune) {
		s := string(p)
		if len(p) > 0 && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	cat := func(parts ...[]rune) []rune {
		var r []rune
		for _, p := range parts {
			r = append(r, p...)
		}
		return r
	}
	for i := 0; i < n; i++ {
		if n > 1 {
			add(cat(w[:i], w[i+1:])) // w[i] typed in excess
		}
		if i+1 < n {
			add(cat(w[:i], []rune{w[i+1], w[i]}, w[i+2:])) // neighbours swapped
		}
	}
	for i := 1; i < n; i++ {
		for _, c := range next(string(w[:i])) {
			if c != w[i] {
				add(cat(w[:i], []rune{c}, w[i+1:])) // w[i] typed for c
			}
			add(cat(w[:i], []rune{c}, w[i:])) // c missed before w[i]
		}
	}
	return out
}

// PrefixEnd is the smallest string greater than every string starting with prefix in byte
// order, for the index range term >= prefix AND term < PrefixEnd(prefix). It increments the
// last character rather than the last byte so that the bound stays valid UTF-8 (PostgreSQL
// refuses anything else); UTF-8 byte order is code point order. Empty means no upper bound.
func PrefixEnd(prefix string) string {
	r := []rune(prefix)
	for i := len(r) - 1; i >= 0; i-- {
		switch {
		case r[i] >= unicode.MaxRune:
			continue
		case r[i] == 0xD7FF: // the surrogates are not characters
			r[i] = 0xE000
		default:
			r[i]++
		}
		return string(r[:i+1])
	}
	return ""
}
