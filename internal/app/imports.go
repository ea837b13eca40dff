package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/importer"
)

// Import limits and pacing.
const (
	// MaxImportFile is the largest file an import takes (a million contacts as CSV is ~150 MB).
	MaxImportFile = 256 << 20
	// ImportPreviewRows is how many rows the preview screen checks.
	ImportPreviewRows = 20
)

// ImportBatch rows are written, recorded and checkpointed in one transaction (a variable for
// tests that need many batches from a small file).
var ImportBatch = 1000

// ImportLease is how long a worker holds a job between renewals (one per batch); a worker
// killed mid-job leaves it to another after this long. Variable so that tests can shorten it.
var ImportLease = 30 * time.Second

// ImportHead is what the mapping screen shows of a file: its columns, a few sample rows and
// whether the same file was imported before.
type ImportHead struct {
	Header  []string
	Samples [][]string
	Prior   *crm.ImportJob // an earlier job of the same file and entity, if any
}

// CreateImport stores an uploaded file as a new job with a guessed mapping. The caller needs
// the right to create records of the entity; the records will go to directorateID (0 = the
// user's first, R4).
func (a *App) CreateImport(ctx context.Context, entity, fileName string, data []byte, directorateID int64) (*crm.ImportJob, error) {
	act, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	if err := canImport(act, entity); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, invalidField("file", "import.err.file_empty")
	}
	if len(data) > MaxImportFile {
		return nil, invalidField("file", "import.err.file_too_big")
	}
	format, err := importer.DetectFormat(fileName, data)
	if err != nil {
		return nil, invalidField("file", "import.err.file_format")
	}
	rd, err := importer.Open(format, data)
	if err != nil {
		if errors.Is(err, importer.ErrNoHeader) {
			return nil, invalidField("file", "import.err.file_no_header")
		}
		return nil, invalidField("file", "import.err.file_format")
	}
	defer rd.Close()
	var total int64
	for {
		n, _, err := rd.Next()
		if err == io.EOF {
			break
		}
		var rowErr *importer.RowError
		if err != nil && !errors.As(err, &rowErr) {
			return nil, invalidField("file", "import.err.file_format")
		}
		total = n
	}
	sum := sha256.Sum256(data)
	fileName = strings.TrimSpace(fileName)
	if utf8.RuneCountInString(fileName) > 200 || !utf8.ValidString(fileName) {
		fileName = string([]rune(strings.ToValidUTF8(fileName, ""))[:min(200, utf8.RuneCountInString(strings.ToValidUTF8(fileName, "")))])
	}
	j := &crm.ImportJob{Entity: entity, FileName: fileName, Format: format, FileSHA256: hex.EncodeToString(sum[:]),
		Mapping: importer.GuessMapping(entity, rd.Header()), Dedup: crm.DedupSkip, Status: crm.ImportUploaded,
		RowsTotal: total, CreatedBy: act.userID()}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		pl, err := a.place(ctx, r, act, Placement{DirectorateID: directorateID}, nil)
		if err != nil {
			return err
		}
		j.DirectorateID = optionalID(pl.DirectorateID)
		if err := r.CreateImportJob(ctx, j, data); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityImport, j.ID, nil, j)
	})
	if err != nil {
		return nil, err
	}
	return j, nil
}

func canImport(act *Actor, entity string) error {
	switch entity {
	case crm.EntityCompany, crm.EntityContact, crm.EntityDeal:
	default:
		return invalidField("entity", "err.choice")
	}
	if err := Can(act, ActCreate, crm.EntityImport, nil); err != nil {
		return err
	}
	return Can(act, ActCreate, entity, nil)
}

// ImportJob reads a job: its author's, or anyone's for crm_admin and admin.
func (a *App) ImportJob(ctx context.Context, id int64) (*crm.ImportJob, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	j, err := a.store.ImportJobByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return j, ownJob(act, j)
}

// ownJob hides other people's jobs: a file may hold what its uploader alone should see.
func ownJob(act *Actor, j *crm.ImportJob) error {
	if err := Can(act, ActRead, crm.EntityImport, nil); err != nil {
		return err
	}
	if act.User.Roles.IsFullAdmin() || (j.CreatedBy != nil && *j.CreatedBy == act.User.ID) {
		return nil
	}
	return crm.ErrNotFound
}

