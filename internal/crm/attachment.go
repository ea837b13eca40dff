package crm

import "strings"

// Attachment is a file on any record. The bytes live in the data directory (SQLite) or in the
// database (PostgreSQL, so that every instance sees them); Storage says which.
type Attachment struct {
	Meta
	Entity      string `json:"entity"`
	RecordID    int64  `json:"record_id"`
	FileName    string `json:"file_name"`
	MIME        string `json:"mime"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Storage     string `json:"storage"` // dir, db
	Description string `json:"description"`
}

// Attachment storages.
const (
	StorageDir = "dir"
	StorageDB  = "db"
)

// Note is a free-text note on any record, shown in its timeline.
type Note struct {
	Meta
	Entity   string `json:"entity"`
	RecordID int64  `json:"record_id"`
	Body     string `json:"body"`
}

// MaxNoteBody bounds a note (characters).
const MaxNoteBody = 10000

// Normalise trims the text.
func (n *Note) Normalise() { n.Body = strings.TrimSpace(n.Body) }

// Validate checks that there is text, and not too much of it.
func (n *Note) Validate() error {
	pr := Problems{}
	if n.Body == "" {
		pr.Add("body", "err.required")
	} else if len([]rune(n.Body)) > MaxNoteBody {
		pr.Add("body", "err.too_long")
	}
	return pr.Err()
}
