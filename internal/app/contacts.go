package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// ContactInput is what a person may set on a new contact person or private person (no
// company). Phones are as typed; the use case parses them (R13).
type ContactInput struct {
	LastName        string
	FirstName       string
	MiddleName      string
	CompanyID       *int64 // nil: a private person (Физлицо)
	Position        string
	IsDecisionMaker bool
	Type            string // code of contact_type
	Role            string // code of contact_role
	Phones          []string
	Emails          []string
	Messengers      []crm.Messenger
	DoNotContact    []string
	PostalAddress   string
	ResponsibleID   *int64 // nil: the creator
	DirectorateID   int64  // 0 = the user's first directorate (R4)
	Tags            []string
	Attributes      crm.Attributes
	Notes           string
	AllowDuplicate  bool // see CompanyInput
}

// CreateContact adds a contact in one of the actor's directorates.
func (a *App) CreateContact(ctx context.Context, in ContactInput) (*crm.Contact, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityContact, nil); err != nil {
		return nil, err
	}
	c := &crm.Contact{LastName: in.LastName, FirstName: in.FirstName, MiddleName: in.MiddleName, CompanyID: in.CompanyID,
		Position: in.Position, IsDecisionMaker: in.IsDecisionMaker, Type: in.Type, Role: in.Role, Messengers: in.Messengers,
		DoNotContact: in.DoNotContact, PostalAddress: in.PostalAddress, ResponsibleID: in.ResponsibleID, Tags: in.Tags, Notes: in.Notes}
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
		if err := a.checkContactRefs(ctx, r, c, nil); err != nil {
			return err
		}
		if c.Attributes, err = a.CheckAttributes(ctx, r, crm.EntityContact, in.Attributes, nil); err != nil {
			return err
		}
		if !in.AllowDuplicate {
			dups, err := r.DuplicateContacts(ctx, c)
			if err != nil {
				return err
			}
			if len(dups) > 0 {
				return &crm.DuplicateError{Entity: crm.EntityContact, Contacts: dups}
			}
		}
		if err := r.CreateContact(ctx, c); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityContact, c.ID, nil, c)
	})
	return c, err
}

// ContactPatch changes some fields of a contact; Version must be the one read. Lists are
// replaced whole; Attributes is a merge patch. CompanyID set to nil makes a private person.
type ContactPatch struct {
	Version         int64
	LastName        *string
	FirstName       *string
	MiddleName      *string
	CompanyID       **int64
	Position        *string
	IsDecisionMaker *bool
	Type            *string
	Role            *string
	Phones          *[]string
	Emails          *[]string
	Messengers      *[]crm.Messenger
	DoNotContact    *[]string
	PostalAddress   *string
	ResponsibleID   **int64
	DirectorateID   *int64
	Tags            *[]string
	Attributes      crm.Attributes
	Notes           *string
}

// UpdateContact applies a patch within the actor's directorates (R3, R4, R7).
func (a *App) UpdateContact(ctx context.Context, id int64, pt ContactPatch) (*crm.Contact, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Contact
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		c, err := live(r.ContactByID(ctx, id))
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityContact, contactScope(c)); err != nil {
			return err
		}
		before := *c
		setIf(&c.LastName, pt.LastName)
		setIf(&c.FirstName, pt.FirstName)
		setIf(&c.MiddleName, pt.MiddleName)
		setIf(&c.CompanyID, pt.CompanyID)
		setIf(&c.Position, pt.Position)
		setIf(&c.IsDecisionMaker, pt.IsDecisionMaker)
		setIf(&c.Type, pt.Type)
		setIf(&c.Role, pt.Role)
		setIf(&c.Messengers, pt.Messengers)
		setIf(&c.DoNotContact, pt.DoNotContact)
		setIf(&c.PostalAddress, pt.PostalAddress)
		setIf(&c.ResponsibleID, pt.ResponsibleID)
		setIf(&c.Tags, pt.Tags)
		setIf(&c.Notes, pt.Notes)
		if err := checkParty(c, &c.Phones, &c.Emails, pt.Phones, pt.Emails); err != nil {
			return err
		}
		if c.DirectorateID, err = a.moveDirectorate(ctx, r, act, c.DirectorateID, pt.DirectorateID); err != nil {
			return err
		}
		if err := a.checkContactRefs(ctx, r, c, &before); err != nil {
			return err
		}
		if pt.Attributes != nil {
			if c.Attributes, err = a.CheckAttributes(ctx, r, crm.EntityContact, pt.Attributes, before.Attributes); err != nil {
				return err
			}
		}
		c.Version, c.UpdatedBy = pt.Version, act.userID()
		if err := r.UpdateContact(ctx, c); err != nil {
			return err
		}
		out = c
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityContact, id, &before, c)
	})
	return out, err
}

