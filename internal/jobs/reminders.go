package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
)

// reminderPoll is the longest the worker sleeps: reminders saved by another instance (or
// written straight to the store, as stage task chains are) are found at most this late.
const reminderPoll = 5 * time.Second

// reminderBatch bounds one round of claims.
const reminderBatch = 200

// runReminders delivers task reminders when their time comes: it claims due reminders in
// the database (so that of several instances exactly one delivers each) and publishes them
// to the assignees' open pages through the app's notifier. It sleeps until the next known
// reminder or reminderPoll, whichever is sooner, and wakes early when a task with a reminder
// is saved. When ctx ends (server shutdown) it closes the notifier, which ends every open
// event stream so that the HTTP server can stop.
func runReminders(ctx context.Context, a *app.App, log *slog.Logger) {
	n := a.Notifier()
	defer n.Close()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-n.Woken():
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		}
		timer.Reset(deliverReminders(ctx, a, log))
	}
}

// deliverReminders runs one round and returns how long to sleep.
func deliverReminders(ctx context.Context, a *app.App, log *slog.Logger) time.Duration {
	for {
		sent, err := a.DeliverDueReminders(ctx, reminderBatch)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("reminders", "err", err)
			}
			return reminderPoll
		}
		if sent > 0 {
			log.Debug("reminders delivered", "count", sent)
		}
		if sent < reminderBatch {
			break
		}
	}
	next, err := a.NextReminder(ctx)
	if err != nil || next == nil {
		return reminderPoll
	}
	wait := time.Until(*next)
	switch {
	case wait < 10*time.Millisecond:
		// Due already but not delivered: claimed in this very moment elsewhere, or its task
		// changed; look again shortly rather than spin.
		return 250 * time.Millisecond
	case wait > reminderPoll:
		return reminderPoll
	}
	return wait
}
