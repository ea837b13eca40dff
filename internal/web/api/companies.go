package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Company is a counterparty (Контрагент).
type Company struct {
	Meta
	Name          string         `json:"name" doc:"Name." example:"ООО «Ромашка»"`
	LegalName     string         `json:"legal_name" doc:"Full legal name."`
	ExternalRef   string         `json:"external_ref,omitempty" doc:"Reference in another system (imports); unique among live companies."`
	Kind          string         `json:"kind" enum:"legal,sole_prop,individual" doc:"Legal entity, sole proprietor or private person."`
	Type          string         `json:"type,omitempty" doc:"Code of the company_type list (Тип)."`
	Industry      string         `json:"industry,omitempty" doc:"Code of the industry list."`
	Size          string         `json:"size,omitempty" enum:"micro,small,medium,large,enterprise" doc:"Employee band."`
	INN           string         `json:"inn,omitempty" doc:"ИНН: 10 digits (legal entity) or 12 (sole proprietor, private person)." example:"7707083893"`
	KPP           string         `json:"kpp,omitempty" doc:"КПП: 9 characters." example:"773601001"`
	Region        string         `json:"region" doc:"Region."`
	Website       string         `json:"website" doc:"Website."`
	Phones        []Phone        `json:"phones" doc:"Phones, normalised to E.164."`
	Emails        []string       `json:"emails" doc:"E-mail addresses, lower case."`
	Address       string         `json:"address" doc:"Address."`
	ResponsibleID *int64         `json:"responsible_id,omitempty" doc:"Id of the responsible user."`
	DirectorateID *int64         `json:"directorate_id,omitempty" doc:"Id of the sales directorate it belongs to."`
	IsSupplier    bool           `json:"is_supplier" doc:"A supplier of ours."`
	Tags          []string       `json:"tags" doc:"Tags."`
	Attributes    map[string]any `json:"attributes" doc:"Custom field values by field code."`
	Notes         string         `json:"notes" doc:"Free text."`
	MergedInto    *int64         `json:"merged_into,omitempty" doc:"Set on a record a merge removed: the id of the record it was merged into."`
}

func companyOf(c *crm.Company) Company {
	return Company{Meta: metaOf(c.Meta), Name: c.Name, LegalName: c.LegalName, ExternalRef: c.ExternalRef, Kind: string(c.Kind),
		Type: c.Type, Industry: c.Industry, Size: c.Size, INN: c.INN, KPP: c.KPP, Region: c.Region, Website: c.Website,
		Phones: phonesOf(c.Phones), Emails: nonNil(c.Emails), Address: c.Address, ResponsibleID: c.ResponsibleID,
		DirectorateID: c.DirectorateID, IsSupplier: c.IsSupplier, Tags: nonNil(c.Tags), Attributes: attrsOut(c.Attributes),
		Notes: c.Notes, MergedInto: c.MergedInto}
}

// CompanyCreate adds a counterparty. created_by is always the caller.
type CompanyCreate struct {
	Name           string         `json:"name" maxLength:"300" doc:"Name (required)."`
	LegalName      string         `json:"legal_name,omitempty" maxLength:"500" doc:"Full legal name."`
	ExternalRef    string         `json:"external_ref,omitempty" maxLength:"100" doc:"Reference in another system; unique among live companies."`
	Kind           string         `json:"kind,omitempty" enum:"legal,sole_prop,individual" doc:"Default legal."`
	Type           string         `json:"type,omitempty" maxLength:"40" doc:"Code of an active company_type value."`
	Industry       string         `json:"industry,omitempty" maxLength:"40" doc:"Code of an active industry value."`
	Size           string         `json:"size,omitempty" enum:"micro,small,medium,large,enterprise" doc:"Employee band."`
	INN            string         `json:"inn,omitempty" maxLength:"20" doc:"ИНН with a valid checksum, of the kind's length."`
	KPP            string         `json:"kpp,omitempty" maxLength:"20" doc:"КПП: 4 digits, 2 digits or capital letters, 3 digits."`
	Region         string         `json:"region,omitempty" maxLength:"200" doc:"Region."`
	Website        string         `json:"website,omitempty" maxLength:"300" doc:"Website."`
	Phones         []string       `json:"phones,omitempty" maxItems:"20" doc:"Phones as typed («8 (916) 123-45-67», «+7 495 123-45-67 доб. 12»); stored in E.164, Russian numbers without a country code."`
	Emails         []string       `json:"emails,omitempty" maxItems:"20" doc:"E-mail addresses."`
	Address        string         `json:"address,omitempty" maxLength:"1000" doc:"Address."`
	ResponsibleID  *int64         `json:"responsible_id,omitempty" minimum:"1" doc:"Responsible user (default: the caller)."`
	DirectorateID  int64          `json:"directorate_id,omitempty" minimum:"0" doc:"One of the caller's sales directorates (crm_admin, admin: any). Default: the caller's first."`
	IsSupplier     bool           `json:"is_supplier,omitempty" doc:"A supplier of ours."`
	Tags           []string       `json:"tags,omitempty" maxItems:"20" doc:"Tags."`
	Attributes     map[string]any `json:"attributes,omitempty" doc:"Custom field values by field code."`
	Notes          string         `json:"notes,omitempty" maxLength:"10000" doc:"Free text."`
	AllowDuplicate bool           `json:"allow_duplicate,omitempty" doc:"Create it even if live companies share its INN, a phone or an e-mail (else 409 naming them)."`
}

