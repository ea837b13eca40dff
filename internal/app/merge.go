package app

import (
	"context"
	"slices"

	"github.com/ladder-crm/ladder/internal/crm"
)

// AuditMerge is the audit action of a merge (R17): on the kept record with the fields it
// took over and merged_from, on the dropped one with merged_into.
const AuditMerge = "merge"

// MergeInput says how to merge two records. The kept record keeps its own value of every
// field except those listed in FromDropped, which take the dropped record's value. Phones,
// e-mails, messengers, do-not-contact flags and tags are always united; custom field values
// of the kept record are filled in from the dropped one where it has none (or taken over
// whole with "attributes" in FromDropped). Versions, when not 0, must be the ones read: a
// record someone changed meanwhile gets 409.
type MergeInput struct {
	KeepVersion int64
	DropVersion int64
	FromDropped []string
}

// CompanyMergeFields are the fields a company merge can take from the dropped record.
var CompanyMergeFields = []string{"name", "legal_name", "external_ref", "kind", "type", "industry", "size", "inn", "kpp",
	"region", "website", "address", "responsible_id", "is_supplier", "notes", "attributes"}

// ContactMergeFields are the fields a contact merge can take from the dropped record.
var ContactMergeFields = []string{"last_name", "first_name", "middle_name", "company_id", "position", "is_decision_maker",
	"type", "role", "postal_address", "responsible_id", "notes", "attributes"}

// MergeCompanies merges company dropID into keepID in one transaction: every link of the
// dropped one (contacts, deals, contracts, tasks, files, notes) moves to the kept one, the
// chosen fields are taken over, and the dropped one is soft-deleted with merged_into set.
// Only a user who may edit both may merge; both must be live.
func (a *App) MergeCompanies(ctx context.Context, keepID, dropID int64, in MergeInput) (*crm.Company, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkMergeFields(in.FromDropped, CompanyMergeFields); err != nil {
		return nil, err
	}
	if keepID == dropID {
		return nil, mergeSelf
	}
	var out *crm.Company
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		keep, err := live(r.CompanyByID(ctx, keepID))
		if err != nil {
			return err
		}
		drop, err := live(r.CompanyByID(ctx, dropID))
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityCompany, companyScope(keep)); err != nil {
			return err
		}
		if err := Can(act, ActDelete, crm.EntityCompany, companyScope(drop)); err != nil {
			return err
		}
		if (in.KeepVersion != 0 && in.KeepVersion != keep.Version) || (in.DropVersion != 0 && in.DropVersion != drop.Version) {
			return crm.ErrStale
		}
		before, dropBefore := *keep, *drop
		take := func(f string) bool { return slices.Contains(in.FromDropped, f) }
		pick(take("name"), &keep.Name, drop.Name)
		pick(take("legal_name"), &keep.LegalName, drop.LegalName)
		pick(take("external_ref"), &keep.ExternalRef, drop.ExternalRef)
		pick(take("kind"), &keep.Kind, drop.Kind)
		pick(take("type"), &keep.Type, drop.Type)
		pick(take("industry"), &keep.Industry, drop.Industry)
		pick(take("size"), &keep.Size, drop.Size)
		pick(take("inn"), &keep.INN, drop.INN)
		pick(take("kpp"), &keep.KPP, drop.KPP)
		pick(take("region"), &keep.Region, drop.Region)
		pick(take("website"), &keep.Website, drop.Website)
		pick(take("address"), &keep.Address, drop.Address)
		pick(take("responsible_id"), &keep.ResponsibleID, drop.ResponsibleID)
		if take("is_supplier") {
			keep.IsSupplier = drop.IsSupplier
		}
		pick(take("notes"), &keep.Notes, drop.Notes)
		keep.Phones = append(slices.Clone(keep.Phones), drop.Phones...)
		keep.Emails = append(slices.Clone(keep.Emails), drop.Emails...)
		keep.Tags = append(slices.Clone(keep.Tags), drop.Tags...)
		keep.Attributes = mergeAttributes(keep.Attributes, drop.Attributes, take("attributes"))
		keep.Normalise()
		if err := keep.Validate(); err != nil {
			return err
		}
		// Links first, then the dropped record goes to the trash, then the kept one is written:
		// a unique external_ref taken over is free only once the dropped record is deleted.
		if err := r.MergeCompanyLinks(ctx, keep.ID, drop.ID); err != nil {
			return err
		}
		if err := r.SoftDelete(ctx, crm.EntityCompany, drop.ID, drop.Version, derefID(act.userID())); err != nil {
			return err
		}
		keep.UpdatedBy = act.userID()
		if err := r.UpdateCompany(ctx, keep); err != nil {
			return err
		}
		dropAfter := dropBefore
		dropAfter.MergedInto = &keep.ID
		if err := a.audit(ctx, r, act, AuditMerge, crm.EntityCompany, drop.ID, &dropBefore, &dropAfter); err != nil {
			return err
		}
		out = keep
		return a.auditMerge(ctx, r, act, crm.EntityCompany, keep.ID, drop.ID, &before, keep)
	})
	return out, err
}

