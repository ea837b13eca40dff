package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
	"github.com/ladder-crm/ladder/internal/importer"
)

// importTag groups import, export and group actions in the reference.
const importTag = "Import and export"

// registerImport adds the operations of import, export and group actions.
func (h *handlers) registerImport(api huma.API) {
	h.registerImports(api)
	h.registerExport(api)
	h.registerBulk(api)
}

// ImportJob (Импорт) is one file being imported into companies, contacts or deals.
type ImportJob struct {
	ID            int64      `json:"id" doc:"Job id."`
	Version       int64      `json:"version" doc:"Optimistic-locking version: send it back with the mapping and the start."`
	Entity        string     `json:"entity" enum:"company,contact,deal" doc:"What the file holds."`
	FileName      string     `json:"file_name" doc:"The name it was uploaded with."`
	Format        string     `json:"format" enum:"csv,xlsx" doc:"The file's format, decided from its content."`
	FileSHA256    string     `json:"file_sha256" doc:"SHA-256 of the file: a file imported before adds nothing again."`
	Mapping       []string   `json:"mapping" doc:"Field per file column, in column order; empty = the column is not imported."`
	Dedup         string     `json:"dedup" enum:"skip,update,create" doc:"What happens to a row matching an existing record by INN, external code, phone or e-mail."`
	Status        string     `json:"status" enum:"uploaded,previewed,queued,running,done,failed,cancelled" doc:"uploaded → previewed (mapping saved) → queued (started) → running → done, failed or cancelled."`
	RowsTotal     int64      `json:"rows_total" doc:"Data rows in the file."`
	RowsDone      int64      `json:"rows_done" doc:"Rows worked so far: created + updated + duplicates + errors."`
	Created       int64      `json:"created" doc:"Records created."`
	Updated       int64      `json:"updated" doc:"Existing records updated (dedup update)."`
	Duplicates    int64      `json:"duplicates" doc:"Rows matching an existing record or an earlier row, not imported."`
	Errors        int64      `json:"errors" doc:"Rows refused, with their problems in /rows."`
	Error         string     `json:"error,omitempty" doc:"Why a failed job stopped."`
	DirectorateID *int64     `json:"directorate_id,omitempty" doc:"Sales directorate of the new records."`
	StartedAt     *time.Time `json:"started_at,omitempty" doc:"When a worker first took it."`
	FinishedAt    *time.Time `json:"finished_at,omitempty" doc:"When it ended."`
	CreatedAt     time.Time  `json:"created_at" doc:"When it was uploaded."`
	CreatedBy     *int64     `json:"created_by,omitempty" doc:"Who uploaded it."`
}

func importJobOf(j *crm.ImportJob) ImportJob {
	m := j.Mapping
	if m == nil {
		m = []string{}
	}
	return ImportJob{ID: j.ID, Version: j.Version, Entity: j.Entity, FileName: j.FileName, Format: j.Format, FileSHA256: j.FileSHA256,
		Mapping: m, Dedup: string(j.Dedup), Status: string(j.Status), RowsTotal: j.RowsTotal, RowsDone: j.RowsDone,
		Created: j.Created, Updated: j.Updated, Duplicates: j.Duplicates, Errors: j.Errors, Error: j.Error,
		DirectorateID: j.DirectorateID, StartedAt: j.StartedAt, FinishedAt: j.FinishedAt, CreatedAt: j.CreatedAt, CreatedBy: j.CreatedBy}
}

// ImportUpload is a new job with what the caller needs to settle its columns.
type ImportUpload struct {
	ImportJob
	Header  []string   `json:"header" doc:"The file's column titles."`
	Samples [][]string `json:"samples" doc:"The first rows of the file (up to 5)."`
	Fields  []string   `json:"fields" doc:"The fields a column of this entity may be mapped to."`
}

type importUploadForm struct {
	File          huma.FormFile `form:"file" required:"true" contentType:"text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/octet-stream" doc:"The CSV (UTF-8 or Windows-1251; ; , or tab) or XLSX file; its first row names the columns."`
	Entity        string        `form:"entity" required:"true" enum:"company,contact,deal" doc:"What the file holds."`
	Dedup         string        `form:"dedup" required:"false" enum:"skip,update,create" default:"skip" doc:"What to do with rows matching an existing record."`
	DirectorateID int64         `form:"directorate_id" required:"false" minimum:"0" doc:"Sales directorate of the new records; 0 = the caller's first."`
}

type importUploadInput struct {
	RawBody huma.MultipartFormFiles[importUploadForm]
}

// ImportMapping settles a job's columns.
type ImportMapping struct {
	Version int64    `json:"version" required:"true" doc:"The version you read."`
	Mapping []string `json:"mapping" required:"true" maxItems:"1000" doc:"Field per file column (see fields of the upload); empty = not imported."`
	Dedup   string   `json:"dedup,omitempty" enum:"skip,update,create" doc:"What to do with rows matching an existing record; default: unchanged."`
}

type importMappingInput struct {
	IDParam
	Body ImportMapping
}

