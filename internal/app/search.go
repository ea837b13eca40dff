package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Search limits: the header box shows a few hits per group, the search page more.
const (
	SearchBoxLimit  = 5
	SearchPageLimit = 50
	// MaxSearchQuery caps what is parsed: nobody types a longer query, and it bounds the work.
	MaxSearchQuery = 200
)

// Search is the global search box: companies, contacts and deals whose names, phones,
// e-mails or INN start with every word of q, in the groups the actor may read. limit caps each
// group (1–100). A query of one letter finds nothing: it would match a tenth of the database.
func (a *App) Search(ctx context.Context, q string, limit int) ([]crm.SearchHit, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !act.User.Roles.IsCRMUser() {
		return nil, crm.ErrForbidden
	}
	q = strings.TrimSpace(q)
	if utf8.RuneCountInString(q) < 2 {
		return nil, nil
	}
	if utf8.RuneCountInString(q) > MaxSearchQuery {
		q = string([]rune(q)[:MaxSearchQuery])
	}
	limit = max(1, min(limit, 100))
	var entities []string
	for _, e := range crm.SearchEntities {
		if Can(act, ActRead, e, nil) == nil {
			entities = append(entities, e)
		}
	}
	return a.store.Search(ctx, crm.SearchQuery{Text: q, Limit: limit, Entities: entities})
}
