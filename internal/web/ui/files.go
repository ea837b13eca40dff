package ui

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// fileView is one file of a card's files tab.
type fileView struct {
	ID          int64
	Version     int64
	Name        string
	Size        string
	Description string
	Who         string
	At          string
	Href        string
	CanDelete   bool
}

// loadFilePanel reads the files tab of a card.
func (u *UI) loadFilePanel(r *http.Request, p *workPanel, f *form) error {
	ctx := r.Context()
	files, err := u.app.Attachments(ctx, p.Entity, p.RecordID)
	if err != nil {
		return err
	}
	names := u.lookup(ctx)
	ids := make([]*int64, 0, len(files))
	for i := range files {
		ids = append(ids, files[i].CreatedBy)
	}
	names.prefetchUsers(ids...)
	lang, loc := u.lang(r), userLocation(ctx)
	for _, a := range files {
		p.Files = append(p.Files, fileView{ID: a.ID, Version: a.Version, Name: a.FileName, Size: formatSize(lang, a.Size),
			Description: a.Description, Who: names.userName(a.CreatedBy), At: formatDateTime(lang, a.CreatedAt, loc),
			Href: "/files/" + strconv.FormatInt(a.ID, 10), CanDelete: p.CanEdit})
	}
	p.MaxSizeMB = app.MaxFileSize() >> 20
	if p.CanEdit {
		if f == nil {
			f = newForm(p.Action("files"), p.Base+"?tab=files")
		}
		p.FileForm = f
	}
	return nil
}

// formatSize writes a byte count the way people read it: 512 Б, 1,5 КБ, 12 МБ.
func formatSize(lang string, n int64) string {
	units := []string{"B", "KB", "MB", "GB"}
	if lang == "ru" {
		units = []string{"Б", "КБ", "МБ", "ГБ"}
	}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if i == 0 {
		s = strconv.FormatInt(n, 10)
	}
	s = strings.TrimSuffix(s, ".0")
	if lang == "ru" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "\u00a0" + units[i]
}

// uploadSlack is what a multipart body carries besides the file itself (boundaries, headers,
// the other fields).
const uploadSlack = 1 << 20

// fileUpload stores a file posted from a card's files tab.
func (u *UI) fileUpload(w http.ResponseWriter, r *http.Request) {
	entity, id, ok := u.workRecord(w, r)
	if !ok {
		return
	}
	base := recordHref(entity, &id)
	p := &workPanel{Entity: entity, RecordID: id, Base: base}
	f := newForm(p.Action("files"), base+"?tab=files")
	limit := app.MaxFileSize()
	// A large upload may take longer than the server's read timeout allows a request.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(10 * time.Minute))
	r.Body = http.MaxBytesReader(w, r.Body, limit+uploadSlack)
	in, err := readUpload(r, limit)
	status, toastKey := http.StatusOK, "files.uploaded"
	if err == nil {
		in.Entity, in.RecordID = entity, id
		_, err = u.app.AddAttachment(r.Context(), in)
	}
	if err != nil {
		if !f.absorb(err, "file", "description") {
			u.fail(w, r, err)
			return
		}
		f.Values.Set("description", in.Description)
		status, toastKey = formStatus(err), ""
	} else {
		f = nil
	}
	p.CanEdit = u.app.CanEditRecord(r.Context(), entity, id)
	if err := u.loadFilePanel(r, p, f); err != nil {
		u.fail(w, r, err)
		return
	}
	if f != nil && !p.CanEdit {
		p.FileForm = f
	}
	u.workRegion(w, r, status, p, "files", "work_files", toastKey)
}

// readUpload reads the multipart form of an upload: one file (field "file") and an optional
// description. Too large a body is a field error, not a broken request.
func readUpload(r *http.Request, limit int64) (app.FileInput, error) {
	var in app.FileInput
	tooBig := &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"file": "err.file_too_big"}}
	mr, err := r.MultipartReader()
	if err != nil {
		return in, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"file": "err.required"}}
	}
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return in, tooBig
			}
			return in, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"file": "err.required"}}
		}
		switch part.FormName() {
		case "file":
			if part.FileName() == "" {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(part, limit+1))
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return in, tooBig
				}
				return in, err
			}
			if int64(len(b)) > limit {
				return in, tooBig
			}
			in.FileName, in.Content, found = part.FileName(), b, true
		case "description":
			b, _ := io.ReadAll(io.LimitReader(part, 8<<10))
			in.Description = string(b)
		}
	}
	if !found {
		return in, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"file": "err.required"}}
	}
	return in, nil
}

// fileDownload sends a file to whoever may read its record, always as a download: never shown
// inline, never sniffed into something runnable.
func (u *UI) fileDownload(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	a, b, err := u.app.AttachmentContent(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	WriteAttachment(w, a, b)
}

// WriteAttachment writes a file's bytes with the headers of a safe download.
func WriteAttachment(w http.ResponseWriter, a *crm.Attachment, b []byte) {
	h := w.Header()
	h.Set("Content-Type", a.MIME)
	h.Set("Content-Disposition", app.ContentDisposition(a.FileName))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// fileDelete moves a file to the trash.
func (u *UI) fileDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteFromRecord(w, r, "files", "files.deleted", func(ctx context.Context, id int64) (string, int64, error) {
		a, err := u.app.Attachment(ctx, id)
		if err != nil {
			return "", 0, err
		}
		return a.Entity, a.RecordID, nil
	}, u.app.DeleteAttachment)
}
