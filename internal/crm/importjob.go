package crm

import "time"

// ImportStatus is where an import job stands. A job goes uploaded → previewed → queued →
// running → done, failed or cancelled; a running job whose worker died goes back to running
// under another worker once its lease expires.
type ImportStatus string

const (
	ImportUploaded  ImportStatus = "uploaded"
	ImportPreviewed ImportStatus = "previewed"
	ImportQueued    ImportStatus = "queued"
	ImportRunning   ImportStatus = "running"
	ImportDone      ImportStatus = "done"
	ImportFailed    ImportStatus = "failed"
	ImportCancelled ImportStatus = "cancelled"
)

// Finished reports whether the job will not run again.
func (s ImportStatus) Finished() bool {
	return s == ImportDone || s == ImportFailed || s == ImportCancelled
}

// DedupMode says what an import does with a row that matches an existing record by a
// normalised phone, e-mail, INN or external reference.
type DedupMode string

const (
	DedupSkip   DedupMode = "skip"   // count it as a duplicate and name the existing record
	DedupUpdate DedupMode = "update" // fill the existing record's empty fields
	DedupCreate DedupMode = "create" // create a new record anyway
)

// Valid reports whether m is a known mode.
func (m DedupMode) Valid() bool { return m == DedupSkip || m == DedupUpdate || m == DedupCreate }

// RowOutcome is what happened to one row of a file.
type RowOutcome string

const (
	RowCreated   RowOutcome = "created"
	RowUpdated   RowOutcome = "updated"
	RowDuplicate RowOutcome = "duplicate"
	RowError     RowOutcome = "error"
)

// ImportEntities are the record types a file can be imported into.
var ImportEntities = []string{EntityCompany, EntityContact, EntityDeal}

// ImportJob is one file being imported into one entity.
type ImportJob struct {
	ID         int64        `json:"id"`
	Entity     string       `json:"entity"` // EntityCompany, EntityContact or EntityDeal
	FileName   string       `json:"file_name"`
	Format     string       `json:"format"` // csv, xlsx
	FileSHA256 string       `json:"file_sha256"`
	FileSize   int64        `json:"file_size"`
	Mapping    []string     `json:"mapping"` // field per file column, "" = ignored
	Dedup      DedupMode    `json:"dedup"`
	Status     ImportStatus `json:"status"`
	// Counters; RowsDone = Created + Updated + Duplicates + Errors.
	RowsTotal  int64 `json:"rows_total"`
	RowsDone   int64 `json:"rows_done"`
	Created    int64 `json:"created"`
	Updated    int64 `json:"updated"`
	Duplicates int64 `json:"duplicates"`
	Errors     int64 `json:"errors"`
	// Checkpoint is the last data row number (1 = the first row under the header) whose
	// outcome is committed; a resumed job continues after it.
	Checkpoint    int64      `json:"checkpoint"`
	LeaseOwner    string     `json:"-"`
	LeaseUntil    *time.Time `json:"-"`
	Error         string     `json:"error,omitempty"` // why a job failed as a whole
	DirectorateID *int64     `json:"directorate_id,omitempty"`
	StartedAt     *time.Time `json:"started_at,omitempty"`
	FinishedAt    *time.Time `json:"finished_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	CreatedBy     *int64     `json:"created_by,omitempty"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Version       int64      `json:"version"`
}

// ImportRow is the committed outcome of one row of a job's file.
type ImportRow struct {
	JobID    int64      `json:"job_id"`
	RowNo    int64      `json:"row_no"`
	Outcome  RowOutcome `json:"outcome"`
	RecordID *int64     `json:"record_id,omitempty"`
	// Message holds, for an error, the field problems as JSON {"field":"catalogue key"}; for
	// a duplicate, which key matched ("inn", "phone", "email", "external_ref", "file").
	Message string `json:"message,omitempty"`
}

// ImportBatch is what one transaction commits for a job: the rows' outcomes, the new
// checkpoint and the counters' increments.
type ImportBatch struct {
	JobID      int64
	Owner      string // the lease holder; a batch of a lost lease is refused
	Rows       []ImportRow
	Checkpoint int64
}

// ImportJobFilter narrows the job list.
type ImportJobFilter struct {
	CreatedBy  int64  // 0 = everyone's
	FileSHA256 string // "" = any file; with Entity: earlier imports of the same file
	Entity     string
	Page       PageRequest
}
