package api

import "github.com/danielgtaylor/huma/v2"

// registerSearch adds the operations of the global search box.
func (h *handlers) registerSearch(api huma.API) {}
