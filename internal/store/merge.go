package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// A merge (R17) moves every link of the dropped record to the kept one and marks the dropped
// one merged_into the kept; the caller soft-deletes it and writes the audit in the same
// transaction. Rows that carry a version get a new one, so an edit form opened before the
// merge gets 409 instead of pointing the row back at the dropped record.

// mergeStep is one statement of a merge: $1 = kept id, $2 = dropped id and, when stamp, $3 = now.
type mergeStep struct {
	sql   string
	stamp bool
}

var companyMergeSteps = []mergeStep{
	{"UPDATE contacts SET company_id = $1, updated_at = $3, version = version + 1 WHERE company_id = $2", true},
	{"UPDATE deals SET company_id = $1, updated_at = $3, version = version + 1 WHERE company_id = $2", true},
	{"UPDATE contracts SET company_id = $1, updated_at = $3, version = version + 1 WHERE company_id = $2", true},
	// A task on a record takes the record's directorate (R8), so a moved task takes the kept one's.
	{"UPDATE tasks SET record_id = $1, directorate_id = (SELECT directorate_id FROM companies WHERE id = $1), updated_at = $3, version = version + 1 WHERE entity = 'company' AND record_id = $2", true},
	{"UPDATE attachments SET record_id = $1 WHERE entity = 'company' AND record_id = $2", false},
	{"UPDATE notes SET record_id = $1 WHERE entity = 'company' AND record_id = $2", false},
}

var contactMergeSteps = []mergeStep{
	{"UPDATE deals SET contact_id = $1, updated_at = $3, version = version + 1 WHERE contact_id = $2", true},
	{"UPDATE consents SET contact_id = $1 WHERE contact_id = $2", false},
	{"UPDATE tasks SET record_id = $1, directorate_id = (SELECT directorate_id FROM contacts WHERE id = $1), updated_at = $3, version = version + 1 WHERE entity = 'contact' AND record_id = $2", true},
	{"UPDATE attachments SET record_id = $1 WHERE entity = 'contact' AND record_id = $2", false},
	{"UPDATE notes SET record_id = $1 WHERE entity = 'contact' AND record_id = $2", false},
}

// MergeCompanyLinks re-points everything that refers to company dropID to keepID and marks
// dropID merged into keepID. Its search terms and tags go: it is no longer a record to find.
func (r repo) MergeCompanyLinks(ctx context.Context, keepID, dropID int64) error {
	return r.mergeLinks(ctx, crm.EntityCompany, "companies", companyMergeSteps, keepID, dropID)
}

// MergeContactLinks is MergeCompanyLinks for contacts: deals, consents, tasks, files, notes.
func (r repo) MergeContactLinks(ctx context.Context, keepID, dropID int64) error {
	return r.mergeLinks(ctx, crm.EntityContact, "contacts", contactMergeSteps, keepID, dropID)
}

func (r repo) mergeLinks(ctx context.Context, entity, table string, steps []mergeStep, keepID, dropID int64) error {
	if keepID == dropID {
		return crm.Errorf(crm.EInternal, "store: merging %s %d into itself", entity, keepID)
	}
	now := r.d.time(nowUTC())
	for _, s := range steps {
		args := []any{keepID, dropID}
		if s.stamp {
			args = append(args, now)
		}
		if _, err := r.w.ExecContext(ctx, s.sql, args...); err != nil {
			return err
		}
	}
	res, err := r.w.ExecContext(ctx, "UPDATE "+table+" SET merged_into = $1 WHERE id = $2 AND deleted_at IS NULL", keepID, dropID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return crm.ErrNotFound
	}
	if _, err := r.w.ExecContext(ctx, "DELETE FROM record_terms WHERE entity = $1 AND record_id = $2", entity, dropID); err != nil {
		return err
	}
	_, err = r.w.ExecContext(ctx, "DELETE FROM record_tags WHERE entity = $1 AND record_id = $2", entity, dropID)
	return err
}
