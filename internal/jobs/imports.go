package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// importPoll is how often an idle worker looks for queued jobs and for jobs whose worker
// died (their lease ran out).
const importPoll = time.Second

// runImports works queued import jobs and resumes interrupted ones. Each instance is one
// worker with its own name; the database lease decides which worker runs a job, so several
// instances share the queue and a job left by a killed process is taken over after
// app.ImportLease. LADDER_IMPORT_LEASE (a Go duration) shortens the lease for tests.
func runImports(ctx context.Context, a *app.App, log *slog.Logger) {
	if d, err := time.ParseDuration(os.Getenv("LADDER_IMPORT_LEASE")); err == nil && d > 0 {
		app.ImportLease = d
	}
	owner := workerName()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		for ctx.Err() == nil {
			j, err := a.RunImport(ctx, owner, 0, nil)
			if crm.ErrorCode(err) == crm.ENotFound {
				break // nothing queued
			}
			if err != nil && ctx.Err() == nil {
				log.Error("import job", "job", jobID(j), "err", err)
			}
			if err != nil && j == nil {
				// No job was claimed: the database itself refused (down, locked). Wait for the
				// next poll instead of asking again at once in a tight loop.
				break
			}
			if err == nil {
				log.Info("import job done", "job", j.ID, "created", j.Created, "updated", j.Updated,
					"duplicates", j.Duplicates, "errors", j.Errors)
			}
		}
		timer.Reset(importPoll)
	}
}

func jobID(j *crm.ImportJob) int64 {
	if j == nil {
		return 0
	}
	return j.ID
}

// workerName tells this process's leases from every other's: host, pid and a random part
// (a restarted process may get the same pid).
func workerName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "/" + strconv.Itoa(os.Getpid()) + "/" + hex.EncodeToString(b)
}
