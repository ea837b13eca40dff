package app

import (
	"context"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/phone"
)

// CompanyInput is what a person may set on a new counterparty. Phones are as typed; the use
// case parses them (R13).
type CompanyInput struct {
	Name          string
	LegalName     string
	ExternalRef   string
	Kind          crm.CompanyKind
	Type          string // code of company_type
	Industry      string // code of industry
	Size          string
	INN           string
	KPP           string
	Region        string
	Website       string
	Phones        []string
	Emails        []string
	Address       string
	ResponsibleID *int64 // nil: the creator
	DirectorateID int64  // 0 = the user's first directorate (R4)
	IsSupplier    bool
	Tags          []string
	Attributes    crm.Attributes
	Notes         string
	// AllowDuplicate creates the record even when live ones share its INN, a phone or an
	// e-mail; without it such a match is a *crm.DuplicateError (409) naming them (R17).
	AllowDuplicate bool
}

// CreateCompany adds a counterparty in one of the actor's directorates.
func (a *App) CreateCompany(ctx context.Context, in CompanyInput) (*crm.Company, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityCompany, nil); err != nil {
		return nil, err
	}
	c := &crm.Company{Name: in.Name, LegalName: in.LegalName, ExternalRef: in.ExternalRef, Kind: in.Kind, Type: in.Type,
		Industry: in.Industry, Size: in.Size, INN: in.INN, KPP: in.KPP, Region: in.Region, Website: in.Website,
		Address: in.Address, ResponsibleID: in.ResponsibleID, IsSupplier: in.IsSupplier, Tags: in.Tags, Notes: in.Notes}
	if c.ResponsibleID == nil {
		c.ResponsibleID = act.userID()
	}
	c.CreatedBy = act.userID()
	if err := checkParty(c, &c.Phones, &c.Emails, &in.Phones, &in.Emails); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		pl, err := a.place(ctx, r, act, Placement{DirectorateID: in.DirectorateID}, nil)
		if err != nil {
			return err
		}
		c.DirectorateID = optionalID(pl.DirectorateID)
		if err := a.checkCompanyRefs(ctx, r, c, nil); err != nil {
			return err
		}
		if c.Attributes, err = a.CheckAttributes(ctx, r, crm.EntityCompany, in.Attributes, nil); err != nil {
			return err
		}
		if !in.AllowDuplicate {
			dups, err := r.DuplicateCompanies(ctx, c)
			if err != nil {
				return err
			}
			if len(dups) > 0 {
				return &crm.DuplicateError{Entity: crm.EntityCompany, Companies: dups}
			}
		}
		if err := r.CreateCompany(ctx, c); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityCompany, c.ID, nil, c)
	})
	return c, err
}

// CompanyPatch changes some fields of a counterparty; Version must be the one read. Lists
// (phones, e-mails, tags) are replaced whole; Attributes is a merge patch over the stored
// values (a null or empty value clears one).
type CompanyPatch struct {
	Version       int64
	Name          *string
	LegalName     *string
	ExternalRef   *string
	Kind          *crm.CompanyKind
	Type          *string
	Industry      *string
	Size          *string
	INN           *string
	KPP           *string
	Region        *string
	Website       *string
	Phones        *[]string
	Emails        *[]string
	Address       *string
	ResponsibleID **int64
	DirectorateID *int64
	IsSupplier    *bool
	Tags          *[]string
	Attributes    crm.Attributes
	Notes         *string
}

// UpdateCompany applies a patch: only within the actor's directorates (R3); a new
// directorate must again be one of theirs (R4, R7).
func (a *App) UpdateCompany(ctx context.Context, id int64, pt CompanyPatch) (*crm.Company, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Company
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		c, err := live(r.CompanyByID(ctx, id))
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityCompany, companyScope(c)); err != nil {
			return err
		}
		before := *c
		setIf(&c.Name, pt.Name)
		setIf(&c.LegalName, pt.LegalName)
		setIf(&c.ExternalRef, pt.ExternalRef)
		setIf(&c.Kind, pt.Kind)
		setIf(&c.Type, pt.Type)
		setIf(&c.Industry, pt.Industry)
		setIf(&c.Size, pt.Size)
		setIf(&c.INN, pt.INN)
		setIf(&c.KPP, pt.KPP)
		setIf(&c.Region, pt.Region)
		setIf(&c.Website, pt.Website)
		setIf(&c.Address, pt.Address)
		setIf(&c.ResponsibleID, pt.ResponsibleID)
		setIf(&c.IsSupplier, pt.IsSupplier)
		setIf(&c.Tags, pt.Tags)
		setIf(&c.Notes, pt.Notes)
		if err := checkParty(c, &c.Phones, &c.Emails, pt.Phones, pt.Emails); err != nil {
			return err
		}
		if c.DirectorateID, err = a.moveDirectorate(ctx, r, act, c.DirectorateID, pt.DirectorateID); err != nil {
			return err
		}
		if err := a.checkCompanyRefs(ctx, r, c, &before); err != nil {
			return err
		}
		if pt.Attributes != nil {
			if c.Attributes, err = a.CheckAttributes(ctx, r, crm.EntityCompany, pt.Attributes, before.Attributes); err != nil {
				return err
			}
		}
		c.Version, c.UpdatedBy = pt.Version, act.userID()
		if err := r.UpdateCompany(ctx, c); err != nil {
			return err
		}
		out = c
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityCompany, id, &before, c)
	})
	return out, err
}

