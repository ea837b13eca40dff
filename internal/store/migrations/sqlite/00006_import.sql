-- +goose Up
-- An import job: one uploaded file of one entity, worked in batches by whichever worker holds
-- its lease. The file itself lives in import_files so that listing jobs never reads blobs.
CREATE TABLE import_jobs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entity         TEXT NOT NULL CHECK (entity IN ('company', 'contact', 'deal')),
    file_name      TEXT NOT NULL,
    format         TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    file_sha256    TEXT NOT NULL,
    file_size      INTEGER NOT NULL DEFAULT 0,
    mapping        TEXT NOT NULL DEFAULT '[]',
    dedup          TEXT NOT NULL DEFAULT 'skip' CHECK (dedup IN ('skip', 'update', 'create')),
    status         TEXT NOT NULL DEFAULT 'uploaded' CHECK (status IN ('uploaded', 'previewed', 'queued', 'running', 'done', 'failed', 'cancelled')),
    rows_total     INTEGER NOT NULL DEFAULT 0,
    rows_done      INTEGER NOT NULL DEFAULT 0,
    created_count  INTEGER NOT NULL DEFAULT 0,
    updated_count  INTEGER NOT NULL DEFAULT 0,
    duplicate_count INTEGER NOT NULL DEFAULT 0,
    error_count    INTEGER NOT NULL DEFAULT 0,
    checkpoint     INTEGER NOT NULL DEFAULT 0,
    lease_owner    TEXT NOT NULL DEFAULT '',
    lease_until    TEXT,
    error          TEXT NOT NULL DEFAULT '',
    directorate_id INTEGER REFERENCES directorates(id),
    started_at     TEXT,
    finished_at    TEXT,
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX import_jobs_file ON import_jobs(file_sha256, entity);
CREATE INDEX import_jobs_status ON import_jobs(status, lease_until);
CREATE INDEX import_jobs_created ON import_jobs(created_at, id);

CREATE TABLE import_files (
    job_id         INTEGER PRIMARY KEY REFERENCES import_jobs(id),
    data           BLOB NOT NULL
);

-- One row per file row worked: the primary key makes a row count once however often a
-- crashed batch is retried.
CREATE TABLE import_rows (
    job_id         INTEGER NOT NULL REFERENCES import_jobs(id),
    row_no         INTEGER NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('created', 'updated', 'duplicate', 'error')),
    record_id      INTEGER,
    message        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, row_no)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE import_rows;
DROP TABLE import_files;
DROP TABLE import_jobs;
