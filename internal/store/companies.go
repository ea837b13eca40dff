package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) CompanyByID(ctx context.Context, id int64) (*crm.Company, error) {
	return nil, errNotImplemented
}

func (r repo) ListCompanies(ctx context.Context, f crm.CompanyFilter) (crm.Page[crm.Company], error) {
	return crm.Page[crm.Company]{}, errNotImplemented
}

func (r repo) CreateCompany(ctx context.Context, c *crm.Company) error {
	return errNotImplemented
}

func (r repo) UpdateCompany(ctx context.Context, c *crm.Company) error {
	return errNotImplemented
}

func (r repo) DuplicateCompanies(ctx context.Context, c *crm.Company) ([]crm.Company, error) {
	return nil, errNotImplemented
}
