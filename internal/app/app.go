// Package app holds Ladder's use cases. Every write goes through here, whoever calls (UI, API,
// CLI, jobs): permissions are checked before anything is written, the change and its audit
// entry land in one transaction.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// App is the use-case layer over one store.
type App struct {
	store crm.Store
	log   *slog.Logger
	now   func() time.Time
	// notifier carries live notices (reminders) to the open pages of this app's users.
	notifier *Notifier
	// LockoutAfter failed logins lock an account for LockoutFor.
	LockoutAfter int
	LockoutFor   time.Duration
}

// New makes an App over store.
func New(store crm.Store, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	return &App{store: store, log: log, now: func() time.Time { return time.Now().UTC() },
		notifier: newNotifier(), LockoutAfter: 5, LockoutFor: 15 * time.Minute}
}

// SetClock replaces the clock (tests).
func (a *App) SetClock(now func() time.Time) { a.now = now }

// Store exposes the store to wiring code that needs it (session store, health checks).
func (a *App) Store() crm.Store { return a.store }

// Ready reports whether the database answers.
func (a *App) Ready(ctx context.Context) error { return a.store.Ping(ctx) }
