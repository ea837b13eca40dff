package jobs

import (
	"context"
	"log/slog"

	"github.com/ladder-crm/ladder/internal/app"
)

// runImports works queued import jobs and resumes interrupted ones (the import slice fills it in).
func runImports(ctx context.Context, a *app.App, log *slog.Logger) {}
