package api

import "github.com/danielgtaylor/huma/v2"

// registerWork adds the operations of tasks and reminders, files, notes.
func (h *handlers) registerWork(api huma.API) {
	api.OpenAPI().Tags = append(api.OpenAPI().Tags,
		&huma.Tag{Name: "Tasks", Description: "Tasks and reminders (Задания, напоминания) on any record or on none. Read: every CRM role. " +
			"A task on a record is part of it: adding, editing and deleting need the right to edit the record; a task on no record belongs to its author and its assignee. The assignee may always change the status."},
		&huma.Tag{Name: "Files", Description: "Files on any record (projects, companies, contacts, deals, contracts). Read and download: every CRM role; upload and delete: those who may edit the record. " +
			"The type is checked by content: PDF, images, text and CSV, Office and OpenDocument files; HTML, SVG, scripts and programs are refused."},
		&huma.Tag{Name: "Notes", Description: "Plain-text notes on any record, shown in its timeline. Read: every CRM role; write and delete: those who may edit the record."})
	h.registerTasks(api)
	h.registerFiles(api)
	h.registerNotes(api)
}