type importStartInput struct {
	IDParam
	Body struct {
		Version int64 `json:"version" required:"true" doc:"The version you read."`
	}
}

// ImportPreviewRow is what would happen to one of the first rows.
type ImportPreviewRow struct {
	Row      int64             `json:"row" doc:"Data row number (1 = the row under the header)."`
	Cells    []string          `json:"cells" doc:"The row's cells."`
	Outcome  string            `json:"outcome" enum:"created,updated,duplicate,error" doc:"What importing it would do."`
	RecordID *int64            `json:"record_id,omitempty" doc:"The existing record a duplicate or an update matches."`
	Match    string            `json:"match,omitempty" doc:"Which key matched: inn, ref, email, phone, name or file."`
	Problems map[string]string `json:"problems,omitempty" doc:"Field → problem, in the caller's language."`
}

type importPreviewOutput struct {
	Body struct {
		Items []ImportPreviewRow `json:"items" doc:"The first rows of the file."`
	}
}

// ImportRow is the committed outcome of one row.
type ImportRow struct {
	Row      int64             `json:"row" doc:"Data row number."`
	Outcome  string            `json:"outcome" enum:"created,updated,duplicate,error" doc:"What happened to it."`
	RecordID *int64            `json:"record_id,omitempty" doc:"The record created, updated or matched."`
	Match    string            `json:"match,omitempty" doc:"For a duplicate or an update: which key matched."`
	Problems map[string]string `json:"problems,omitempty" doc:"For an error: field → problem, in the caller's language."`
}

type importRowsInput struct {
	IDParam
	Outcome  string `query:"outcome" enum:"created,updated,duplicate,error" doc:"Only rows with this outcome."`
	AfterRow int64  `query:"after_row" minimum:"0" doc:"Rows after this row number (the next_after_row of the previous page)."`
	Limit    int    `query:"limit" minimum:"1" maximum:"1000" default:"200" doc:"Rows per page."`
}

type importRowsOutput struct {
	Body struct {
		Items        []ImportRow `json:"items" doc:"Row outcomes in row order."`
		NextAfterRow int64       `json:"next_after_row" doc:"Pass as after_row for the next page; 0 on the last page."`
	}
}

type importListInput struct {
	ListParams
}

// limitImportUpload refuses a body larger than the import limit before huma reads it.
func limitImportUpload(api huma.API) func(ctx huma.Context, next func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(ctx)
		limit := int64(app.MaxImportFile + uploadSlack)
		if r.ContentLength > limit {
			_ = huma.WriteErr(api, ctx, http.StatusRequestEntityTooLarge, "file larger than "+strconv.Itoa(app.MaxImportFile>>20)+" MB")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next(ctx)
	}
}

