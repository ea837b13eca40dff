package crm

import "context"

// DealRepo stores deals with their lines and stage history, and contracts with payments.
type DealRepo interface {
	// DealByID reads a deal with its lines.
	DealByID(ctx context.Context, id int64) (*Deal, error)
	ListDeals(ctx context.Context, f DealFilter) (Page[Deal], error)
	CreateDeal(ctx context.Context, d *Deal) error // writes lines and the first history row
	UpdateDeal(ctx context.Context, d *Deal) error // rewrites lines
	AddStageChange(ctx context.Context, c *StageChange) error
	StageHistory(ctx context.Context, dealID int64) ([]StageChange, error)
	// StageSummaries counts and sums the live deals of f per stage (the kanban heads).
	StageSummaries(ctx context.Context, f DealFilter) ([]StageSummary, error)

	// ContractByID reads a contract with its payments and paid sum.
	ContractByID(ctx context.Context, id int64) (*Contract, error)
	ListContracts(ctx context.Context, f ContractFilter) (Page[Contract], error)
	CreateContract(ctx context.Context, c *Contract) error
	UpdateContract(ctx context.Context, c *Contract) error
	AddPayment(ctx context.Context, contractID int64, p *Payment, by int64) error
	DeletePayment(ctx context.Context, contractID, paymentID int64) error
	// Income sums live contracts of f: income of signed and completed ones (R39), and paid.
	Income(ctx context.Context, f ContractFilter) (IncomeTotals, error)
}
