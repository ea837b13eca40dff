package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// CompanyDuplicates lists the live companies that share the INN, a phone or an e-mail with c
// (c itself left out): the merge screen offers them first. Every CRM role may look.
func (a *App) CompanyDuplicates(ctx context.Context, c *crm.Company) ([]crm.Company, error) {
	if _, err := readList(ctx, crm.EntityCompany, false); err != nil {
		return nil, err
	}
	return a.store.DuplicateCompanies(ctx, c)
}

// ContactDuplicates lists the live contacts that share a phone or an e-mail with c.
func (a *App) ContactDuplicates(ctx context.Context, c *crm.Contact) ([]crm.Contact, error) {
	if _, err := readList(ctx, crm.EntityContact, false); err != nil {
		return nil, err
	}
	return a.store.DuplicateContacts(ctx, c)
}
