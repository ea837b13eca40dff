package store

import (
	"context"
	"strings"
	"unicode"

	"github.com/ladder-crm/ladder/internal/crm"
)

// recordTerms collects the search-index terms of one record (see record_terms in the
// migrations): each lowered word of its texts, each e-mail whole, each phone as its E.164
// digits and, for Russian numbers, its ten national digits, and identifiers (INN) as they are.
type recordTerms map[string]struct{}

func (t recordTerms) words(texts ...string) recordTerms {
	for _, s := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			t[w] = struct{}{}
		}
	}
	return t
}

func (t recordTerms) emails(emails ...string) recordTerms {
	for _, e := range emails {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			t[e] = struct{}{}
		}
	}
	return t
}

func (t recordTerms) phones(phones ...crm.Phone) recordTerms {
	for _, p := range phones {
		digits := strings.TrimPrefix(p.E164, "+")
		if digits == "" {
			continue
		}
		t[digits] = struct{}{}
		if strings.HasPrefix(digits, "7") && len(digits) == 11 {
			t[digits[1:]] = struct{}{}
		}
	}
	return t
}

func (t recordTerms) ids(ids ...string) recordTerms {
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" {
			t[strings.ToLower(id)] = struct{}{}
		}
	}
	return t
}

// replaceTerms rewrites the index terms of one record in the current transaction.
func (r repo) replaceTerms(ctx context.Context, entity string, id int64, terms recordTerms) error {
	if _, err := r.w.ExecContext(ctx, "DELETE FROM record_terms WHERE entity = $1 AND record_id = $2", entity, id); err != nil {
		return err
	}
	for term := range terms {
		if len(term) > 200 {
			continue // not a word anyone types; keeps the index small
		}
		if _, err := r.w.ExecContext(ctx, "INSERT INTO record_terms (term, entity, record_id) VALUES ($1, $2, $3)", term, entity, id); err != nil {
			return err
		}
	}
	return nil
}

// replaceTags rewrites the tags of one record: the record's own tags column keeps them for
// display; record_tags serves the tag filter through an index.
func (r repo) replaceTags(ctx context.Context, entity string, id int64, tags []string) error {
	if _, err := r.w.ExecContext(ctx, "DELETE FROM record_tags WHERE entity = $1 AND record_id = $2", entity, id); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, tag := range tags {
		if tag == "" || seen[tag] {
			continue
		}
		seen[tag] = true
		if _, err := r.w.ExecContext(ctx, "INSERT INTO record_tags (entity, tag, record_id) VALUES ($1, $2, $3)", entity, tag, id); err != nil {
			return err
		}
	}
	return nil
}
