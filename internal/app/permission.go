package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Action is what an actor wants to do with a record.
type Action string

const (
	ActCreate  Action = "create"
	ActRead    Action = "read"
	ActUpdate  Action = "update"
	ActDelete  Action = "delete"
	ActRestore Action = "restore"
)

// Class groups record types that share permission rules (product.md §3.3).
type Class string

const (
	ClassKnowledge       Class = "K"   // pains, differentiators, messages, goals, content
	ClassBusiness        Class = "B"   // counterparties, contacts, leads, deals, projects, events…
	ClassAutomation      Class = "A"   // automation rules, document templates
	ClassMarketingConfig Class = "MC"  // ladder, event kinds, funnels, KPIs…
	ClassSalesConfig     Class = "SC"  // topics and stages, reasons, scripts, Types
	ClassSystem          Class = "SYS" // users, directorates, products, settings
	ClassLog             Class = "LOG" // audit
)

// Policy declares the rules of one record type. Later record types plug in by adding a line to
// policies; the engine below does the rest.
type Policy struct {
	Class Class
	// Scoped records carry a directorate: edit and delete only within one's own (R3, R8).
	Scoped bool
}

var policies = map[string]Policy{
	crm.EntityUser:        {Class: ClassSystem},
	crm.EntityDirectorate: {Class: ClassSystem},
	crm.EntityProduct:     {Class: ClassSystem},
	crm.EntityProject:     {Class: ClassBusiness, Scoped: true},
	crm.EntityAudit:       {Class: ClassLog},

	crm.EntityChoice:      {Class: ClassSalesConfig},
	crm.EntityCustomField: {Class: ClassMarketingConfig},
	crm.EntityTopic:       {Class: ClassSalesConfig},
	crm.EntityCompany:     {Class: ClassBusiness, Scoped: true},
	crm.EntityContact:     {Class: ClassBusiness, Scoped: true},
	crm.EntityDeal:        {Class: ClassBusiness, Scoped: true},
	crm.EntityContract:    {Class: ClassBusiness, Scoped: true},
	crm.EntityTask:        {Class: ClassBusiness, Scoped: true},
	// Attachments and notes follow the record they are on (R8: child rows follow the parent);
	// this entry covers only what has no parent rule.
	crm.EntityAttachment: {Class: ClassBusiness, Scoped: true},
	crm.EntityNote:       {Class: ClassBusiness, Scoped: true},
	crm.EntityImport:     {Class: ClassBusiness},
}

// Roles that may edit own-directorate knowledge records (S1) and business records (gen.).
var (
	knowledgeEditors = crm.Roles{crm.RoleSales, crm.RoleManager, crm.RoleMarketeer, crm.RolePAM, crm.RoleCertificateManager}
	// crm_presale works on business records as crm_sales does, but only reads knowledge.
	businessEditors = append(crm.Roles{crm.RolePresale}, knowledgeEditors...)
	logReaders      = crm.Roles{crm.RoleCRMAdmin, crm.RoleAdmin, crm.RoleReadAdmin}
)

// Scope is what the engine needs to know of one existing record.
type Scope struct {
	DirectorateID int64  // 0 = no directorate: author and admins only
	AuthorID      *int64 // created_by
}

// Can decides whether actor may do action on a record of entity. rec is nil for create and for
// reads of lists. It returns crm.ErrForbidden (or ErrUnauthorized) when not.
func Can(actor *Actor, action Action, entity string, rec *Scope) error {
	if actor == nil || actor.User == nil || !actor.User.Active {
		return crm.ErrUnauthorized
	}
	pol, ok := policies[entity]
	if !ok {
		return crm.Errorf(crm.EInternal, "no permission policy for %q", entity)
	}
	roles := actor.User.Roles
	if !roles.IsCRMUser() {
		return crm.ErrForbidden // R2: no CRM role, no access beyond login and profile
	}
	if action == ActRead {
		if pol.Class == ClassLog && !roles.Has(logReaders...) {
			return crm.ErrForbidden
		}
		return nil
	}
	if actor.ReadOnly {
		return crm.ErrForbidden
	}
	if roles.IsFullAdmin() {
		return nil
	}
	if action == ActRestore {
		return crm.ErrForbidden // restore and purge: crm_admin and admin only
	}
	editors := classEditors(pol.Class)
	if !roles.Has(editors...) {
		return crm.ErrForbidden
	}
	if action == ActCreate || !pol.Scoped || !scopedClass(pol.Class) {
		return nil
	}
	return ownDirectorate(actor.User, rec)
}

// classEditors lists the roles other than crm_admin/admin that may write a class at all.
func classEditors(c Class) crm.Roles {
	switch c {
	case ClassKnowledge:
		return knowledgeEditors
	case ClassBusiness:
		return businessEditors
	case ClassAutomation:
		return crm.Roles{crm.RoleManager, crm.RoleMarketeer}
	case ClassMarketingConfig:
		return crm.Roles{crm.RoleMarketeer}
	case ClassSalesConfig:
		return crm.Roles{crm.RoleManager}
	}
	return nil // SYS, LOG: admins only
}

// scopedClass: classes whose edit rights stop at the own directorates.
func scopedClass(c Class) bool {
	return c == ClassKnowledge || c == ClassBusiness || c == ClassAutomation
}

// ownDirectorate: the record's directorate is one of the user's; a record with no directorate
// may be edited by its author only (product.md §3.3).
func ownDirectorate(u *crm.User, rec *Scope) error {
	if rec == nil {
		return crm.ErrForbidden
	}
	if rec.DirectorateID == 0 {
		if rec.AuthorID != nil && *rec.AuthorID == u.ID {
			return nil
		}
		return crm.ErrForbidden
	}
	if u.InDirectorate(rec.DirectorateID) {
		return nil
	}
	return crm.ErrForbidden
}

// Allowed tells a skin whether to offer an action on an entity at all (buttons, menu items);
// record-level checks happen again in the use case.
func (a *App) Allowed(ctx context.Context, action Action, entity string) bool {
	return Can(ActorFrom(ctx), action, entity, nil) == nil
}

// writesAnything: the actor may write some record type at all. crm_read_admin reads everything
// and writes nothing, a read-only token writes nothing; every other CRM role writes something.
// Writes that any CRM role may make (a consent row, closing a task given to one) check this.
func writesAnything(act *Actor) bool {
	if act == nil || act.User == nil || !act.User.Active || act.ReadOnly {
		return false
	}
	for _, r := range act.User.Roles {
		if r != crm.RoleReadAdmin {
			return true
		}
	}
	return false
}
