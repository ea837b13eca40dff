package crm

import "context"

// SearchRepo is the global search over companies, contacts and deals.
type SearchRepo interface {
	// Search finds live records of q.Entities whose index terms start with every word of
	// q.Text (names, phones, e-mails, INN): lower-case, Russian and English; when the exact
	// prefixes find fewer than q.Limit records, words are also matched with one typo. Hits come
	// grouped in the order of SearchEntities, exact ones first, at most q.Limit per group.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
}
