// Package api is the REST API /api/v1 (huma: OpenAPI 3.1 at /api/openapi.json, RFC 9457 errors).
//
// It is a thin skin over internal/app: handlers decode, call one use case and encode; every
// permission and business rule lives in the app layer. One handler file per resource.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"golang.org/x/text/language"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// Options configure the API.
type Options struct {
	Version string
	Log     *slog.Logger // nil: slog.Default()
}

// Paths the API serves outside /api/v1. They need no login: the reference is public.
const (
	prefix      = "/api/v1"
	openAPIPath = "/api/openapi" // huma adds .json, .yaml, -3.0.json
	docsPath    = "/api/docs"
)

var installOnce sync.Once

// New returns the handler of everything under /api/.
func New(a *app.App, opts Options) http.Handler {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	mux, hapi := build(a, opts)
	docs := newDocs(hapi.OpenAPI())
	mux.Handle("GET "+docsPath, docs)
	mux.HandleFunc("GET "+docsPath+".css", serveDocsCSS)
	mux.Handle("/api/", notFound(mux))
	return withContext(opts.Log, requireActor(mux))
}

// build registers every operation on a fresh mux. Tests call it to compare the served document
// with what huma registered.
func build(a *app.App, opts Options) (*http.ServeMux, huma.API) {
	installOnce.Do(installHumaErrors)
	mux := http.NewServeMux()
	cfg := huma.DefaultConfig("Ladder API", opts.Version)
	cfg.OpenAPIPath = openAPIPath
	cfg.DocsPath = "" // ours is rendered server-side: the stock one loads scripts from a CDN
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil // no $schema links in bodies: a body read and sent back must stay valid
	cfg.RejectUnknownQueryParameters = true
	cfg.Info.Description = apiDescription
	cfg.Servers = []*huma.Server{{URL: "/", Description: "this Ladder server"}}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API token (ldr_…) made under Profile → API tokens, `POST /api/v1/me/tokens` or `ladder token create`. A browser session cookie works too."},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	cfg.Tags = apiTags
	hapi := humago.New(mux, cfg)
	h := &handlers{app: a}
	h.registerUsers(hapi)
	h.registerMe(hapi)
	h.registerDirectorates(hapi)
	h.registerProducts(hapi)
	h.registerProjects(hapi)
	h.registerAudit(hapi)
	h.registerConfig(hapi)
	h.registerParties(hapi)
	h.registerDeals(hapi)
	h.registerWork(hapi)
	h.registerImport(hapi)
	h.registerSearch(hapi)
	addDefaultProblem(hapi.OpenAPI())
	return mux, hapi
}

// addDefaultProblem documents that any other status (400, 405, 413, 415 …) also comes as a
// Problem: huma adds a default response only to operations that list no errors of their own.
func addDefaultProblem(oapi *huma.OpenAPI) {
	for _, item := range oapi.Paths {
		for _, o := range []*huma.Operation{item.Get, item.Post, item.Patch, item.Put, item.Delete} {
			if o == nil || o.Responses["default"] != nil {
				continue
			}
			if ise := o.Responses["500"]; ise != nil {
				o.Responses["default"] = &huma.Response{Description: "Any other problem (RFC 9457)", Content: ise.Content}
			}
		}
	}
}

const apiDescription = `The REST API of Ladder, a marketing CRM for B2B companies.

Every call needs a bearer token (` + "`Authorization: Bearer ldr_…`" + `); a read-only token may only read.
Rights are those of the token's user (roles and sales directorates), exactly as in the web interface.

Lists are keyset-paginated: pass ` + "`limit`" + ` (1–200, default 50) and the ` + "`next`" + ` cursor of the previous
page as ` + "`after`" + `; an empty ` + "`next`" + ` means the last page. ` + "`total`" + ` counts up to 10 000.

Changes use optimistic locking: send the ` + "`version`" + ` you read; a stale one gets 409.
Errors are RFC 9457 problem documents (` + "`application/problem+json`" + `) whose ` + "`detail`" + ` and field
messages follow ` + "`Accept-Language`" + ` (ru or en), else the user's language.`

