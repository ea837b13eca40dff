-- +goose Up
-- The global search scans one entity's terms by prefix: term >= p AND term < next(p) with
-- entity = e. The primary key (term, entity, record_id) serves that range only by reading
-- every entity's terms in it — «ооо» has a hundred thousand company and deal terms to walk
-- before the box can say no contact matches. (entity, term) makes it one index range.
CREATE INDEX record_terms_entity_term ON record_terms(entity, term, record_id);

-- +goose Down
DROP INDEX record_terms_entity_term;
