-- +goose Up
CREATE TABLE choice_values (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    list           TEXT NOT NULL,
    code           TEXT NOT NULL,
    label_ru       TEXT NOT NULL,
    label_en       TEXT NOT NULL DEFAULT '',
    sort           INTEGER NOT NULL DEFAULT 0,
    is_default     INTEGER NOT NULL DEFAULT 0,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    deleted_by     INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX choice_values_code ON choice_values(list, code);

CREATE TABLE custom_fields (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entity         TEXT NOT NULL,
    code           TEXT NOT NULL,
    label_ru       TEXT NOT NULL,
    label_en       TEXT NOT NULL DEFAULT '',
    type           TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'list', 'flag')),
    options        TEXT NOT NULL DEFAULT '[]',
    sort           INTEGER NOT NULL DEFAULT 0,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    deleted_by     INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX custom_fields_code ON custom_fields(entity, code);

CREATE TABLE topics (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    directorate_id INTEGER REFERENCES directorates(id),
    active         INTEGER NOT NULL DEFAULT 1,
    sort           INTEGER NOT NULL DEFAULT 0,
    search         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    deleted_by     INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX topics_name ON topics(name) WHERE deleted_at IS NULL;

CREATE TABLE stages (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    topic_id       INTEGER NOT NULL REFERENCES topics(id),
    position       INTEGER NOT NULL,
    name_ru        TEXT NOT NULL,
    name_en        TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    probability    INTEGER NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
    task_chain     TEXT NOT NULL DEFAULT '[]',
    active         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX stages_topic ON stages(topic_id, position);

-- +goose Down
DROP TABLE stages;
DROP TABLE topics;
DROP TABLE custom_fields;
DROP TABLE choice_values;
