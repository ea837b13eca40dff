// Package jobs runs Ladder's background work inside `ladder serve`: task reminders and import
// jobs. Every worker claims its work in the database, so several instances on one PostgreSQL
// share it without doing anything twice, and work left by a killed process is picked up again.
package jobs

import (
	"context"
	"log/slog"
	"sync"

	"github.com/ladder-crm/ladder/internal/app"
)

// Start launches the workers; they stop when ctx ends. Wait blocks until they have.
func Start(ctx context.Context, a *app.App, log *slog.Logger) (wait func()) {
	var wg sync.WaitGroup
	for _, w := range []func(context.Context, *app.App, *slog.Logger){runReminders, runImports} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w(ctx, a, log)
		}()
	}
	return wg.Wait
}