// ListImportJobs reads the actor's jobs (everyone's for crm_admin and admin), newest first.
func (a *App) ListImportJobs(ctx context.Context, page crm.PageRequest) (crm.Page[crm.ImportJob], error) {
	act, err := actor(ctx)
	if err != nil {
		return crm.Page[crm.ImportJob]{}, err
	}
	if err := Can(act, ActRead, crm.EntityImport, nil); err != nil {
		return crm.Page[crm.ImportJob]{}, err
	}
	f := crm.ImportJobFilter{Page: page}
	if page.Sort == "" {
		f.Page.Sort, f.Page.Desc = "created_at", true
	}
	if !act.User.Roles.IsFullAdmin() {
		f.CreatedBy = act.User.ID
		if f.CreatedBy == 0 {
			return crm.Page[crm.ImportJob]{}, nil
		}
	}
	f.Page.Clamp()
	return a.store.ListImportJobs(ctx, f)
}

// ImportHead reads a job's columns and first rows for the mapping screen.
func (a *App) ImportHead(ctx context.Context, j *crm.ImportJob, samples int) (*ImportHead, error) {
	data, err := a.store.ImportFile(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	rd, err := importer.Open(j.Format, data)
	if err != nil {
		return nil, invalidField("file", "import.err.file_format")
	}
	defer rd.Close()
	h := &ImportHead{Header: rd.Header()}
	for len(h.Samples) < samples {
		_, cells, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			continue
		}
		h.Samples = append(h.Samples, cells)
	}
	// An earlier import of the same file, newest first: the caller's own (or anyone's for
	// crm_admin and admin, who see every job), never another user's.
	pf := crm.ImportJobFilter{FileSHA256: j.FileSHA256, Entity: j.Entity, Page: crm.PageRequest{Sort: "id", Desc: true, Limit: 20}}
	if act := ActorFrom(ctx); act == nil || act.User == nil || !act.User.Roles.IsFullAdmin() {
		pf.CreatedBy = derefID(j.CreatedBy)
	}
	prior, err := a.store.ListImportJobs(ctx, pf)
	if err == nil {
		for i := range prior.Items {
			p := prior.Items[i]
			if p.ID != j.ID && p.FileSHA256 == j.FileSHA256 && p.Entity == j.Entity && p.RowsDone > 0 {
				h.Prior = &p
				break
			}
		}
	}
	return h, nil
}

// SetImportMapping saves the column mapping and the dedup mode of a job not yet started.
func (a *App) SetImportMapping(ctx context.Context, id, version int64, mapping []string, dedup crm.DedupMode) (*crm.ImportJob, error) {
	return a.editImportJob(ctx, id, version, func(_ *Actor, j *crm.ImportJob) error {
		if j.Status != crm.ImportUploaded && j.Status != crm.ImportPreviewed {
			return crm.ErrStale
		}
		if !dedup.Valid() {
			return invalidField("dedup", "err.choice")
		}
		if p := importer.CheckMapping(j.Entity, mapping, len(j.Mapping)); len(p) > 0 {
			return p.Err()
		}
		j.Mapping, j.Dedup, j.Status = mapping, dedup, crm.ImportPreviewed
		return nil
	})
}

// SetImportDedup changes only the dedup mode of a job not yet started, keeping its state:
// the upload form asks for the mode before the columns are settled.
func (a *App) SetImportDedup(ctx context.Context, id, version int64, dedup crm.DedupMode) (*crm.ImportJob, error) {
	if _, err := writer(ctx); err != nil {
		return nil, err
	}
	if !dedup.Valid() {
		return nil, invalidField("dedup", "err.choice")
	}
	return a.editImportJob(ctx, id, version, func(_ *Actor, j *crm.ImportJob) error {
		if j.Status != crm.ImportUploaded && j.Status != crm.ImportPreviewed {
			return crm.ErrStale
		}
		j.Dedup = dedup
		return nil
	})
}

// StartImport queues a previewed job for the background worker.
func (a *App) StartImport(ctx context.Context, id, version int64) (*crm.ImportJob, error) {
	return a.editImportJob(ctx, id, version, func(act *Actor, j *crm.ImportJob) error {
		if err := canImport(act, j.Entity); err != nil {
			return err
		}
		if j.Status != crm.ImportPreviewed {
			return crm.ErrStale
		}
		j.Status = crm.ImportQueued
		return nil
	})
}

