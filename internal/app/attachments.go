package app

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ladder-crm/ladder/internal/crm"
)

// DefaultMaxFileSize is the upload limit unless LADDER_MAX_FILE_MB says otherwise (product.md
// §4.8: 50 MB, editable).
const DefaultMaxFileSize = 50 << 20

var (
	maxFileOnce sync.Once
	maxFileSize int64
)

// MaxFileSize is the largest file one may attach, in bytes.
func MaxFileSize() int64 {
	maxFileOnce.Do(func() {
		maxFileSize = DefaultMaxFileSize
		if mb, err := strconv.ParseInt(strings.TrimSpace(os.Getenv("LADDER_MAX_FILE_MB")), 10, 64); err == nil && mb > 0 && mb <= 4096 {
			maxFileSize = mb << 20
		}
	})
	return maxFileSize
}

// FileInput is an upload: the record it goes on, the name it came with and its bytes.
type FileInput struct {
	Entity      string
	RecordID    int64
	FileName    string
	Description string
	Content     []byte
}

// AddAttachment stores a file on a record: those who may edit the record may (R8). The type
// is decided by the content, never by what the browser claimed.
func (a *App) AddAttachment(ctx context.Context, in FileInput) (*crm.Attachment, error) {
	act, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	name := cleanFileName(in.FileName)
	pr := crm.Problems{}
	switch {
	case len(in.Content) == 0:
		pr.Add("file", "err.file_empty")
	case int64(len(in.Content)) > MaxFileSize():
		pr.Add("file", "err.file_too_big")
	}
	if len([]rune(in.Description)) > 1000 {
		pr.Add("description", "err.too_long")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	mime, ok := DetectFileType(name, in.Content)
	if !ok {
		return nil, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"file": "err.file_type"}}
	}
	f := &crm.Attachment{Entity: in.Entity, RecordID: in.RecordID, FileName: name, MIME: mime,
		Description: strings.TrimSpace(in.Description)}
	f.CreatedBy = act.userID()
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if _, err := a.canEditParent(ctx, r, act, in.Entity, in.RecordID); err != nil {
			return recordRefErr(err)
		}
		if err := r.CreateAttachment(ctx, f, in.Content); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityAttachment, f.ID, nil, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Attachment reads a file's description: whoever may read its record.
func (a *App) Attachment(ctx context.Context, id int64) (*crm.Attachment, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	f, err := a.store.AttachmentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := canRead(act, crm.EntityAttachment, f.Meta); err != nil {
		return nil, err
	}
	if _, err := canReadParent(ctx, a.store, act, f.Entity, f.RecordID); err != nil {
		if isNotFound(err) {
			return nil, crm.ErrNotFound
		}
		return nil, err
	}
	return f, nil
}

// AttachmentContent reads a file and its bytes, with the same check as Attachment.
func (a *App) AttachmentContent(ctx context.Context, id int64) (*crm.Attachment, []byte, error) {
	f, err := a.Attachment(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	b, err := a.store.AttachmentContent(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return f, b, nil
}

// Attachments lists the live files of a record, newest first.
func (a *App) Attachments(ctx context.Context, entity string, recordID int64) ([]crm.Attachment, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActRead, crm.EntityAttachment, nil); err != nil {
		return nil, err
	}
	if _, err := canReadParent(ctx, a.store, act, entity, recordID); err != nil {
		return nil, err
	}
	return a.store.ListAttachments(ctx, entity, recordID)
}

// DeleteAttachment moves a file to the trash: those who may edit its record. The bytes stay
// (restore brings the file back).
func (a *App) DeleteAttachment(ctx context.Context, id, version int64) error {
	act, err := writer(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		f, err := live(r.AttachmentByID(ctx, id))
		if err != nil {
			return err
		}
		if _, err := a.canEditParent(ctx, r, act, f.Entity, f.RecordID); err != nil {
			return err
		}
		if err := r.SoftDelete(ctx, crm.EntityAttachment, id, version, derefID(act.userID())); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditDelete, crm.EntityAttachment, id, f, nil)
	})
}

// RestoreAttachment brings a file back from the trash (crm_admin, admin).
func (a *App) RestoreAttachment(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityAttachment, id, nil)
}

// cleanFileName keeps the last path element of what the browser sent (some send a whole
// path), without control characters, at most 255 characters; empty becomes "file".
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimSpace(name))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	if r := []rune(name); len(r) > 255 {
		ext := path.Ext(name)
		if len([]rune(ext)) > 16 {
			ext = ""
		}
		name = string(r[:255-len([]rune(ext))]) + ext
	}
	if name == "" || name == "." || name == "/" {
		name = "file"
	}
	return name
}