// MergeContacts merges contact dropID into keepID: deals, consents, tasks, files and notes
// move to the kept contact; the rest as MergeCompanies.
func (a *App) MergeContacts(ctx context.Context, keepID, dropID int64, in MergeInput) (*crm.Contact, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkMergeFields(in.FromDropped, ContactMergeFields); err != nil {
		return nil, err
	}
	if keepID == dropID {
		return nil, mergeSelf
	}
	var out *crm.Contact
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		keep, err := live(r.ContactByID(ctx, keepID))
		if err != nil {
			return err
		}
		drop, err := live(r.ContactByID(ctx, dropID))
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityContact, contactScope(keep)); err != nil {
			return err
		}
		if err := Can(act, ActDelete, crm.EntityContact, contactScope(drop)); err != nil {
			return err
		}
		if (in.KeepVersion != 0 && in.KeepVersion != keep.Version) || (in.DropVersion != 0 && in.DropVersion != drop.Version) {
			return crm.ErrStale
		}
		before, dropBefore := *keep, *drop
		take := func(f string) bool { return slices.Contains(in.FromDropped, f) }
		pick(take("last_name"), &keep.LastName, drop.LastName)
		pick(take("first_name"), &keep.FirstName, drop.FirstName)
		pick(take("middle_name"), &keep.MiddleName, drop.MiddleName)
		pick(take("company_id"), &keep.CompanyID, drop.CompanyID)
		pick(take("position"), &keep.Position, drop.Position)
		if take("is_decision_maker") {
			keep.IsDecisionMaker = drop.IsDecisionMaker
		}
		pick(take("type"), &keep.Type, drop.Type)
		pick(take("role"), &keep.Role, drop.Role)
		pick(take("postal_address"), &keep.PostalAddress, drop.PostalAddress)
		pick(take("responsible_id"), &keep.ResponsibleID, drop.ResponsibleID)
		pick(take("notes"), &keep.Notes, drop.Notes)
		keep.Phones = append(slices.Clone(keep.Phones), drop.Phones...)
		keep.Emails = append(slices.Clone(keep.Emails), drop.Emails...)
		keep.Messengers = append(slices.Clone(keep.Messengers), drop.Messengers...)
		keep.DoNotContact = append(slices.Clone(keep.DoNotContact), drop.DoNotContact...)
		keep.Tags = append(slices.Clone(keep.Tags), drop.Tags...)
		keep.Attributes = mergeAttributes(keep.Attributes, drop.Attributes, take("attributes"))
		keep.Normalise()
		if err := keep.Validate(); err != nil {
			return err
		}
		if err := r.MergeContactLinks(ctx, keep.ID, drop.ID); err != nil {
			return err
		}
		if err := r.SoftDelete(ctx, crm.EntityContact, drop.ID, drop.Version, derefID(act.userID())); err != nil {
			return err
		}
		keep.UpdatedBy = act.userID()
		if err := r.UpdateContact(ctx, keep); err != nil {
			return err
		}
		dropAfter := dropBefore
		dropAfter.MergedInto = &keep.ID
		if err := a.audit(ctx, r, act, AuditMerge, crm.EntityContact, drop.ID, &dropBefore, &dropAfter); err != nil {
			return err
		}
		out = keep
		return a.auditMerge(ctx, r, act, crm.EntityContact, keep.ID, drop.ID, &before, keep)
	})
	return out, err
}

// auditMerge writes the kept record's merge entry: its changed fields and merged_from.
func (a *App) auditMerge(ctx context.Context, r crm.Repo, act *Actor, entity string, keepID, dropID int64, before, after any) error {
	changes := crm.Diff(before, after)
	changes["merged_from"] = [2]any{nil, float64(dropID)}
	m := requestMeta(ctx)
	return r.InsertAudit(ctx, &crm.AuditEntry{At: a.now(), Action: AuditMerge, Entity: entity, RecordID: keepID,
		UserID: act.userID(), Changes: changes, IP: m.IP, RequestID: m.RequestID})
}

// MergedFrom lists the records merged into a company or contact (also through chains of
// merges): a card shows their history with its own.
func (a *App) MergedFrom(ctx context.Context, entity string, id int64) ([]int64, error) {
	if _, err := readList(ctx, entity, false); err != nil {
		return nil, err
	}
	return a.store.MergedFrom(ctx, entity, id)
}

var mergeSelf = &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"drop_id": "party.err.merge_self"}}

func checkMergeFields(fields, allowed []string) error {
	for _, f := range fields {
		if !slices.Contains(allowed, f) {
			return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"from_dropped": "err.choice"}}
		}
	}
	return nil
}

// pick takes the dropped record's value when asked to, or when the kept record has none (an
// empty text, no reference). Flags are taken only when asked: false is a value, not a gap.
func pick[T comparable](take bool, dst *T, v T) {
	var zero T
	if take || *dst == zero {
		*dst = v
	}
}

func mergeAttributes(keep, drop crm.Attributes, takeDropped bool) crm.Attributes {
	out := crm.Attributes{}
	first, second := keep, drop
	if takeDropped {
		first, second = drop, keep
	}
	for k, v := range second {
		out[k] = v
	}
	for k, v := range first {
		out[k] = v
	}
	return out
}
