package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
	"github.com/ladder-crm/ladder/internal/importer"
)

// Export is one endpoint per list, /companies/export, /contacts/export, /deals/export, taking
// the list's own filter parameters: a client that lists with some filters exports the same
// records by changing the path. The columns are app.ExportColumns, the fields an import reads
// back, so that a file exported here can be imported again.

// ExportFormat is the format parameter every export takes.
type ExportFormat struct {
	Format string `query:"format" enum:"csv,xlsx" default:"csv" doc:"csv: UTF-8 with a byte-order mark, ';' between cells (opens in Russian Excel by double click); xlsx: an Excel workbook."`
}

// CompanyFilterParams are the filters of the company list.
type CompanyFilterParams struct {
	Q             string   `query:"q" maxLength:"200" doc:"Words that start words of the name or legal name, an INN, a phone (any spelling) or an e-mail; case-insensitive."`
	Kind          string   `query:"kind" enum:"legal,sole_prop,individual" doc:"Only this kind."`
	Type          string   `query:"type" maxLength:"40" doc:"Only this company_type code."`
	Industry      string   `query:"industry" maxLength:"40" doc:"Only this industry code."`
	Region        string   `query:"region" maxLength:"200" doc:"Only this region (exact)."`
	DirectorateID int64    `query:"directorate_id" minimum:"0" doc:"Only companies of this sales directorate."`
	ResponsibleID int64    `query:"responsible_id" minimum:"0" doc:"Only companies this user is responsible for."`
	Tag           string   `query:"tag" maxLength:"50" doc:"Only companies with this tag."`
	Supplier      string   `query:"supplier" enum:"true,false" doc:"Only suppliers, or only non-suppliers."`
	CreatedFrom   string   `query:"created_from" format:"date" doc:"Created on or after this day (UTC), YYYY-MM-DD."`
	CreatedTo     string   `query:"created_to" format:"date" doc:"Created on or before this day (UTC), YYYY-MM-DD."`
	Attr          []string `query:"attr,explode" doc:"Custom field filter code:value (exact), repeatable: attr=upsell:high&attr=pilot:true."`
}

func (p CompanyFilterParams) filter() (crm.CompanyFilter, error) {
	attr, err := attrFilter(p.Attr)
	if err != nil {
		return crm.CompanyFilter{}, err
	}
	from, to, err := createdRange(p.CreatedFrom, p.CreatedTo)
	if err != nil {
		return crm.CompanyFilter{}, err
	}
	return crm.CompanyFilter{Q: p.Q, Kind: crm.CompanyKind(p.Kind), Type: p.Type, Industry: p.Industry, Region: p.Region,
		DirectorateID: p.DirectorateID, ResponsibleID: p.ResponsibleID, Tag: p.Tag, Supplier: triState(p.Supplier),
		CreatedFrom: from, CreatedTo: to, Attr: attr}, nil
}

// ContactFilterParams are the filters of the contact list.
type ContactFilterParams struct {
	Q             string   `query:"q" maxLength:"200" doc:"Words that start words of the ФИО, a phone (any spelling) or an e-mail; case-insensitive."`
	CompanyID     int64    `query:"company_id" minimum:"0" doc:"Only contacts of this company."`
	Private       bool     `query:"private" doc:"Only private persons (no company)."`
	Type          string   `query:"type" maxLength:"40" doc:"Only this contact_type code."`
	Role          string   `query:"role" maxLength:"40" doc:"Only this contact_role code."`
	DecisionMaker string   `query:"decision_maker" enum:"true,false" doc:"Only decision makers (ЛПР), or only others."`
	DirectorateID int64    `query:"directorate_id" minimum:"0" doc:"Only contacts of this sales directorate."`
	ResponsibleID int64    `query:"responsible_id" minimum:"0" doc:"Only contacts this user is responsible for."`
	Tag           string   `query:"tag" maxLength:"50" doc:"Only contacts with this tag."`
	CreatedFrom   string   `query:"created_from" format:"date" doc:"Created on or after this day (UTC), YYYY-MM-DD."`
	CreatedTo     string   `query:"created_to" format:"date" doc:"Created on or before this day (UTC), YYYY-MM-DD."`
	Attr          []string `query:"attr,explode" doc:"Custom field filter code:value (exact), repeatable."`
}

