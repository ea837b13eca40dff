package api

import "github.com/danielgtaylor/huma/v2"

// registerWork adds the operations of tasks and reminders, files, notes.
func (h *handlers) registerWork(api huma.API) {}
