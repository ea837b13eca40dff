package api

import (
	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
)

// RegisteredOperations builds the API afresh and returns the operations huma registered, for
// comparison with the document the server serves.
func RegisteredOperations(a *app.App) []*huma.Operation {
	_, hapi := build(a, Options{Version: "test"})
	var ops []*huma.Operation
	for _, item := range hapi.OpenAPI().Paths {
		for _, o := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete, item.Head, item.Options} {
			if o != nil {
				ops = append(ops, o)
			}
		}
	}
	return ops
}