// editImportJob runs one edit of a job of the actor's own in a transaction: edit checks the
// job's state and changes it (or refuses), and the write is version-checked and audited.
func (a *App) editImportJob(ctx context.Context, id, version int64, edit func(act *Actor, j *crm.ImportJob) error) (*crm.ImportJob, error) {
	act, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.ImportJob
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		j, err := r.ImportJobByID(ctx, id)
		if err != nil {
			return err
		}
		if err := ownJob(act, j); err != nil {
			return err
		}
		before := *j
		if err := edit(act, j); err != nil {
			return err
		}
		j.Version = version
		if err := r.UpdateImportJob(ctx, j); err != nil {
			return err
		}
		out = j
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityImport, id, &before, j)
	})
	return out, err
}

// CancelImport stops a job that has not finished; what it imported stays.
func (a *App) CancelImport(ctx context.Context, id int64) error {
	act, err := writer(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		j, err := r.ImportJobByID(ctx, id)
		if err != nil {
			return err
		}
		if err := ownJob(act, j); err != nil {
			return err
		}
		if err := r.FinishImportJob(ctx, id, "", crm.ImportCancelled, ""); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityImport, id,
			map[string]any{"status": j.Status}, map[string]any{"status": crm.ImportCancelled})
	})
}

// ImportRowOutcomes reads a job's row outcomes (outcome "" = all) after row afterRow.
func (a *App) ImportRowOutcomes(ctx context.Context, id int64, outcome crm.RowOutcome, afterRow int64, limit int) ([]crm.ImportRow, error) {
	if _, err := a.ImportJob(ctx, id); err != nil {
		return nil, err
	}
	return a.store.ImportRows(ctx, id, outcome, afterRow, limit)
}

// PreviewRow is what the preview shows of one row: what would happen to it.
type PreviewRow struct {
	Row      int64
	Cells    []string
	Outcome  crm.RowOutcome // created means "would be created"
	RecordID *int64         // the existing record of a duplicate or an update
	Match    string         // which key matched: inn, ref, email, phone, name, file
	Problems map[string]string
}

// PreviewImport runs the first rows of a job through every check without writing anything.
func (a *App) PreviewImport(ctx context.Context, id int64, rows int) ([]PreviewRow, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	j, err := a.ImportJob(ctx, id)
	if err != nil {
		return nil, err
	}
	data, err := a.store.ImportFile(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	rd, err := importer.Open(j.Format, data)
	if err != nil {
		return nil, invalidField("file", "import.err.file_format")
	}
	defer rd.Close()
	batch, err := readBatch(rd, rows, 0)
	if err != nil {
		return nil, err
	}
	run := newImportRun(a, j, act)
	var out []PreviewRow
	// Preview writes nothing; the transaction only gives the run one consistent view.
	errPreview := errors.New("preview")
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		plans, err := run.plan(ctx, r, batch, nil, false)
		if err != nil {
			return err
		}
		for i, p := range plans {
			out = append(out, PreviewRow{Row: p.row.RowNo, Cells: batch[i].cells, Outcome: p.row.Outcome,
				RecordID: p.row.RecordID, Match: p.match, Problems: p.problems})
		}
		return errPreview
	})
	if err != nil && !errors.Is(err, errPreview) {
		return nil, err
	}
	return out, nil
}

// fileRow is one row read from a file.
type fileRow struct {
	no     int64
	cells  []string
	rowErr string // catalogue key of a malformed row
}

// readBatch reads up to n rows after row `after`.
func readBatch(rd importer.Reader, n int, after int64) ([]fileRow, error) {
	var out []fileRow
	for len(out) < n {
		no, cells, err := rd.Next()
		if err == io.EOF {
			break
		}
		var rowErr *importer.RowError
		if err != nil && !errors.As(err, &rowErr) {
			return nil, err
		}
		if no <= after {
			continue
		}
		fr := fileRow{no: no, cells: cells}
		if rowErr != nil {
			fr.rowErr = rowErr.Key
		}
		out = append(out, fr)
	}
	return out, nil
}

