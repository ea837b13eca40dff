package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// File (Файл) is the description of a file on a record; its bytes are at /files/{id}/content.
type File struct {
	Meta
	Entity      string `json:"entity" doc:"Type of the record it is on."`
	RecordID    int64  `json:"record_id" doc:"Id of the record it is on."`
	FileName    string `json:"file_name" doc:"The name it was uploaded with." example:"Договор №5.pdf"`
	MIME        string `json:"mime" doc:"Its type, decided from the content." example:"application/pdf"`
	Size        int64  `json:"size" doc:"Size in bytes."`
	SHA256      string `json:"sha256" doc:"SHA-256 of the content, hex."`
	Description string `json:"description" doc:"Free text."`
}

func fileOf(a *crm.Attachment) File {
	return File{Meta: metaOf(a.Meta), Entity: a.Entity, RecordID: a.RecordID, FileName: a.FileName, MIME: a.MIME,
		Size: a.Size, SHA256: a.SHA256, Description: a.Description}
}

type uploadForm struct {
	File        huma.FormFile `form:"file" required:"true" contentType:"application/octet-stream" doc:"The file."`
	Description string        `form:"description" maxLength:"1000" doc:"What it is."`
}

type uploadInput struct {
	RecordParams
	RawBody huma.MultipartFormFiles[uploadForm]
}

type fileContentOutput struct {
	ContentType        string `header:"Content-Type" doc:"The file's type."`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment, with the original name (RFC 6266)."`
	NoSniff            string `header:"X-Content-Type-Options" doc:"nosniff"`
	Body               []byte
}

// uploadSlack is what a multipart body carries besides the file (boundary, headers, fields).
const uploadSlack = 1 << 20

// limitUpload refuses a body larger than the file limit before huma reads it, and caps what
// it may read whatever the declared length.
func limitUpload(api huma.API) func(ctx huma.Context, next func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(ctx)
		limit := app.MaxFileSize() + uploadSlack
		if r.ContentLength > limit {
			_ = huma.WriteErr(api, ctx, http.StatusRequestEntityTooLarge, "file larger than "+strconv.FormatInt(app.MaxFileSize()>>20, 10)+" MB")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next(ctx)
	}
}

func (h *handlers) registerFiles(api huma.API) {
	const tag, path = "Files", "/files"
	huma.Register(api, op("listFiles", http.MethodGet, path, tag, "List the files of a record",
		"The live files of one record, newest first. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *RecordParams) (*itemsOutput[File], error) {
			files, err := h.app.Attachments(ctx, in.Entity, in.RecordID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return itemsOf(files, fileOf), nil
		})

	upload := op("uploadFile", http.MethodPost, path, tag, "Upload a file",
		"Stores a file (multipart/form-data, field file) on a record: those who may edit the record. Up to 50 MB by default; the type is checked by content.",
		http.StatusRequestEntityTooLarge)
	upload.Middlewares = huma.Middlewares{limitUpload(api)}
	huma.Register(api, upload, func(ctx context.Context, in *uploadInput) (*createdOutput[File], error) {
		form := in.RawBody.Data()
		b, err := io.ReadAll(io.LimitReader(form.File, app.MaxFileSize()+1))
		if err != nil {
			return nil, fail(ctx, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"file": "err.file_too_big"}}, map[string]any{})
		}
		a, err := h.app.AddAttachment(ctx, app.FileInput{Entity: in.Entity, RecordID: in.RecordID, FileName: form.File.Filename,
			Description: form.Description, Content: b})
		if err != nil {
			// The form is the body: problems name body.file, body.description.
			return nil, fail(ctx, err, map[string]any{"description": form.Description})
		}
		return created(prefix+path, a.ID, fileOf(a)), nil
	})

	huma.Register(api, op("getFile", http.MethodGet, path+"/{id}", tag, "Get a file's description",
		"Name, type, size and checksum of one file. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[File], error) {
			a, err := h.app.Attachment(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(fileOf(a)), nil
		})

	content := op("downloadFile", http.MethodGet, path+"/{id}/content", tag, "Download a file",
		"The bytes of one file, as a download with its original name. Readable by every CRM role.", http.StatusNotFound)
	content.Responses = map[string]*huma.Response{"200": {Description: "The file's bytes.",
		Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
	huma.Register(api, content, func(ctx context.Context, in *IDParam) (*fileContentOutput, error) {
		a, b, err := h.app.AttachmentContent(ctx, in.ID)
		if err != nil {
			return nil, fail(ctx, err, nil)
		}
		return &fileContentOutput{ContentType: a.MIME, ContentDisposition: app.ContentDisposition(a.FileName), NoSniff: "nosniff", Body: b}, nil
	})

	huma.Register(api, op("deleteFile", http.MethodDelete, path+"/{id}", tag, "Delete a file",
		"Moves a file to the trash: those who may edit its record.", http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteAttachment))
}
