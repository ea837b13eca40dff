package crm

import "context"

// BulkRepo writes many records in one statement batch: the import of a million contacts and
// the large demo cannot afford a round trip per row. Same columns, terms and tags as the
// single-row writes; no audit rows (the import job records what it did). Call it inside InTx,
// a few thousand records per call: ids are filled in on return. A CreatedAt already set is
// kept (the demo spreads records over time); zero means now.
type BulkRepo interface {
	BulkCreateCompanies(ctx context.Context, cs []*Company) error
	// BulkCreateContacts stores FullName() as the contact's full name.
	BulkCreateContacts(ctx context.Context, cs []*Contact) error
	// BulkCreateDeals writes the deals' lines and first stage-history row too; topics and
	// stages are the caller's to check.
	BulkCreateDeals(ctx context.Context, ds []*Deal) error
}