// RunImport claims a job (id 0: any queued job or one whose worker died) for owner and works
// it to the end in batches, calling progress after each. It returns crm.ErrNotFound when
// there is nothing to claim, and the job as it ended otherwise. A cancelled context stops it
// between batches and releases the lease, so that the job resumes at once elsewhere.
func (a *App) RunImport(ctx context.Context, owner string, id int64, progress func(*crm.ImportJob)) (*crm.ImportJob, error) {
	now := a.now()
	j, err := a.store.ClaimImportJob(ctx, id, owner, now, now.Add(ImportLease))
	if err != nil {
		return nil, err
	}
	act, err := a.jobActor(ctx, j)
	if err != nil {
		return j, a.failImport(ctx, j, owner, err)
	}
	if err := canImport(act, j.Entity); err != nil {
		return j, a.failImport(ctx, j, owner, err)
	}
	data, err := a.store.ImportFile(ctx, j.ID)
	if err != nil {
		return j, a.failImport(ctx, j, owner, err)
	}
	rd, err := importer.Open(j.Format, data)
	if err != nil {
		return j, a.failImport(ctx, j, owner, err)
	}
	defer rd.Close()
	run := newImportRun(a, j, act)
	actx := WithActor(ctx, act)
	after := j.Checkpoint
	for {
		if ctx.Err() != nil {
			// Hand the job back now rather than when the lease runs out.
			_ = a.store.RenewImportLease(context.WithoutCancel(ctx), j.ID, owner, a.now().Add(-time.Second))
			return j, ctx.Err()
		}
		batch, err := readBatch(rd, ImportBatch, after)
		if err != nil {
			return j, a.failImport(ctx, j, owner, err)
		}
		if len(batch) == 0 {
			break
		}
		if err := run.commit(actx, owner, batch); err != nil {
			if crm.ErrorCode(err) == crm.EConflict {
				return j, err // cancelled, or another worker took over
			}
			return j, a.failImport(ctx, j, owner, err)
		}
		after = batch[len(batch)-1].no
		if err := a.store.RenewImportLease(ctx, j.ID, owner, a.now().Add(ImportLease)); err != nil {
			return j, err
		}
		if progress != nil {
			if cur, err := a.store.ImportJobByID(ctx, j.ID); err == nil {
				progress(cur)
			}
		}
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if err := r.FinishImportJob(ctx, j.ID, owner, crm.ImportDone, ""); err != nil {
			return err
		}
		cur, err := r.ImportJobByID(ctx, j.ID)
		if err != nil {
			return err
		}
		j = cur
		return a.audit(actx, r, act, crm.AuditUpdate, crm.EntityImport, j.ID, map[string]any{"status": crm.ImportRunning},
			map[string]any{"status": crm.ImportDone, "created": j.Created, "updated": j.Updated, "duplicates": j.Duplicates, "errors": j.Errors})
	})
	if err != nil {
		return j, err
	}
	return j, nil
}

// jobActor is who the job works as: its author with the roles they have now (a job does not
// outlive its author's rights), or the system for jobs started from the command line.
func (a *App) jobActor(ctx context.Context, j *crm.ImportJob) (*Actor, error) {
	if j.CreatedBy == nil {
		return System, nil
	}
	u, err := a.store.UserByID(ctx, *j.CreatedBy)
	if err != nil {
		return nil, err
	}
	if !u.Active || u.Deleted() {
		return nil, crm.ErrForbidden
	}
	return &Actor{User: u}, nil
}

func (a *App) failImport(ctx context.Context, j *crm.ImportJob, owner string, cause error) error {
	reason := crm.ErrorMessage(cause)
	if reason == "" {
		reason = cause.Error()
	}
	a.log.Error("import job failed", "job", j.ID, "err", cause)
	if err := a.store.FinishImportJob(context.WithoutCancel(ctx), j.ID, owner, crm.ImportFailed, reason); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

// rowFailure is a row whose write the database refused (a unique key, a value the checks
// let through): the batch is redone with that row as an error.
type rowFailure struct {
	row      int64
	problems map[string]string
}

func (e *rowFailure) Error() string { return "import: row refused by the database" }

// commit writes one batch and its outcomes in one transaction, redoing it without rows the
// database refuses (PostgreSQL aborts a transaction at the first failed statement).
func (ir *importRun) commit(ctx context.Context, owner string, batch []fileRow) error {
	forced := map[int64]map[string]string{}
	for {
		err := ir.a.store.InTx(ctx, func(r crm.Repo) error {
			plans, err := ir.plan(ctx, r, batch, forced, true)
			if err != nil {
				return err
			}
			rows := make([]crm.ImportRow, len(plans))
			for i, p := range plans {
				rows[i] = p.row
			}
			return r.CommitImportBatch(ctx, crm.ImportBatch{JobID: ir.job.ID, Owner: owner, Rows: rows, Checkpoint: batch[len(batch)-1].no})
		})
		var rf *rowFailure
		if errors.As(err, &rf) && len(forced) < len(batch) {
			if _, seen := forced[rf.row]; !seen {
				forced[rf.row] = rf.problems
				ir.resetCaches()
				continue
			}
		}
		return err
	}
}

func problemsJSON(p map[string]string) string {
	b, _ := json.Marshal(p)
	return string(b)
}
