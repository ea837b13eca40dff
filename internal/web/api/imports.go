package api

import "github.com/danielgtaylor/huma/v2"

// registerImport adds the operations of import, export and group actions.
func (h *handlers) registerImport(api huma.API) {}
