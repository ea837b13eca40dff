-- +goose Up
-- Times are TEXT in a fixed-width UTC form (2006-01-02T15:04:05.000000Z) so that they sort
-- as strings; the store converts them. Booleans are 0/1.

CREATE TABLE users (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    login             TEXT NOT NULL,
    email             TEXT NOT NULL,
    full_name         TEXT NOT NULL,
    locale            TEXT NOT NULL DEFAULT 'ru',
    timezone          TEXT NOT NULL DEFAULT 'Europe/Moscow',
    phone_ext         TEXT NOT NULL DEFAULT '',
    weekly_capacity_h INTEGER NOT NULL DEFAULT 40,
    active            INTEGER NOT NULL DEFAULT 1,
    password_hash     TEXT NOT NULL DEFAULT '',
    auth_epoch        INTEGER NOT NULL DEFAULT 1,
    failed_logins     INTEGER NOT NULL DEFAULT 0,
    locked_until      TEXT,
    search            TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    created_by        INTEGER REFERENCES users(id),
    updated_at        TEXT NOT NULL,
    updated_by        INTEGER REFERENCES users(id),
    version           INTEGER NOT NULL DEFAULT 1,
    deleted_at        TEXT,
    deleted_by        INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX users_login ON users(login);
CREATE UNIQUE INDEX users_email ON users(email);
CREATE INDEX users_full_name ON users(full_name, id);

CREATE TABLE directorates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    head_id    INTEGER REFERENCES users(id),
    active     INTEGER NOT NULL DEFAULT 1,
    search     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    version    INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT,
    deleted_by INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX directorates_name ON directorates(name) WHERE deleted_at IS NULL;

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
CREATE INDEX user_roles_role ON user_roles(role, user_id);

CREATE TABLE user_directorates (
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    directorate_id INTEGER NOT NULL REFERENCES directorates(id),
    position       INTEGER NOT NULL,
    PRIMARY KEY (user_id, directorate_id)
);
CREATE INDEX user_directorates_dir ON user_directorates(directorate_id, user_id);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('product', 'service')),
    code        TEXT NOT NULL DEFAULT '',
    price_minor INTEGER NOT NULL DEFAULT 0,
    currency    TEXT NOT NULL DEFAULT 'RUB',
    active      INTEGER NOT NULL DEFAULT 1,
    search      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER REFERENCES users(id),
    version     INTEGER NOT NULL DEFAULT 1,
    deleted_at  TEXT,
    deleted_by  INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX products_code ON products(code) WHERE code <> '' AND deleted_at IS NULL;
CREATE INDEX products_name ON products(name, id);

CREATE TABLE product_directorates (
    product_id     INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    directorate_id INTEGER NOT NULL REFERENCES directorates(id),
    PRIMARY KEY (product_id, directorate_id)
);
CREATE INDEX product_directorates_dir ON product_directorates(directorate_id, product_id);

CREATE TABLE projects (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    responsible_id INTEGER REFERENCES users(id),
    date_from      TEXT,
    date_to        TEXT,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    directorate_id INTEGER REFERENCES directorates(id),
    description    TEXT NOT NULL DEFAULT '',
    search         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    deleted_by     INTEGER REFERENCES users(id)
);
CREATE INDEX projects_name ON projects(name, id);
CREATE INDEX projects_created ON projects(created_at, id);
CREATE INDEX projects_directorate ON projects(directorate_id, id);
CREATE INDEX projects_responsible ON projects(responsible_id, id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    record_id  INTEGER NOT NULL DEFAULT 0,
    changes    TEXT,
    ip         TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_record ON audit_log(entity, record_id, id);
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE INDEX audit_log_at ON audit_log(at, id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    read_only    INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry);

CREATE TABLE saved_views (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    list    TEXT NOT NULL,
    name    TEXT NOT NULL,
    query   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX saved_views_user ON saved_views(user_id, list);

CREATE TABLE user_prefs (
    user_id INTEGER NOT NULL REFERENCES users(id),
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- +goose Down
DROP TABLE user_prefs;
DROP TABLE saved_views;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE audit_log;
DROP TABLE projects;
DROP TABLE product_directorates;
DROP TABLE products;
DROP TABLE user_directorates;
DROP TABLE user_roles;
DROP TABLE directorates;
DROP TABLE users;