// Types a file may have, decided from its content (and, where content alone cannot tell,
// from its name too). Everything else is refused: HTML, SVG, scripts, executables, archives.
const (
	mimePDF  = "application/pdf"
	mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	mimeODT  = "application/vnd.oasis.opendocument.text"
	mimeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	mimeODP  = "application/vnd.oasis.opendocument.presentation"
	mimeDOC  = "application/msword"
	mimeXLS  = "application/vnd.ms-excel"
)

// textExtensions are the names plain text is accepted under: text that claims to be a
// script or a page (.js, .html, .svg…) is refused even though its bytes are "just text".
var textExtensions = map[string]string{
	".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".tsv": "text/tab-separated-values; charset=utf-8",
	".log": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8",
}

// oleMagic starts every legacy Office (OLE2 compound) file; so does an .msi installer, which
// is why the name must say .doc or .xls.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// DetectFileType returns the MIME type to store for a file, or false when the type is not
// allowed.
func DetectFileType(name string, content []byte) (string, bool) {
	ext := strings.ToLower(path.Ext(name))
	sniffed := http.DetectContentType(content)
	base, _, _ := strings.Cut(sniffed, ";")
	switch base {
	case mimePDF, "image/png", "image/jpeg", "image/gif", "image/webp":
		return base, true
	case "application/zip":
		return officeZipType(content)
	case "text/plain":
		mime, ok := textExtensions[ext]
		if !ok || looksLikeMarkupOrScript(content) {
			return "", false
		}
		return mime, true
	}
	if bytes.HasPrefix(content, oleMagic) {
		switch ext {
		case ".doc":
			return mimeDOC, true
		case ".xls":
			return mimeXLS, true
		}
	}
	return "", false
}

// officeZipType tells an Office Open XML or OpenDocument file by the entries of its zip;
// any other zip (an archive that could carry anything) is refused.
func officeZipType(content []byte) (string, bool) {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return "", false
	}
	has := map[string]*zip.File{}
	for _, f := range zr.File {
		has[f.Name] = f
	}
	if has["[Content_Types].xml"] != nil {
		switch {
		case has["word/document.xml"] != nil:
			return mimeDOCX, true
		case has["xl/workbook.xml"] != nil:
			return mimeXLSX, true
		case has["ppt/presentation.xml"] != nil:
			return mimePPTX, true
		}
		return "", false
	}
	// OpenDocument: a stored first entry "mimetype" holding the type.
	if len(zr.File) > 0 && zr.File[0].Name == "mimetype" {
		rc, err := zr.File[0].Open()
		if err != nil {
			return "", false
		}
		defer rc.Close()
		b, _ := io.ReadAll(io.LimitReader(rc, 100))
		switch strings.TrimSpace(string(b)) {
		case mimeODT, mimeODS, mimeODP:
			return strings.TrimSpace(string(b)), true
		}
	}
	return "", false
}

// looksLikeMarkupOrScript catches text a browser or a shell could run: markup (SVG without
// an XML declaration sniffs as plain text) and scripts with a #! line.
func looksLikeMarkupOrScript(content []byte) bool {
	head := content
	if len(head) > 1024 {
		head = head[:1024]
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(head)
	if bytes.HasPrefix(trimmed, []byte("#!")) || bytes.HasPrefix(trimmed, []byte("<")) {
		return true
	}
	low := bytes.ToLower(head)
	for _, tag := range []string{"<svg", "<script", "<html", "<!doctype", "<iframe", "<?xml"} {
		if bytes.Contains(low, []byte(tag)) {
			return true
		}
	}
	return false
}

// ContentDisposition is the header value of a download: "attachment" with the file's name
// twice (RFC 6266), an ASCII fallback in filename and the real name in UTF-8
// percent-encoding in filename* (RFC 5987), which every current browser prefers.
func ContentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r == '"' || r == '\\' || r < 0x20 || r == 0x7f:
			ascii.WriteByte('_')
		case r < 0x80:
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	enc := url.PathEscape(name)
	// PathEscape leaves a few characters RFC 5987's attr-char does not allow.
	enc = strings.NewReplacer("'", "%27", "(", "%28", ")", "%29", "*", "%2A", ",", "%2C", ";", "%3B", "=", "%3D", "@", "%40", ":", "%3A", "/", "%2F", "+", "%2B", "$", "%24").Replace(enc)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii.String(), enc)
}
