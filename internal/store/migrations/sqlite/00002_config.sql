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
-- At most one default value per list (product.md §4.9); the use case clears the old default
-- when another value becomes the default, this index makes the rule hold regardless.
CREATE UNIQUE INDEX choice_values_default ON choice_values(list) WHERE is_default = 1 AND deleted_at IS NULL;

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
    name_en        TEXT NOT NULL DEFAULT '',
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

-- Seed data (product.md §4.4, §4.9): the default lists and the default topic, all editable.
-- Codes are English snake_case and stable: records and the API carry them; labels may change.
INSERT INTO choice_values (list, code, label_ru, label_en, sort, created_at, updated_at) VALUES
    ('company_type', 'client', 'Клиент', 'Client', 10, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('company_type', 'prospect', 'Потенциальный клиент', 'Prospect', 20, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('company_type', 'partner', 'Партнёр', 'Partner', 30, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('company_type', 'supplier', 'Поставщик', 'Supplier', 40, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('company_type', 'competitor', 'Конкурент', 'Competitor', 50, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('company_type', 'other', 'Другое', 'Other', 60, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z');
INSERT INTO choice_values (list, code, label_ru, label_en, sort, created_at, updated_at) VALUES
    ('contact_type', 'client', 'Клиент', 'Client', 10, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('contact_type', 'supplier', 'Поставщик', 'Supplier', 20, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('contact_type', 'partner', 'Партнёр', 'Partner', 30, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('contact_type', 'other', 'Другое', 'Other', 40, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z');
INSERT INTO choice_values (list, code, label_ru, label_en, sort, created_at, updated_at) VALUES
    ('deal_type', 'sale', 'Продажа', 'Sale', 10, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('deal_type', 'services', 'Услуги', 'Services', 20, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('deal_type', 'integrated', 'Комплексная продажа', 'Integrated sale', 30, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('deal_type', 'after_sales', 'Сервисное обслуживание', 'After-sales service', 40, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z');
INSERT INTO choice_values (list, code, label_ru, label_en, sort, created_at, updated_at) VALUES
    ('industry', 'it', 'Информационные технологии', 'Information technology', 10, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('industry', 'banking', 'Банки и финансы', 'Banking and finance', 20, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('industry', 'government', 'Государственный сектор', 'Government', 30, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('industry', 'manufacturing', 'Промышленность', 'Manufacturing', 40, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('industry', 'retail', 'Торговля', 'Retail', 50, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('industry', 'telecom', 'Телекоммуникации', 'Telecommunications', 60, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('industry', 'energy', 'Энергетика', 'Energy', 70, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('industry', 'education', 'Образование', 'Education', 80, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('industry', 'healthcare', 'Здравоохранение', 'Healthcare', 90, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('industry', 'other', 'Другое', 'Other', 100, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z');
INSERT INTO choice_values (list, code, label_ru, label_en, sort, created_at, updated_at) VALUES
    ('rejection_reason', 'no_need', 'Нет потребности', 'No need', 10, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('rejection_reason', 'too_expensive', 'Дорого', 'Too expensive', 20, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('rejection_reason', 'chose_competitor', 'Выбрали конкурента', 'Chose a competitor', 30, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('rejection_reason', 'no_budget', 'Нет бюджета', 'No budget', 40, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('rejection_reason', 'timing', 'Не устраивают сроки', 'Timing does not suit', 50, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('rejection_reason', 'not_decision_maker', 'Не ЛПР', 'Not the decision maker', 60, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('rejection_reason', 'other', 'Другое', 'Other', 70, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z');
INSERT INTO choice_values (list, code, label_ru, label_en, sort, created_at, updated_at) VALUES
    ('contact_role', 'management', 'Руководство', 'Management', 10, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('contact_role', 'key_employee', 'Ключевой сотрудник', 'Key employee', 20, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('contact_role', 'technical', 'Технический специалист', 'Technical specialist', 30, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z'),
    ('contact_role', 'procurement', 'Закупки', 'Procurement', 40, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z');
INSERT INTO topics (name, name_en, description, sort, search, created_at, updated_at)
    VALUES ('Основные продажи', 'Main sales', '', 10, 'основные продажи main sales', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z');
INSERT INTO stages (topic_id, position, name_ru, name_en, kind, probability) VALUES
    ((SELECT id FROM topics WHERE name = 'Основные продажи'), 1, 'Первичный контакт', 'Initial contact', 'open', 10),
    ((SELECT id FROM topics WHERE name = 'Основные продажи'), 2, 'Встреча', 'Meeting', 'open', 20),
    ((SELECT id FROM topics WHERE name = 'Основные продажи'), 3, 'Презентация', 'Presentation', 'open', 40),
    ((SELECT id FROM topics WHERE name = 'Основные продажи'), 4, 'Коммерческое предложение', 'Commercial proposal', 'open', 60),
    ((SELECT id FROM topics WHERE name = 'Основные продажи'), 5, 'Подготовка договора', 'Contract preparation', 'open', 80),
    ((SELECT id FROM topics WHERE name = 'Основные продажи'), 6, 'Договор заключён', 'Contract signed', 'won', 100),
    ((SELECT id FROM topics WHERE name = 'Основные продажи'), 7, 'Отказ', 'Lost', 'lost', 0);

-- +goose Down
DROP TABLE stages;
DROP TABLE topics;
DROP TABLE custom_fields;
DROP TABLE choice_values;