func (p ContactFilterParams) filter() (crm.ContactFilter, error) {
	attr, err := attrFilter(p.Attr)
	if err != nil {
		return crm.ContactFilter{}, err
	}
	from, to, err := createdRange(p.CreatedFrom, p.CreatedTo)
	if err != nil {
		return crm.ContactFilter{}, err
	}
	return crm.ContactFilter{Q: p.Q, CompanyID: p.CompanyID, PrivateOnly: p.Private, Type: p.Type, Role: p.Role,
		DecisionMaker: triState(p.DecisionMaker), DirectorateID: p.DirectorateID, ResponsibleID: p.ResponsibleID,
		Tag: p.Tag, CreatedFrom: from, CreatedTo: to, Attr: attr}, nil
}

type exportCompaniesInput struct {
	ExportFormat
	CompanyFilterParams
}

type exportContactsInput struct {
	ExportFormat
	ContactFilterParams
}

type exportDealsInput struct {
	ExportFormat
	DealFilterParams
}

// exportOperation documents an export: its body is a file, not JSON.
func exportOperation(id, path, what string) huma.Operation {
	o := op(id, http.MethodGet, path+"/export", importTag, "Export "+what,
		"Every "+what[:len(what)-1]+" the caller may read that matches the list filters, as CSV or XLSX with a header row in the caller's language. "+
			"The columns are the fields an import reads back. Audited as one export.", http.StatusUnprocessableEntity)
	o.Responses = map[string]*huma.Response{"200": {Description: "The file, as a download.", Content: map[string]*huma.MediaType{
		"text/csv": {Schema: &huma.Schema{Type: "string"}},
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
	}}}
	return o
}

func (h *handlers) registerExport(api huma.API) {
	huma.Register(api, exportOperation("exportCompanies", "/companies", "companies"),
		func(ctx context.Context, in *exportCompaniesInput) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return h.exportStream(crm.EntityCompany, "companies", in.Format, app.ExportFilter{Company: &f}), nil
		})
	huma.Register(api, exportOperation("exportContacts", "/contacts", "contacts"),
		func(ctx context.Context, in *exportContactsInput) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return h.exportStream(crm.EntityContact, "contacts", in.Format, app.ExportFilter{Contact: &f}), nil
		})
	huma.Register(api, exportOperation("exportDeals", "/deals", "deals"),
		func(ctx context.Context, in *exportDealsInput) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return h.exportStream(crm.EntityDeal, "deals", in.Format, app.ExportFilter{Deal: &f}), nil
		})
}

// exportStream writes the file as it is read, page by page. The status and the file headers
// go out with the first bytes, so that an error found before any (a right missing) is still
// answered as a problem.
func (h *handlers) exportStream(entity, name, format string, f app.ExportFilter) *huma.StreamResponse {
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		ctx := hctx.Context()
		r, w := humago.Unwrap(hctx)
		lw := &lazyFileWriter{w: w, headers: func(h http.Header) {
			h.Set("Content-Type", importer.ContentType(format))
			h.Set("Content-Disposition", app.ContentDisposition(name+"-"+time.Now().UTC().Format("2006-01-02")+"."+format))
			h.Set("Cache-Control", "no-store")
			h.Set("X-Content-Type-Options", "nosniff")
		}}
		lang := languageFrom(ctx)
		_, err := h.app.Export(ctx, entity, f, format, lw, func(col string) string {
			return i18n.Default().T(lang, "export.col."+col, nil)
		})
		if err == nil {
			return
		}
		if !lw.started {
			if p, ok := fail(ctx, err, nil).(*Problem); ok {
				writeProblem(w, p)
			}
			return
		}
		logFrom(ctx).WarnContext(ctx, "api: export cut short", "path", r.URL.Path, "err", err)
	}}
}

// lazyFileWriter sends the file's headers with its first write.
type lazyFileWriter struct {
	w        http.ResponseWriter
	headers  func(http.Header)
	started  bool
	extended time.Time // when the write deadline was last moved on
}

func (l *lazyFileWriter) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.headers(l.w.Header())
		l.w.WriteHeader(http.StatusOK)
	}
	// A long export outlives the server's write timeout: while it keeps writing, the deadline
	// moves on (at most every few seconds: it is a system call).
	if now := time.Now(); now.Sub(l.extended) > 5*time.Second {
		l.extended = now
		_ = http.NewResponseController(l.w).SetWriteDeadline(now.Add(2 * time.Minute))
	}
	return l.w.Write(b)
}
