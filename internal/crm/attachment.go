package crm

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

// Note is a free-text note on any record, shown in its timeline.
type Note struct {
	Meta
	Entity   string `json:"entity"`
	RecordID int64  `json:"record_id"`
	Body     string `json:"body"`
}
