package api

import "github.com/danielgtaylor/huma/v2"

// registerConfig adds the operations of choice lists, custom fields, sales topics and stages.
func (h *handlers) registerConfig(api huma.API) {}
