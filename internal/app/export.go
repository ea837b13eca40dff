package app

import (
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/importer"
)

// ExportColumns are the columns of an export of records outside the web lists (command line,
// API): the fields an import reads back, so that an export can be imported again.
var ExportColumns = map[string][]string{
	crm.EntityCompany: {"id", "name", "legal_name", "external_ref", "kind", "type", "industry", "inn", "kpp", "region",
		"website", "phone", "email", "address", "responsible_id", "directorate_id", "tags", "created_at"},
	crm.EntityContact: {"id", "last_name", "first_name", "middle_name", "company_id", "position", "type", "role",
		"phone", "email", "postal_address", "responsible_id", "directorate_id", "tags", "created_at"},
	crm.EntityDeal: {"id", "name", "company_id", "contact_id", "topic_id", "stage_id", "status", "amount", "currency",
		"probability", "expected_close", "type", "responsible_id", "directorate_id", "tags", "created_at"},
}

// ExportFilter is what an export outside the web lists narrows by: the lists' text search,
// or the whole list filter of the entity (the API passes its list parameters). The page
// request of a filter is ignored: an export reads every page in id order.
type ExportFilter struct {
	Q       string
	Company *crm.CompanyFilter
	Contact *crm.ContactFilter
	Deal    *crm.DealFilter
}

// query is what the audit records of the filter.
func (f ExportFilter) query() string {
	var v any = f.Q
	switch {
	case f.Company != nil:
		v = *f.Company
	case f.Contact != nil:
		v = *f.Contact
	case f.Deal != nil:
		v = *f.Deal
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Export writes every record of entity the actor may read that matches f, page by page, as
// format to w, headed by label(column); it is audited as one export. It returns the count.
func (a *App) Export(ctx context.Context, entity string, f ExportFilter, format string, w io.Writer, label func(string) string) (int, error) {
	act, err := actor(ctx)
	if err != nil {
		return 0, err
	}
	cols, ok := ExportColumns[entity]
	if !ok {
		return 0, invalidField("entity", "err.choice")
	}
	if format != importer.FormatCSV && format != importer.FormatXLSX {
		return 0, invalidField("format", "err.choice")
	}
	if err := Can(act, ActRead, entity, nil); err != nil {
		return 0, err
	}
	tw, err := importer.NewTableWriter(format, w)
	if err != nil {
		return 0, err
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = label(c)
	}
	if err := tw.Write(header); err != nil {
		return 0, err
	}
	n := 0
	page := crm.PageRequest{Sort: "id", Limit: crm.MaxPageSize, NoTotal: true}
	for {
		var rows [][]string
		var next string
		switch entity {
		case crm.EntityCompany:
			cf := crm.CompanyFilter{Q: f.Q}
			if f.Company != nil {
				cf = *f.Company
			}
			cf.Page = page
			p, err := a.ListCompanies(ctx, cf)
			if err != nil {
				return n, err
			}
			for _, c := range p.Items {
				rows = append(rows, []string{id(c.ID), c.Name, c.LegalName, c.ExternalRef, string(c.Kind), c.Type, c.Industry,
					c.INN, c.KPP, c.Region, c.Website, phonesText(c.Phones), strings.Join(c.Emails, ", "), c.Address,
					optID(c.ResponsibleID), optID(c.DirectorateID), strings.Join(c.Tags, ", "), c.CreatedAt.Format("2006-01-02 15:04")})
			}
			next = p.Next
		case crm.EntityContact:
			cf := crm.ContactFilter{Q: f.Q}
			if f.Contact != nil {
				cf = *f.Contact
			}
			cf.Page = page
			p, err := a.ListContacts(ctx, cf)
			if err != nil {
				return n, err
			}
			for _, c := range p.Items {
				rows = append(rows, []string{id(c.ID), c.LastName, c.FirstName, c.MiddleName, optID(c.CompanyID), c.Position, c.Type, c.Role,
					phonesText(c.Phones), strings.Join(c.Emails, ", "), c.PostalAddress, optID(c.ResponsibleID), optID(c.DirectorateID),
					strings.Join(c.Tags, ", "), c.CreatedAt.Format("2006-01-02 15:04")})
			}
			next = p.Next
		case crm.EntityDeal:
			df := crm.DealFilter{Q: f.Q}
			if f.Deal != nil {
				df = *f.Deal
			}
			df.Page = page
			p, err := a.ListDeals(ctx, df)
			if err != nil {
				return n, err
			}
			for _, d := range p.Items {
				closeDay := ""
				if d.ExpectedClose != nil {
					closeDay = d.ExpectedClose.String()
				}
				rows = append(rows, []string{id(d.ID), d.Name, optID(d.CompanyID), optID(d.ContactID), id(d.TopicID), id(d.StageID),
					string(d.Status), minorText(d.Amount), d.Currency, strconv.Itoa(d.Probability), closeDay, d.Type,
					optID(d.ResponsibleID), optID(d.DirectorateID), strings.Join(d.Tags, ", "), d.CreatedAt.Format("2006-01-02 15:04")})
			}
			next = p.Next
		}
		for _, r := range rows {
			if err := tw.Write(r); err != nil {
				return n, err
			}
			n++
		}
		if next == "" {
			break
		}
		page.After = next
	}
	if err := tw.Close(); err != nil {
		return n, err
	}
	return n, a.AuditExport(ctx, entity, format, n, f.query())
}

// AuditExport records that the actor exported n records of entity (the web lists write their
// files themselves and call this once per file).
func (a *App) AuditExport(ctx context.Context, entity, format string, n int, query string) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		return a.audit(ctx, r, act, crm.AuditExport, entity, 0, nil, map[string]any{"format": format, "rows": n, "query": query})
	})
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func optID(p *int64) string {
	if p == nil {
		return ""
	}
	return id(*p)
}

func phonesText(ps []crm.Phone) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.E164
		if p.Ext != "" {
			out[i] += " ext. " + p.Ext
		}
	}
	return strings.Join(out, ", ")
}

// minorText writes minor units as a plain decimal ("1234567.89") that spreadsheets and the
// importer read back.
func minorText(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + strconv.FormatInt(v%100/10, 10) + strconv.FormatInt(v%10, 10)
}
