package store_test

import (
	"testing"

	"github.com/ladder-crm/ladder/internal/store/storetest"
)

// TestConformance runs the one store suite on SQLite and on PostgreSQL.
func TestConformance(t *testing.T) {
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			db := storetest.Open(t, k.URL(t))
			storetest.Run(t, db)
		})
	}
}
