-- +goose Up
-- record_terms is the global search index: lowered words of names, e-mails, phone digits and
-- INN of companies, contacts and deals, searched by prefix. Duplicate detection uses it too.
CREATE TABLE record_terms (
    term           TEXT  NOT NULL,
    entity         TEXT NOT NULL,
    record_id      INTEGER NOT NULL,
    PRIMARY KEY (term, entity, record_id)
) WITHOUT ROWID;
CREATE INDEX record_terms_record ON record_terms(entity, record_id);

CREATE TABLE record_tags (
    entity         TEXT NOT NULL,
    tag            TEXT NOT NULL,
    record_id      INTEGER NOT NULL,
    PRIMARY KEY (entity, tag, record_id)
) WITHOUT ROWID;
CREATE INDEX record_tags_record ON record_tags(entity, record_id);

CREATE TABLE companies (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    legal_name     TEXT NOT NULL DEFAULT '',
    external_ref   TEXT,
    kind           TEXT NOT NULL DEFAULT 'legal' CHECK (kind IN ('legal', 'sole_prop', 'individual')),
    type           TEXT NOT NULL DEFAULT '',
    industry       TEXT NOT NULL DEFAULT '',
    size           TEXT NOT NULL DEFAULT '',
    inn            TEXT NOT NULL DEFAULT '',
    kpp            TEXT NOT NULL DEFAULT '',
    region         TEXT NOT NULL DEFAULT '',
    website        TEXT NOT NULL DEFAULT '',
    phones         TEXT NOT NULL DEFAULT '[]',
    emails         TEXT NOT NULL DEFAULT '[]',
    address        TEXT NOT NULL DEFAULT '',
    responsible_id INTEGER REFERENCES users(id),
    directorate_id INTEGER REFERENCES directorates(id),
    is_supplier    INTEGER NOT NULL DEFAULT 0,
    tags           TEXT NOT NULL DEFAULT '[]',
    attributes     TEXT NOT NULL DEFAULT '{}',
    notes          TEXT NOT NULL DEFAULT '',
    merged_into    INTEGER REFERENCES companies(id),
    search         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    deleted_by     INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX companies_external_ref ON companies(external_ref) WHERE external_ref IS NOT NULL AND deleted_at IS NULL;
-- List indexes: a filter's column(s), then the list's sort and id, so one index range is one
-- keyset page. deleted_at comes last in each so that the capped count of a list
-- (listQuery.run: live rows of the filter, up to 10,000) reads the index alone: reading the
-- table row by row in the index's order took 0.2-0.9 s at a million contacts, the index 2 ms.
-- Industry and region are the bar's filters whose share (1/7, 1/16) is too small to find a
-- page by walking companies_name; kind (93% legal) and the supplier flag are not. Companies of
-- a region are also asked for newest first: with region's index alone SQLite sorted Moscow's
-- 60,000 companies (0.3 s) rather than walk companies_created.
CREATE INDEX companies_name ON companies(name, id, deleted_at);
CREATE INDEX companies_created ON companies(created_at, id, deleted_at);
CREATE INDEX companies_updated ON companies(updated_at, id);
CREATE INDEX companies_type_name ON companies(type, name, id, deleted_at);
CREATE INDEX companies_industry_name ON companies(industry, name, id, deleted_at);
CREATE INDEX companies_region_name ON companies(region, name, id, deleted_at);
CREATE INDEX companies_region_created ON companies(region, created_at, id, deleted_at);
CREATE INDEX companies_directorate_name ON companies(directorate_id, name, id, deleted_at);
CREATE INDEX companies_responsible_name ON companies(responsible_id, name, id, deleted_at);
CREATE INDEX companies_inn ON companies(inn) WHERE inn <> '';
-- Merged records are few; the index serves MergedFrom (a card's history of what it absorbed).
CREATE INDEX companies_merged ON companies(merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE contacts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name         TEXT NOT NULL,
    last_name         TEXT NOT NULL DEFAULT '',
    first_name        TEXT NOT NULL DEFAULT '',
    middle_name       TEXT NOT NULL DEFAULT '',
    company_id        INTEGER REFERENCES companies(id),
    position          TEXT NOT NULL DEFAULT '',
    is_decision_maker INTEGER NOT NULL DEFAULT 0,
    type              TEXT NOT NULL DEFAULT '',
    role              TEXT NOT NULL DEFAULT '',
    phones            TEXT NOT NULL DEFAULT '[]',
    emails            TEXT NOT NULL DEFAULT '[]',
    messengers        TEXT NOT NULL DEFAULT '[]',
    do_not_contact    TEXT NOT NULL DEFAULT '[]',
    postal_address    TEXT NOT NULL DEFAULT '',
    responsible_id    INTEGER REFERENCES users(id),
    directorate_id    INTEGER REFERENCES directorates(id),
    tags              TEXT NOT NULL DEFAULT '[]',
    attributes        TEXT NOT NULL DEFAULT '{}',
    notes             TEXT NOT NULL DEFAULT '',
    merged_into       INTEGER REFERENCES contacts(id),
    search            TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    deleted_at     TEXT,
    deleted_by     INTEGER REFERENCES users(id)
);
-- As for companies: filter, sort, id, then deleted_at for the capped count. Contacts of a
-- directorate are also asked for newest first (a third of a million rows each: sorting them
-- took seconds); role (12-30% a value) and the decision-maker flag find a page by walking
-- contacts_name. The flag rides in contacts_name so that its count reads no table rows either
-- (it is a filter of the bar; 42% of the demo's contacts are decision makers).
CREATE INDEX contacts_name ON contacts(full_name, id, deleted_at, is_decision_maker);
CREATE INDEX contacts_created ON contacts(created_at, id, deleted_at);
CREATE INDEX contacts_updated ON contacts(updated_at, id);
CREATE INDEX contacts_company ON contacts(company_id, full_name, id, deleted_at);
CREATE INDEX contacts_type_name ON contacts(type, full_name, id, deleted_at);
CREATE INDEX contacts_directorate_name ON contacts(directorate_id, full_name, id, deleted_at);
CREATE INDEX contacts_directorate_created ON contacts(directorate_id, created_at, id, deleted_at);
CREATE INDEX contacts_responsible_name ON contacts(responsible_id, full_name, id, deleted_at);
CREATE INDEX contacts_merged ON contacts(merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE consents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id     INTEGER NOT NULL REFERENCES contacts(id),
    channel        TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'messenger', 'phone', 'postal', 'any')),
    purpose        TEXT NOT NULL CHECK (purpose IN ('marketing', 'pd_processing')),
    status         TEXT NOT NULL CHECK (status IN ('granted', 'withdrawn')),
    source         TEXT NOT NULL,
    text_version   TEXT NOT NULL DEFAULT '',
    evidence       TEXT NOT NULL DEFAULT '',
    at             TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES users(id)
);
CREATE INDEX consents_contact ON consents(contact_id, channel, purpose, at);

-- +goose Down
DROP TABLE consents;
DROP TABLE contacts;
DROP TABLE companies;
DROP TABLE record_tags;
DROP TABLE record_terms;