// CompanyPatch changes some fields of a counterparty; lists are replaced whole.
type CompanyPatch struct {
	Version       int64           `json:"version" minimum:"1" doc:"The version last read."`
	Name          *string         `json:"name,omitempty" maxLength:"300" doc:"Name."`
	LegalName     *string         `json:"legal_name,omitempty" maxLength:"500" doc:"Full legal name."`
	ExternalRef   *string         `json:"external_ref,omitempty" maxLength:"100" doc:"Reference in another system."`
	Kind          *string         `json:"kind,omitempty" enum:"legal,sole_prop,individual" doc:"Kind."`
	Type          *string         `json:"type,omitempty" maxLength:"40" doc:"Code of a company_type value; empty clears it."`
	Industry      *string         `json:"industry,omitempty" maxLength:"40" doc:"Code of an industry value; empty clears it."`
	Size          *string         `json:"size,omitempty" maxLength:"20" doc:"Employee band: micro, small, medium, large, enterprise; empty clears it."`
	INN           *string         `json:"inn,omitempty" maxLength:"20" doc:"ИНН; empty clears it."`
	KPP           *string         `json:"kpp,omitempty" maxLength:"20" doc:"КПП; empty clears it."`
	Region        *string         `json:"region,omitempty" maxLength:"200" doc:"Region."`
	Website       *string         `json:"website,omitempty" maxLength:"300" doc:"Website."`
	Phones        *[]string       `json:"phones,omitempty" maxItems:"20" doc:"All phones, as typed."`
	Emails        *[]string       `json:"emails,omitempty" maxItems:"20" doc:"All e-mail addresses."`
	Address       *string         `json:"address,omitempty" maxLength:"1000" doc:"Address."`
	ResponsibleID Nullable[int64] `json:"responsible_id,omitzero" doc:"Responsible user; null clears it."`
	DirectorateID *int64          `json:"directorate_id,omitempty" minimum:"1" doc:"Move to another of the caller's sales directorates."`
	IsSupplier    *bool           `json:"is_supplier,omitempty" doc:"A supplier of ours."`
	Tags          *[]string       `json:"tags,omitempty" maxItems:"20" doc:"All tags."`
	Attributes    map[string]any  `json:"attributes,omitempty" doc:"Custom field values to set; null removes a value; fields not sent keep theirs."`
	Notes         *string         `json:"notes,omitempty" maxLength:"10000" doc:"Free text."`
}

