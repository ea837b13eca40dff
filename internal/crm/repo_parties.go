package crm

import "context"

// PartyRepo stores companies, contacts and consents.
type PartyRepo interface {
	CompanyByID(ctx context.Context, id int64) (*Company, error)
	ListCompanies(ctx context.Context, f CompanyFilter) (Page[Company], error)
	CreateCompany(ctx context.Context, c *Company) error
	UpdateCompany(ctx context.Context, c *Company) error

	ContactByID(ctx context.Context, id int64) (*Contact, error)
	ListContacts(ctx context.Context, f ContactFilter) (Page[Contact], error)
	CreateContact(ctx context.Context, c *Contact) error
	UpdateContact(ctx context.Context, c *Contact) error

	AddConsent(ctx context.Context, c *Consent) error
	ListConsents(ctx context.Context, contactID int64) ([]Consent, error)

	// DuplicateCompanies finds live companies sharing an INN, a normalised phone or e-mail
	// with c (excluding c itself); DuplicateContacts the same for contacts by phone, e-mail.
	DuplicateCompanies(ctx context.Context, c *Company) ([]Company, error)
	DuplicateContacts(ctx context.Context, c *Contact) ([]Contact, error)

	// MergeCompanyLinks re-points every link of company dropID (contacts, deals, contracts,
	// tasks, files, notes) to keepID and marks dropID merged into keepID; the caller
	// soft-deletes dropID and audits both in the same transaction. MergeContactLinks does the
	// same for contacts (deals, consents, tasks, files, notes).
	MergeCompanyLinks(ctx context.Context, keepID, dropID int64) error
	MergeContactLinks(ctx context.Context, keepID, dropID int64) error
	// MergedFrom lists the records merged into id (EntityCompany or EntityContact), also
	// through chains of merges, so that a card can show their history too.
	MergedFrom(ctx context.Context, entity string, id int64) ([]int64, error)
}
