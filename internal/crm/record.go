package crm

import "time"

// Meta carries the columns every table has (architecture.md, data rules).
type Meta struct {
	ID        int64      `json:"id"`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy *int64     `json:"created_by,omitempty"`
	UpdatedAt time.Time  `json:"updated_at"`
	UpdatedBy *int64     `json:"updated_by,omitempty"`
	Version   int64      `json:"version"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
	DeletedBy *int64     `json:"deleted_by,omitempty"`
}

// Deleted reports whether the record is soft-deleted.
func (m Meta) Deleted() bool { return m.DeletedAt != nil }