// apiTags fixes the order and wording of the groups in the document and the reference page.
var apiTags = []*huma.Tag{
	{Name: "Profile", Description: "The caller's own account: profile, password and API tokens. Needs no CRM role."},
	{Name: "Users", Description: "People who log in, their roles and sales directorates. Read: every CRM role; write: crm_admin and admin (only admin grants admin)."},
	{Name: "Directorates", Description: "Sales directorates (Дирекции продаж): the units whose records their members may edit. Read: every CRM role; write: crm_admin and admin."},
	{Name: "Products", Description: "Products and services (Продукты/услуги) and the sales directorates that sell them. Read: every CRM role; write: crm_admin and admin."},
	{Name: "Projects", Description: "Projects (Проекты), the first directorate-scoped business record. Read: every CRM role; create: the business roles; edit and delete: members of the project's directorate, crm_admin and admin."},
	{Name: "Companies", Description: "Counterparties (Контрагенты): legal entities, sole proprietors and private persons, with Type, INN/KPP, phones, e-mails, tags and custom fields. A new record whose INN, phone or e-mail matches a live one is refused with 409 listing the matches, unless allow_duplicate is set. Read: every CRM role; create: the business roles; edit, delete and merge: members of the record's directorate, crm_admin and admin."},
	{Name: "Contacts", Description: "Contact persons (Контактные лица) of companies and private persons, with phones in E.164, e-mails, messengers, do-not-contact flags and consent history (152-FZ). Rights as for companies; consent rows are append-only and any CRM role may add them."},
	{Name: "Deals", Description: "Deals (Сделки) on a sales topic's stages: a new deal lands on the topic's first open stage, a move to a lost stage needs a loss reason, every move is kept in the stage history; the board gives per-stage counts and sums. Rights as for companies."},
	{Name: "Contracts", Description: "Contracts (Договоры) with payments; income counts signed and completed contracts only (R39). Rights as for companies."},
	{Name: "Tasks", Description: "Tasks and reminders on any record or none. They follow their record's rights; the assignee may always change the status."},
	{Name: "Files", Description: "Files on any record: type checked by content, size-limited, downloaded as attachments. Reading needs the right to read the record, adding and deleting the right to edit it."},
	{Name: "Notes", Description: "Free-text notes on any record, shown in its timeline. Rights as for files."},
	{Name: "Search", Description: "One search over companies, contacts and deals by name, phone, e-mail and INN: word prefixes, any case, Russian and English, one typo tolerated."},
	{Name: "Import and export", Description: "Import of companies, contacts and deals from CSV/XLSX (upload, columns, preview, start, progress, row outcomes), export of the lists with their filters, and group actions. Import: the roles that create the records; a job is seen by its author, crm_admin and admin. Export: every CRM role, audited. Group actions: record by record with the rights of a single edit."},
	{Name: "Choice lists", Description: "Editable lists of values (company, contact and deal Types, industries, loss reasons, contact roles). Read: every CRM role; write: crm_manager, crm_admin, admin."},
	{Name: "Custom fields", Description: "Admin-defined fields (Аналитика) of companies, contacts and deals. Read: every CRM role; write: crm_marketeer, crm_admin, admin."},
	{Name: "Sales topics", Description: "Sales topics (Темы продаж) with their ordered stages (open, won, lost; probability; task chain). Read: every CRM role; write: crm_manager, crm_admin, admin."},
	{Name: "Audit", Description: "Who changed what and when. Read: crm_admin, admin, crm_read_admin."},
}

// handlers holds what every operation needs.
type handlers struct {
	app *app.App
}

// withContext puts the logger and the caller's language into the request context, where
// fail() and huma's error hook find them.
func withContext(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), logKey{}, log)
		ctx = context.WithValue(ctx, langKey{}, requestLanguage(r))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requireActor refuses anonymous calls to /api/v1 before they reach any handler, so that an
// endpoint cannot be left open by mistake. The reference and the OpenAPI document stay public.
func requireActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.URL.Path == prefix || strings.HasPrefix(r.URL.Path, prefix+"/")) && app.ActorFrom(r.Context()) == nil {
			WriteUnauthorized(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// notFound answers paths no operation serves: 405 when the path exists with another method,
// else 404, both as problems rather than the mux's plain text.
func notFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/api/" {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			WriteProblem(w, r, http.StatusMethodNotAllowed, "api.err.method_not_allowed")
			return
		}
		WriteProblem(w, r, http.StatusNotFound, "api.err.no_route")
	})
}

type logKey struct{}
type langKey struct{}

func logFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(logKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

func languageFrom(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return i18n.Languages[0]
}

// requestLanguage picks the language of problem texts: the Accept-Language header when it
// names a language Ladder speaks (a client asking explicitly wins), else the logged-in user's
// own language, else Russian.
func requestLanguage(r *http.Request) string {
	h := r.Header.Get("Accept-Language")
	if namesSupported(h) {
		return i18n.Negotiate(h)
	}
	if act := app.ActorFrom(r.Context()); act != nil && act.User != nil && i18n.Supported(act.User.Locale) {
		return strings.ToLower(act.User.Locale)
	}
	return i18n.Negotiate(h)
}

func namesSupported(acceptLanguage string) bool {
	if acceptLanguage == "" {
		return false
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return false
	}
	for _, t := range tags {
		if base, _ := t.Base(); i18n.Supported(base.String()) {
			return true
		}
	}
	return false
}
