package crm

import (
	"context"
	"time"
)

// ImportRepo stores import jobs, their files and the outcome of each of their rows.
type ImportRepo interface {
	// CreateImportJob inserts a job and its file.
	CreateImportJob(ctx context.Context, j *ImportJob, file []byte) error
	ImportJobByID(ctx context.Context, id int64) (*ImportJob, error)
	ImportFile(ctx context.Context, jobID int64) ([]byte, error)
	ListImportJobs(ctx context.Context, f ImportJobFilter) (Page[ImportJob], error)
	// UpdateImportJob writes the settings of a job not yet running (mapping, dedup, status,
	// rows_total) if j.Version is current.
	UpdateImportJob(ctx context.Context, j *ImportJob) error

	// ClaimImportJob gives owner the lease of one job that is queued, or running under a
	// lease that expired before now (its worker died), and marks it running until `until`.
	// id 0 takes any such job, oldest first; ErrNotFound when there is none. Two workers
	// never hold one job: the claim is one conditional UPDATE.
	ClaimImportJob(ctx context.Context, id int64, owner string, now, until time.Time) (*ImportJob, error)
	// RenewImportLease extends owner's lease; ErrConflict when the job is no longer theirs.
	RenewImportLease(ctx context.Context, id int64, owner string, until time.Time) error
	// CommitImportBatch records a batch's rows, adds them to the counters and moves the
	// checkpoint, if owner still holds the lease (else ErrConflict). Run it in the transaction
	// that wrote the batch's records: rows and records commit together or not at all.
	CommitImportBatch(ctx context.Context, b ImportBatch) error
	// FinishImportJob ends owner's job with status done or failed and releases the lease;
	// cancelling works whoever holds it (owner "").
	FinishImportJob(ctx context.Context, id int64, owner string, status ImportStatus, reason string) error

	// ImportRows reads a job's row outcomes after row afterRow in order; outcome "" = all.
	ImportRows(ctx context.Context, jobID int64, outcome RowOutcome, afterRow int64, limit int) ([]ImportRow, error)
	// PriorImportRows maps row numbers in [from, to] to the record each one created, updated
	// or matched in other jobs of the same file (sha256) and entity: importing a file again
	// adds nothing.
	PriorImportRows(ctx context.Context, entity, sha256 string, exceptJob, from, to int64) (map[int64]int64, error)
	// ImportMatches finds live records of entity by dedup keys in one query per kind:
	// "inn:<inn>", "ref:<external_ref>", "name:<exact name>" (companies) and the search terms
	// of e-mails and phones
	// ("email:<lowered>", "phone:<E.164 digits>"). It returns key → record ids.
	ImportMatches(ctx context.Context, entity string, keys []string) (map[string][]int64, error)
}