// checkContactRefs checks the company (it must exist and be live unless unchanged: a
// contact of a company deleted since may still be edited), the choice codes and the
// responsible user.
func (a *App) checkContactRefs(ctx context.Context, r crm.Repo, c, stored *crm.Contact) error {
	var oldType, oldRole string
	var oldCompany *int64
	if stored != nil {
		oldType, oldRole, oldCompany = stored.Type, stored.Role, stored.CompanyID
	}
	if c.CompanyID != nil && *c.CompanyID == 0 {
		c.CompanyID = nil
	}
	if c.CompanyID != nil && (oldCompany == nil || *oldCompany != *c.CompanyID) {
		if _, err := live(r.CompanyByID(ctx, *c.CompanyID)); isNotFound(err) {
			return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"company_id": "party.err.company_unknown"}}
		} else if err != nil {
			return err
		}
	}
	if err := checkChoice(ctx, r, crm.ListContactType, "type", c.Type, oldType); err != nil {
		return err
	}
	if err := checkChoice(ctx, r, crm.ListContactRole, "role", c.Role, oldRole); err != nil {
		return err
	}
	return checkUserRef(ctx, r, "responsible_id", c.ResponsibleID)
}

// DeleteContact soft-deletes a contact of the actor's directorates.
func (a *App) DeleteContact(ctx context.Context, id, version int64) error {
	return a.softDelete(ctx, crm.EntityContact, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		c, err := live(r.ContactByID(ctx, id))
		if err != nil {
			return nil, nil, err
		}
		return c, contactScope(c), nil
	})
}

// RestoreContact brings a deleted contact back; one removed by a merge stays merged.
func (a *App) RestoreContact(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityContact, id, func(ctx context.Context, r crm.Repo, _ *Actor) error {
		c, err := r.ContactByID(ctx, id)
		if err != nil {
			return err
		}
		if c.MergedInto != nil {
			return errMergedRecord
		}
		return nil
	})
}

// Contact reads one contact.
func (a *App) Contact(ctx context.Context, id int64) (*crm.Contact, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := a.store.ContactByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return c, canRead(act, crm.EntityContact, c.Meta)
}

// CanEditContact tells a skin whether to offer edit, delete and merge.
func (a *App) CanEditContact(ctx context.Context, c *crm.Contact) bool {
	return Can(ActorFrom(ctx), ActUpdate, crm.EntityContact, contactScope(c)) == nil
}

// ListContacts reads a page of contacts: every CRM role reads all directorates (R2).
func (a *App) ListContacts(ctx context.Context, f crm.ContactFilter) (crm.Page[crm.Contact], error) {
	if _, err := readList(ctx, crm.EntityContact, f.Deleted); err != nil {
		return crm.Page[crm.Contact]{}, err
	}
	if err := a.checkAttrFilter(ctx, crm.EntityContact, f.Attr); err != nil {
		return crm.Page[crm.Contact]{}, err
	}
	f.Page.Clamp()
	return a.store.ListContacts(ctx, f)
}

func contactScope(c *crm.Contact) *Scope {
	return &Scope{DirectorateID: c.DirectorateOf(), AuthorID: c.CreatedBy}
}