func (h *handlers) registerImports(api huma.API) {
	const path = "/imports"
	upload := op("uploadImport", http.MethodPost, path, importTag, "Upload a file to import",
		"Stores a CSV or XLSX file (multipart/form-data) as a new job and answers its columns, the first rows and a guessed mapping. "+
			"Needs the right to create records of the entity. Nothing is imported until the job is started.",
		http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge)
	upload.Middlewares = huma.Middlewares{limitImportUpload(api)}
	huma.Register(api, upload, func(ctx context.Context, in *importUploadInput) (*createdOutput[ImportUpload], error) {
		form := in.RawBody.Data()
		data, err := io.ReadAll(io.LimitReader(form.File, app.MaxImportFile+1))
		if err != nil {
			return nil, fail(ctx, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"file": "import.err.file_too_big"}}, map[string]any{})
		}
		j, err := h.app.CreateImport(ctx, form.Entity, form.File.Filename, data, form.DirectorateID)
		if err != nil {
			return nil, fail(ctx, err, map[string]any{"entity": form.Entity})
		}
		if form.Dedup != "" && form.Dedup != string(j.Dedup) {
			if j, err = h.app.SetImportDedup(ctx, j.ID, j.Version, crm.DedupMode(form.Dedup)); err != nil {
				return nil, fail(ctx, err, map[string]any{"dedup": form.Dedup})
			}
		}
		head, err := h.app.ImportHead(ctx, j, 5)
		if err != nil {
			return nil, fail(ctx, err, nil)
		}
		out := ImportUpload{ImportJob: importJobOf(j), Header: head.Header, Samples: head.Samples, Fields: importFields(j.Entity)}
		if out.Samples == nil {
			out.Samples = [][]string{}
		}
		return created(prefix+path, j.ID, out), nil
	})

	huma.Register(api, op("listImports", http.MethodGet, path, importTag, "List import jobs",
		"The caller's import jobs, newest first; crm_admin and admin see everyone's."),
		func(ctx context.Context, in *importListInput) (*pageOutput[ImportJob], error) {
			pr, err := in.pageRequest("")
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			p, err := h.app.ListImportJobs(ctx, pr)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[ImportJob]{Body: pageOf(p, importJobOf)}, nil
		})

	huma.Register(api, op("getImport", http.MethodGet, path+"/{id}", importTag, "Get an import job",
		"Status and counters of one job: poll it while it runs. Its author, crm_admin and admin.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[ImportJob], error) {
			j, err := h.app.ImportJob(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(importJobOf(j)), nil
		})

	huma.Register(api, op("setImportMapping", http.MethodPatch, path+"/{id}", importTag, "Set the columns of an import",
		"Saves the field of each column and the dedup mode of a job not yet started; the job becomes previewed and may be started.",
		http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
		func(ctx context.Context, in *importMappingInput) (*bodyOutput[ImportJob], error) {
			j, err := h.app.ImportJob(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			dedup := crm.DedupMode(in.Body.Dedup)
			if dedup == "" {
				dedup = j.Dedup
			}
			j, err = h.app.SetImportMapping(ctx, in.ID, in.Body.Version, in.Body.Mapping, dedup)
			if err != nil {
				return nil, fail(ctx, err, in.Body)
			}
			return ok(importJobOf(j)), nil
		})

	huma.Register(api, op("previewImport", http.MethodGet, path+"/{id}/preview", importTag, "Preview an import",
		"Runs the first 20 rows through every check (references, validation, duplicates) without writing anything.",
		http.StatusNotFound, http.StatusUnprocessableEntity),
		func(ctx context.Context, in *IDParam) (*importPreviewOutput, error) {
			j, err := h.app.ImportJob(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			rows, err := h.app.PreviewImport(ctx, j.ID, app.ImportPreviewRows)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			out := &importPreviewOutput{}
			out.Body.Items = make([]ImportPreviewRow, 0, len(rows))
			lang := languageFrom(ctx)
			for _, p := range rows {
				cells := p.Cells
				if cells == nil {
					cells = []string{}
				}
				out.Body.Items = append(out.Body.Items, ImportPreviewRow{Row: p.Row, Cells: cells, Outcome: string(p.Outcome),
					RecordID: p.RecordID, Match: p.Match, Problems: translateProblems(lang, p.Problems)})
			}
			return out, nil
		})

	start := op("startImport", http.MethodPost, path+"/{id}/start", importTag, "Start an import",
		"Queues a job whose columns are set; a background worker imports it in batches of 1,000 rows. Poll GET /imports/{id}.",
		http.StatusNotFound, http.StatusConflict)
	start.DefaultStatus = http.StatusAccepted
	huma.Register(api, start, func(ctx context.Context, in *importStartInput) (*bodyOutput[ImportJob], error) {
		j, err := h.app.StartImport(ctx, in.ID, in.Body.Version)
		if err != nil {
			return nil, fail(ctx, err, in.Body)
		}
		return ok(importJobOf(j)), nil
	})

	cancel := op("cancelImport", http.MethodPost, path+"/{id}/cancel", importTag, "Cancel an import",
		"Stops a job that has not finished; the records it imported stay.", http.StatusNotFound)
	cancel.DefaultStatus = http.StatusNoContent
	huma.Register(api, cancel, func(ctx context.Context, in *IDParam) (*struct{}, error) {
		if err := h.app.CancelImport(ctx, in.ID); err != nil {
			return nil, fail(ctx, err, nil)
		}
		return nil, nil
	})

	huma.Register(api, op("listImportRows", http.MethodGet, path+"/{id}/rows", importTag, "List the row outcomes of an import",
		"What happened to each row worked so far, in row order: the record created, updated or matched, or the problems.",
		http.StatusNotFound),
		func(ctx context.Context, in *importRowsInput) (*importRowsOutput, error) {
			rows, err := h.app.ImportRowOutcomes(ctx, in.ID, crm.RowOutcome(in.Outcome), in.AfterRow, in.Limit)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			out := &importRowsOutput{}
			out.Body.Items = make([]ImportRow, 0, len(rows))
			lang := languageFrom(ctx)
			for _, x := range rows {
				ir := ImportRow{Row: x.RowNo, Outcome: string(x.Outcome), RecordID: x.RecordID}
				switch x.Outcome {
				case crm.RowError:
					var p map[string]string
					if json.Unmarshal([]byte(x.Message), &p) == nil {
						ir.Problems = translateProblems(lang, p)
					}
				default:
					ir.Match = x.Message
				}
				out.Body.Items = append(out.Body.Items, ir)
			}
			if len(rows) == in.Limit {
				out.Body.NextAfterRow = rows[len(rows)-1].RowNo
			}
			return out, nil
		})
}

// importFields lists the fields a column of entity may be mapped to.
func importFields(entity string) []string {
	out := []string{}
	for _, f := range importer.Fields[entity] {
		out = append(out, f.Key)
	}
	return out
}

// translateProblems gives field problems in the caller's language.
func translateProblems(lang string, p map[string]string) map[string]string {
	if len(p) == 0 {
		return nil
	}
	out := make(map[string]string, len(p))
	for f, key := range p {
		out[f] = i18n.Default().T(lang, key, nil)
	}
	return out
}
