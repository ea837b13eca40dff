package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) ContractByID(ctx context.Context, id int64) (*crm.Contract, error) {
	return nil, errNotImplemented
}

func (r repo) ListContracts(ctx context.Context, f crm.ContractFilter) (crm.Page[crm.Contract], error) {
	return crm.Page[crm.Contract]{}, errNotImplemented
}

func (r repo) CreateContract(ctx context.Context, c *crm.Contract) error {
	return errNotImplemented
}

func (r repo) UpdateContract(ctx context.Context, c *crm.Contract) error {
	return errNotImplemented
}

func (r repo) AddPayment(ctx context.Context, contractID int64, p *crm.Payment, by int64) error {
	return errNotImplemented
}

func (r repo) DeletePayment(ctx context.Context, contractID, paymentID int64) error {
	return errNotImplemented
}

func (r repo) Income(ctx context.Context, f crm.ContractFilter) (crm.IncomeTotals, error) {
	return crm.IncomeTotals{}, errNotImplemented
}
