package api

import "github.com/danielgtaylor/huma/v2"

// registerDeals adds the operations of deals, the kanban, contracts.
func (h *handlers) registerDeals(api huma.API) {}
