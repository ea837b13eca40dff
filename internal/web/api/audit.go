package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/crm"
)

// AuditEntry is one immutable line of the audit log.
type AuditEntry struct {
	ID        int64             `json:"id" doc:"Entry id."`
	At        time.Time         `json:"at" doc:"When it happened (UTC)."`
	UserID    *int64            `json:"user_id,omitempty" doc:"Who did it; absent for the system."`
	UserName  string            `json:"user_name,omitempty" doc:"Their name at the time of reading."`
	Action    string            `json:"action" doc:"create, update, delete, restore, purge, login, login_failed, logout, password_change, token_create, token_revoke, export."`
	Entity    string            `json:"entity" doc:"Record type: user, directorate, product, project, api_token, …"`
	RecordID  int64             `json:"record_id" doc:"Id of the record."`
	Changes   map[string][2]any `json:"changes,omitempty" doc:"Changed fields: field → [old, new]."`
	IP        string            `json:"ip,omitempty" doc:"Client address."`
	RequestID string            `json:"request_id,omitempty" doc:"Request id (X-Request-Id)."`
}

func auditEntryOf(e *crm.AuditEntry) AuditEntry {
	return AuditEntry{ID: e.ID, At: e.At, UserID: e.UserID, UserName: e.UserName, Action: e.Action,
		Entity: e.Entity, RecordID: e.RecordID, Changes: e.Changes, IP: e.IP, RequestID: e.RequestID}
}

type listAuditInput struct {
	ListParams
	Sort     string    `query:"sort" enum:"-id,id" doc:"-id (default) is newest first, id oldest first."`
	UserID   int64     `query:"user_id" minimum:"0" doc:"Only what this user did."`
	Entity   string    `query:"entity" maxLength:"64" doc:"Only this record type (user, directorate, product, project, api_token, …)."`
	RecordID int64     `query:"record_id" minimum:"0" doc:"Only this record (together with entity)."`
	Action   string    `query:"action" enum:"create,update,delete,restore,purge,login,login_failed,logout,password_change,token_create,token_revoke,export" doc:"Only this action."`
	From     time.Time `query:"from" doc:"Only entries at or after this time (RFC 3339)."`
	To       time.Time `query:"to" doc:"Only entries before this time (RFC 3339)."`
}

func (h *handlers) registerAudit(api huma.API) {
	huma.Register(api, op("listAudit", http.MethodGet, "/audit", "Audit", "Read the audit log",
		"A page of the audit log, newest first (crm_admin, admin, crm_read_admin)."),
		func(ctx context.Context, in *listAuditInput) (*pageOutput[AuditEntry], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f := crm.AuditFilter{Entity: in.Entity, Action: in.Action, Page: pr}
			if in.UserID != 0 {
				f.UserID = &in.UserID
			}
			if in.RecordID != 0 {
				f.RecordID = &in.RecordID
			}
			if !in.From.IsZero() {
				f.From = &in.From
			}
			if !in.To.IsZero() {
				f.To = &in.To
			}
			p, err := h.app.ListAudit(ctx, f)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[AuditEntry]{Body: pageOf(p, auditEntryOf)}, nil
		})
}
