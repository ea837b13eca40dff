package crm

// BulkRepo writes many records in one statement batch: the import of a million contacts and
// the large demo cannot afford a round trip per row. Same columns, terms and tags as the
// single-row writes; no audit rows (the import job records what it did).
type BulkRepo interface {
}
