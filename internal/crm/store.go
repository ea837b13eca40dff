package crm

import (
	"context"
	"time"
)

// Entity names, used in the audit log, in soft delete/restore and in permission policies.
const (
	EntityUser        = "user"
	EntityDirectorate = "directorate"
	EntityProduct     = "product"
	EntityProject     = "project"
	EntityToken       = "api_token"
	EntitySavedView   = "saved_view"
	EntityAudit       = "audit" // the audit log as a whole, for its read permission

	EntityChoice      = "choice"       // a value of a choice list (Types and other lists)
	EntityCustomField = "custom_field" // an admin-defined field (Аналитика)
	EntityCompany     = "company"
	EntityContact     = "contact"
	EntityConsent     = "consent"
	EntityTopic       = "topic" // a sales topic with its stages
	EntityDeal        = "deal"
	EntityContract    = "contract"
	EntityTask        = "task"
	EntityAttachment  = "attachment"
	EntityNote        = "note"
	EntityImport      = "import_job"
)

// UserFilter narrows the user list.
type UserFilter struct {
	Q             string // matches login, e-mail, name; case-insensitive in Russian and English
	Role          Role
	DirectorateID int64
	Active        *bool
	Deleted       bool // list the trash instead of live rows
	Page          PageRequest
}

// DirectorateFilter narrows the directorate list.
type DirectorateFilter struct {
	Q       string
	IDs     []int64
	Active  *bool
	Deleted bool
	Page    PageRequest
}

// ProductFilter narrows the product list.
type ProductFilter struct {
	Q             string
	Kind          ProductKind
	DirectorateID int64
	Active        *bool
	Deleted       bool
	Page          PageRequest
}

// ProjectFilter narrows the project list.
type ProjectFilter struct {
	Q             string
	Status        ProjectStatus
	DirectorateID int64
	ResponsibleID int64
	Deleted       bool
	Page          PageRequest
}

// APIToken is a bearer token for the API; only its SHA-256 is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Hash       string     `json:"-"`
	ReadOnly   bool       `json:"read_only"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// SavedView is a named filter of one list, kept per user.
type SavedView struct {
	ID     int64  `json:"id"`
	UserID int64  `json:"user_id"`
	List   string `json:"list"`
	Name   string `json:"name"`
	Query  string `json:"query"` // URL query of the list's filters and sort
}

// Repo is what the domain needs from storage. The store implements it once for SQLite and
// PostgreSQL; a Repo handed to InTx runs every call in that one transaction.
type Repo interface {
	ConfigRepo // choice lists, custom fields, sales topics and stages
	PartyRepo  // companies, contacts, consents, duplicates, merge
	DealRepo   // deals, stage history, contracts, payments
	WorkRepo   // tasks, attachments, notes
	ImportRepo // import jobs and their rows
	SearchRepo // the global search index
	BulkRepo   // many rows at once: import and the large demo

	CountUsers(ctx context.Context) (int, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	UserByLogin(ctx context.Context, loginOrEmail string) (*User, error)
	ListUsers(ctx context.Context, f UserFilter) (Page[User], error)
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error // version-checked; bumps Version
	SetPassword(ctx context.Context, userID int64, hash string) error
	// AddLoginFailure counts one failed login in a single statement (parallel guesses cannot
	// overwrite each other); reaching lockAfter locks the account until lockUntil and restarts
	// the count.
	AddLoginFailure(ctx context.Context, userID int64, lockAfter int, lockUntil time.Time) error
	ResetLoginFailures(ctx context.Context, userID int64) error
	AuthEpoch(ctx context.Context, userID int64) (int64, error)

	DirectorateByID(ctx context.Context, id int64) (*Directorate, error)
	ListDirectorates(ctx context.Context, f DirectorateFilter) (Page[Directorate], error)
	CreateDirectorate(ctx context.Context, d *Directorate) error
	UpdateDirectorate(ctx context.Context, d *Directorate) error

	ProductByID(ctx context.Context, id int64) (*Product, error)
	ListProducts(ctx context.Context, f ProductFilter) (Page[Product], error)
	CreateProduct(ctx context.Context, p *Product) error
	UpdateProduct(ctx context.Context, p *Product) error

	ProjectByID(ctx context.Context, id int64) (*Project, error)
	ListProjects(ctx context.Context, f ProjectFilter) (Page[Project], error)
	CreateProject(ctx context.Context, p *Project) error
	UpdateProject(ctx context.Context, p *Project) error

	// SoftDelete marks a live record deleted if its version matches; Restore brings it back.
	SoftDelete(ctx context.Context, entity string, id, version, by int64) error
	Restore(ctx context.Context, entity string, id, by int64) error

	InsertAudit(ctx context.Context, e *AuditEntry) error
	ListAudit(ctx context.Context, f AuditFilter) (Page[AuditEntry], error)

	CreateToken(ctx context.Context, t *APIToken) error
	TokenByHash(ctx context.Context, hash string) (*APIToken, error)
	ListTokens(ctx context.Context, userID int64) ([]APIToken, error)
	RevokeToken(ctx context.Context, userID, id int64) error
	TouchToken(ctx context.Context, id int64, at time.Time) error

	ListSavedViews(ctx context.Context, userID int64, list string) ([]SavedView, error)
	CreateSavedView(ctx context.Context, v *SavedView) error
	DeleteSavedView(ctx context.Context, userID, id int64) error
	UserPref(ctx context.Context, userID int64, key string) (string, error)
	SetUserPref(ctx context.Context, userID int64, key, value string) error
}

// Store is a Repo that can also open transactions.
type Store interface {
	Repo
	InTx(ctx context.Context, fn func(tx Repo) error) error
	Ping(ctx context.Context) error
}
