package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Note (Заметка) is a plain-text note on a record.
type Note struct {
	Meta
	Entity   string `json:"entity" doc:"Type of the record it is on."`
	RecordID int64  `json:"record_id" doc:"Id of the record it is on."`
	Body     string `json:"body" doc:"The text." example:"Клиент просит КП до пятницы"`
}

func noteOf(n *crm.Note) Note {
	return Note{Meta: metaOf(n.Meta), Entity: n.Entity, RecordID: n.RecordID, Body: n.Body}
}

// NoteCreate writes a note on a record.
type NoteCreate struct {
	Entity   string `json:"entity" enum:"project,company,contact,deal,contract" doc:"Type of the record."`
	RecordID int64  `json:"record_id" minimum:"1" doc:"Id of the record."`
	Body     string `json:"body" maxLength:"10000" doc:"The text, plain, up to 10,000 characters."`
}

// RecordParams name the record whose files or notes are listed.
type RecordParams struct {
	Entity   string `query:"entity" required:"true" enum:"project,company,contact,deal,contract" doc:"Type of the record."`
	RecordID int64  `query:"record_id" required:"true" minimum:"1" doc:"Id of the record."`
}

type noteBody struct {
	Body NoteCreate
}

func (h *handlers) registerNotes(api huma.API) {
	const tag, path = "Notes", "/notes"
	huma.Register(api, op("listNotes", http.MethodGet, path, tag, "List the notes of a record",
		"The live notes of one record, newest first. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *RecordParams) (*itemsOutput[Note], error) {
			notes, err := h.app.Notes(ctx, in.Entity, in.RecordID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return itemsOf(notes, noteOf), nil
		})

	huma.Register(api, op("createNote", http.MethodPost, path, tag, "Write a note",
		"Writes a note on a record: those who may edit the record."),
		func(ctx context.Context, in *noteBody) (*createdOutput[Note], error) {
			b := in.Body
			n, err := h.app.AddNote(ctx, b.Entity, b.RecordID, b.Body)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, n.ID, noteOf(n)), nil
		})

	huma.Register(api, op("getNote", http.MethodGet, path+"/{id}", tag, "Get a note",
		"One note. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Note], error) {
			n, err := h.app.Note(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(noteOf(n)), nil
		})

	huma.Register(api, op("deleteNote", http.MethodDelete, path+"/{id}", tag, "Delete a note",
		"Moves a note to the trash: those who may edit its record.", http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteNote))
}