type listCompaniesInput struct {
	ListParams
	Sort string `query:"sort" enum:"name,-name,created_at,-created_at,updated_at,-updated_at,type,-type,kind,-kind,region,-region,industry,-industry,inn,-inn,id,-id" doc:"Sort field; a leading minus sorts descending. Default: name."`
	CompanyFilterParams
	Deleted bool `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type companyBody struct {
	Body CompanyCreate
}

type patchCompanyInput struct {
	IDParam
	Body CompanyPatch
}

func (h *handlers) registerCompanies(api huma.API) {
	const tag, path = "Companies", "/companies"
	huma.Register(api, op("listCompanies", http.MethodGet, path, tag, "List companies",
		"A page of counterparties of all sales directorates. Readable by every CRM role."),
		func(ctx context.Context, in *listCompaniesInput) (*pageOutput[Company], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f, err := in.filter()
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f.Deleted, f.Page = in.Deleted, pr
			p, err := h.app.ListCompanies(ctx, f)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[Company]{Body: pageOf(p, companyOf)}, nil
		})

	create := withDuplicateProblem(api, op("createCompany", http.MethodPost, path, tag, "Create a company",
		"Adds a counterparty in one of the caller's sales directorates (business roles, crm_admin, admin). Phones are normalised to E.164; "+
			"the INN checksum is checked. A live company with the same INN, phone or e-mail makes it a 409 listing them, unless allow_duplicate is true."))
	huma.Register(api, create, func(ctx context.Context, in *companyBody) (*createdOutput[Company], error) {
		b := in.Body
		c, err := h.app.CreateCompany(ctx, app.CompanyInput{Name: b.Name, LegalName: b.LegalName, ExternalRef: b.ExternalRef,
			Kind: crm.CompanyKind(b.Kind), Type: b.Type, Industry: b.Industry, Size: b.Size, INN: b.INN, KPP: b.KPP, Region: b.Region,
			Website: b.Website, Phones: b.Phones, Emails: b.Emails, Address: b.Address, ResponsibleID: b.ResponsibleID,
			DirectorateID: b.DirectorateID, IsSupplier: b.IsSupplier, Tags: b.Tags, Attributes: b.Attributes, Notes: b.Notes,
			AllowDuplicate: b.AllowDuplicate})
		if err != nil {
			return nil, partyFail(ctx, err, b)
		}
		return created(prefix+path, c.ID, companyOf(c)), nil
	})

	huma.Register(api, op("getCompany", http.MethodGet, path+"/{id}", tag, "Get a company",
		"One counterparty. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Company], error) {
			c, err := h.app.Company(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(companyOf(c)), nil
		})

	huma.Register(api, op("updateCompany", http.MethodPatch, path+"/{id}", tag, "Change a company",
		"Changes the fields sent. Members of the company's sales directorate with a business role may; crm_admin and admin always.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchCompanyInput) (*bodyOutput[Company], error) {
			b := in.Body
			pt := app.CompanyPatch{Version: b.Version, Name: b.Name, LegalName: b.LegalName, ExternalRef: b.ExternalRef,
				Type: b.Type, Industry: b.Industry, Size: b.Size, INN: b.INN, KPP: b.KPP, Region: b.Region, Website: b.Website,
				Phones: b.Phones, Emails: b.Emails, Address: b.Address, ResponsibleID: b.ResponsibleID.patch(),
				DirectorateID: b.DirectorateID, IsSupplier: b.IsSupplier, Tags: b.Tags, Attributes: b.Attributes, Notes: b.Notes}
			if b.Kind != nil {
				k := crm.CompanyKind(*b.Kind)
				pt.Kind = &k
			}
			c, err := h.app.UpdateCompany(ctx, in.ID, pt)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(companyOf(c)), nil
		})

	huma.Register(api, op("deleteCompany", http.MethodDelete, path+"/{id}", tag, "Delete a company",
		"Moves a counterparty to the trash: members of its sales directorate with a business role, crm_admin, admin. Its contacts and deals keep pointing at it.",
		http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteCompany))

	restore := op("restoreCompany", http.MethodPost, path+"/{id}/restore", tag, "Restore a company",
		"Brings a deleted counterparty back from the trash (crm_admin, admin). One removed by a merge cannot come back.", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[Company], error) {
		return restored(ctx, in.ID, h.app.RestoreCompany, h.app.Company, companyOf)
	})

	merge := op("mergeCompanies", http.MethodPost, path+"/{id}/merge", tag, "Merge a company into this one",
		"Moves every contact, deal, contract, task, file and note of drop_id to this company, takes over the fields named in from_dropped, "+
			"unites phones, e-mails and tags, and puts drop_id in the trash with merged_into set — in one transaction. "+
			"The caller must be allowed to edit both.", http.StatusNotFound, http.StatusConflict)
	merge.DefaultStatus = http.StatusOK
	huma.Register(api, merge, mergeHandler(h.app.MergeCompanies, companyOf))
}