// checkCompanyRefs checks the choice codes and the responsible user; stored is the record
// before an edit (unchanged deactivated codes stay, R7), nil on create.
func (a *App) checkCompanyRefs(ctx context.Context, r crm.Repo, c, stored *crm.Company) error {
	var oldType, oldIndustry string
	if stored != nil {
		oldType, oldIndustry = stored.Type, stored.Industry
	}
	if err := checkChoice(ctx, r, crm.ListCompanyType, "type", c.Type, oldType); err != nil {
		return err
	}
	if err := checkChoice(ctx, r, crm.ListIndustry, "industry", c.Industry, oldIndustry); err != nil {
		return err
	}
	return checkUserRef(ctx, r, "responsible_id", c.ResponsibleID)
}

// DeleteCompany soft-deletes a counterparty of the actor's directorates. Its contacts, deals
// and contracts stay and keep pointing at it (restoring it brings the links back).
func (a *App) DeleteCompany(ctx context.Context, id, version int64) error {
	return a.softDelete(ctx, crm.EntityCompany, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		c, err := live(r.CompanyByID(ctx, id))
		if err != nil {
			return nil, nil, err
		}
		return c, companyScope(c), nil
	})
}

// RestoreCompany brings a deleted counterparty back; one removed by a merge stays merged.
func (a *App) RestoreCompany(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityCompany, id, func(ctx context.Context, r crm.Repo, _ *Actor) error {
		c, err := r.CompanyByID(ctx, id)
		if err != nil {
			return err
		}
		if c.MergedInto != nil {
			return errMergedRecord
		}
		return nil
	})
}

var errMergedRecord = &crm.Error{Code: crm.EInvalid, Message: "party.err.merged"}

// Company reads one counterparty.
func (a *App) Company(ctx context.Context, id int64) (*crm.Company, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := a.store.CompanyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return c, canRead(act, crm.EntityCompany, c.Meta)
}

// CanEditCompany tells a skin whether to offer edit, delete and merge.
func (a *App) CanEditCompany(ctx context.Context, c *crm.Company) bool {
	return Can(ActorFrom(ctx), ActUpdate, crm.EntityCompany, companyScope(c)) == nil
}

// ListCompanies reads a page of counterparties: every CRM role reads all directorates (R2).
// Custom-field filters must name fields of companies.
func (a *App) ListCompanies(ctx context.Context, f crm.CompanyFilter) (crm.Page[crm.Company], error) {
	if _, err := readList(ctx, crm.EntityCompany, f.Deleted); err != nil {
		return crm.Page[crm.Company]{}, err
	}
	if err := a.checkAttrFilter(ctx, crm.EntityCompany, f.Attr); err != nil {
		return crm.Page[crm.Company]{}, err
	}
	f.Page.Clamp()
	return a.store.ListCompanies(ctx, f)
}

// checkAttrFilter allow-lists the codes of a custom-field filter: only fields of the entity.
func (a *App) checkAttrFilter(ctx context.Context, entity string, attr map[string]string) error {
	if len(attr) == 0 {
		return nil
	}
	fields, err := a.store.ListCustomFields(ctx, entity, false)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Code] = true
	}
	for code := range attr {
		if !known[code] {
			return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"attr": "config.err.field_unknown"}}
		}
	}
	return nil
}

func companyScope(c *crm.Company) *Scope {
	return &Scope{DirectorateID: c.DirectorateOf(), AuthorID: c.CreatedBy}
}

// checkParty parses the phones and e-mails as typed into a company's or contact's lists, then
// normalises and validates the record, so that a bad phone and a bad field come back in one
// 422. A nil list (a patch that leaves it) keeps the stored one.
func checkParty(rec interface {
	Normalise()
	Validate() error
}, phones *[]crm.Phone, emails *[]string, typedPhones, typedEmails *[]string) error {
	p := crm.Problems{}
	if typedPhones != nil {
		*phones = parsePhones(p, *typedPhones)
	}
	if typedEmails != nil {
		*emails = parseEmails(p, *typedEmails)
	}
	rec.Normalise()
	return mergeProblems(p, rec.Validate())
}

// parsePhones normalises phones as typed (R13, region RU); an unparseable one is a problem
// of "phones" and is left out. Empty lines are skipped.
func parsePhones(p crm.Problems, raws []string) []crm.Phone {
	out := []crm.Phone{}
	for _, raw := range raws {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		ph, err := phone.Parse(raw, phone.DefaultRegion)
		if err != nil {
			p.Add("phones", "party.err.phone")
			continue
		}
		out = append(out, ph)
	}
	return out
}

// parseEmails lowers and checks e-mail addresses; a malformed one is a problem of "emails".
func parseEmails(p crm.Problems, raws []string) []string {
	out := []string{}
	for _, raw := range raws {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		e, ok := crm.ParseEmail(raw)
		if !ok {
			p.Add("emails", "err.email_format")
			continue
		}
		out = append(out, e)
	}
	return out
}

// mergeProblems joins the problems found while parsing with those of Validate into one 422.
func mergeProblems(p crm.Problems, err error) error {
	for k, v := range crm.ErrorFields(err) {
		p.Add(k, v)
	}
	if len(p) == 0 {
		return err
	}
	return p.Err()
}
