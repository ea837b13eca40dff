-- +goose Up
CREATE TABLE tasks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL DEFAULT 'task' CHECK (kind IN ('task', 'call', 'meeting', 'message', 'reminder')),
    description    TEXT NOT NULL DEFAULT '',
    assignee_id    INTEGER NOT NULL REFERENCES users(id),
    due_at         TEXT,
    remind_at      TEXT,
    notified_at    TEXT,
    dismissed_at   TEXT,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    done_at        TEXT,
    entity         TEXT NOT NULL DEFAULT '',
    record_id      INTEGER,
    origin         TEXT NOT NULL DEFAULT 'manual',
    directorate_id INTEGER REFERENCES directorates(id),
    search         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    deleted_by     INTEGER REFERENCES users(id)
);
CREATE INDEX tasks_assignee ON tasks(assignee_id, status, due_at);
CREATE INDEX tasks_record ON tasks(entity, record_id);
CREATE INDEX tasks_remind ON tasks(remind_at) WHERE status = 'open' AND notified_at IS NULL AND deleted_at IS NULL;
CREATE INDEX tasks_created ON tasks(created_at, id);
-- "Overdue" and "today" across everyone (managers, admins): open tasks by due time.
CREATE INDEX tasks_status_due ON tasks(status, due_at, id);
-- The bell: a user's open reminders not yet put away.
CREATE INDEX tasks_bell ON tasks(assignee_id, remind_at) WHERE status = 'open' AND dismissed_at IS NULL AND deleted_at IS NULL;

CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entity         TEXT NOT NULL,
    record_id      INTEGER NOT NULL,
    file_name      TEXT NOT NULL,
    mime           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    storage        TEXT NOT NULL CHECK (storage IN ('dir', 'db')),
    description    TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    deleted_by     INTEGER REFERENCES users(id)
);
CREATE INDEX attachments_record ON attachments(entity, record_id, created_at);

-- File bytes kept in the database (PostgreSQL: every instance sees them).
CREATE TABLE attachment_blobs (
    attachment_id  INTEGER PRIMARY KEY REFERENCES attachments(id),
    content        BLOB NOT NULL
);

CREATE TABLE notes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entity         TEXT NOT NULL,
    record_id      INTEGER NOT NULL,
    body           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    deleted_by     INTEGER REFERENCES users(id)
);
CREATE INDEX notes_record ON notes(entity, record_id, created_at);

-- +goose Down
DROP TABLE notes;
DROP TABLE attachment_blobs;
DROP TABLE attachments;
DROP TABLE tasks;
