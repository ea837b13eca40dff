package crm

import "time"

// Audit actions (R72).
const (
	AuditCreate         = "create"
	AuditUpdate         = "update"
	AuditDelete         = "delete"
	AuditRestore        = "restore"
	AuditPurge          = "purge"
	AuditLogin          = "login"
	AuditLoginFailed    = "login_failed"
	AuditLogout         = "logout"
	AuditPasswordChange = "password_change"
	AuditTokenCreate    = "token_create"
	AuditTokenRevoke    = "token_revoke"
	AuditExport         = "export"
)

// AuditEntry is one immutable line of the audit log, written in the same transaction as the
// change it describes.
type AuditEntry struct {
	ID        int64             `json:"id"`
	At        time.Time         `json:"at"`
	UserID    *int64            `json:"user_id,omitempty"`
	UserName  string            `json:"user_name,omitempty"`
	Action    string            `json:"action"`
	Entity    string            `json:"entity"`
	RecordID  int64             `json:"record_id"`
	Changes   map[string][2]any `json:"changes,omitempty"` // field → [old, new]
	IP        string            `json:"ip,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	UserID   *int64
	Entity   string
	RecordID *int64
	Action   string
	From, To *time.Time
	Page     PageRequest
}
