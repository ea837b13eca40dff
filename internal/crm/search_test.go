package crm

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseSearch(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []SearchWord
	}{
		{"", nil},
		{"  Иванов  ", []SearchWord{{Prefixes: []string{"иванов"}, Typos: true}}},
		{"ИВАНОВ пётр", []SearchWord{{Prefixes: []string{"иванов"}, Typos: true}, {Prefixes: []string{"пётр"}, Typos: true}}},
		{"ООО «Ромашка»", []SearchWord{{Prefixes: []string{"ооо"}}, {Prefixes: []string{"ромашка"}, Typos: true}}},
		{"Smith smith", []SearchWord{{Prefixes: []string{"smith"}, Typos: true}}},
		{"P.Ivanov@Mail.RU", []SearchWord{{Prefixes: []string{"p.ivanov@mail.ru"}}}},
		{"8 (916) 123-45-67", []SearchWord{{Prefixes: []string{"79161234567"}}}},
		{"+7 916 123 45 67", []SearchWord{{Prefixes: []string{"79161234567"}}}},
		{"89161234567", []SearchWord{{Prefixes: []string{"79161234567"}}}},
		{"8916", []SearchWord{{Prefixes: []string{"8916", "7916"}}}},
		{"8 916", []SearchWord{{Prefixes: []string{"8916", "7916"}}}},
		{"8 916 1", []SearchWord{{Prefixes: []string{"89161", "79161"}}}},
		{"7707083893", []SearchWord{{Prefixes: []string{"7707083893"}}}},
		{"дом 12", []SearchWord{{Prefixes: []string{"дом"}}, {Prefixes: []string{"12"}}}},
		{strings.Repeat("я", 25), []SearchWord{{Prefixes: []string{strings.Repeat("я", 25)}}}},
	} {
		if got := ParseSearch(tc.q); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseSearch(%q) = %+v, want %+v", tc.q, got, tc.want)
		}
	}
}

func TestPrefixWithinTypo(t *testing.T) {
	for _, tc := range []struct {
		word, term string
		want       bool
	}{
		{"иванов", "иванов", true},
		{"иванов", "ивановский", true}, // a prefix
		{"ивонов", "иванов", true},     // substitution
		{"иваонв", "иванова", true},    // neighbours swapped
		{"иванв", "иванов", true},      // a letter missed
		{"ииванов", "иванов", true},    // a letter in excess
		{"ивон", "иванов", true},       // still typing, one wrong letter
		{"ивнаов", "иванов", true},     //
		{"ивонв", "иванов", false},     // two typos
		{"петров", "иванов", false},    //
		{"smiht", "smithson", true},    //
		{"иванов", "ива", false},       // the term is too short
		{"иванов", "иванво", true},     // swapped at the end of the term
		{"ab", "ba", true},             //
	} {
		if got := PrefixWithinTypo(tc.word, tc.term); got != tc.want {
			t.Errorf("PrefixWithinTypo(%q, %q) = %v, want %v", tc.word, tc.term, got, tc.want)
		}
	}
}

// Every candidate TypoCandidates makes is within one typo of the word, and the typos people
// make from the second letter on are all among them.
func TestTypoCandidates(t *testing.T) {
	index := []string{"иванов", "иванова", "ивашов", "игнатов", "петров", "ивлев"}
	next := func(prefix string) []rune {
		var out []rune
		seen := map[rune]bool{}
		for _, term := range index {
			if rest, ok := strings.CutPrefix(term, prefix); ok && rest != "" {
				r := []rune(rest)[0]
				if !seen[r] {
					seen[r] = true
					out = append(out, r)
				}
			}
		}
		return out
	}
	for _, word := range []string{"ивонов", "иваонв", "ивнов", "иваанов", "игнатв"} {
		cands := TypoCandidates(word, next)
		if len(cands) == 0 {
			t.Fatalf("%q: no candidates", word)
		}
		for _, c := range cands {
			if !PrefixWithinTypo(word, c) {
				t.Errorf("%q: candidate %q is not within one typo", word, c)
			}
		}
		matched := false
		for _, c := range cands {
			for _, term := range index {
				if strings.HasPrefix(term, c) && (term == "иванов" || term == "игнатов") {
					matched = true
				}
			}
		}
		if !matched {
			t.Errorf("%q: candidates %q miss the intended term", word, cands)
		}
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"abc", "abd"},
		{"ип", "ир"}, // п is 0xD0 0xBF: incrementing the byte would not be UTF-8
		{"я", "ѐ"},
		{"a\U0010FFFF", "b"},
		{"", ""},
	} {
		if got := PrefixEnd(tc.in); got != tc.want {
			t.Errorf("PrefixEnd(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if tc.want != "" && !(tc.in < tc.want && tc.in+"zzz" < tc.want) {
			t.Errorf("PrefixEnd(%q) is not above the prefix's strings", tc.in)
		}
	}
}
