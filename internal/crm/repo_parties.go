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
}
