package jobs

import (
	"context"
	"log/slog"

	"github.com/ladder-crm/ladder/internal/app"
)

// runReminders delivers task reminders when their time comes (the work slice fills it in).
func runReminders(ctx context.Context, a *app.App, log *slog.Logger) {}
