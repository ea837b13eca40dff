package store

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Stubs until the slice lands: they satisfy crm.Repo so the tree builds.

func (r repo) DealByID(ctx context.Context, id int64) (*crm.Deal, error) {
	return nil, errNotImplemented
}

func (r repo) ListDeals(ctx context.Context, f crm.DealFilter) (crm.Page[crm.Deal], error) {
	return crm.Page[crm.Deal]{}, errNotImplemented
}

func (r repo) CreateDeal(ctx context.Context, d *crm.Deal) error {
	return errNotImplemented
}

func (r repo) UpdateDeal(ctx context.Context, d *crm.Deal) error {
	return errNotImplemented
}

func (r repo) AddStageChange(ctx context.Context, c *crm.StageChange) error {
	return errNotImplemented
}

func (r repo) StageHistory(ctx context.Context, dealID int64) ([]crm.StageChange, error) {
	return nil, errNotImplemented
}

func (r repo) StageSummaries(ctx context.Context, f crm.DealFilter) ([]crm.StageSummary, error) {
	return nil, errNotImplemented
}
