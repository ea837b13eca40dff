package crm

import "context"

// SearchRepo is the global search over companies, contacts and deals.
type SearchRepo interface {
	// Search finds records whose terms start with each word of q (names, phones, e-mails,
	// INN); lower-case, Russian and English, tolerant of one typo.
	Search(ctx context.Context, q string, limit int) ([]SearchHit, error)
}
