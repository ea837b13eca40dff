package app

import (
	"context"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// ConsentInput is one consent event of a contact (152-FZ, 38-FZ): granted or withdrawn for
// a channel and a purpose. At zero means now.
type ConsentInput struct {
	Channel     string
	Purpose     string
	Status      crm.ConsentStatus
	Source      string
	TextVersion string
	Evidence    string
	At          *time.Time
}

// AddConsent appends a row to a contact's consent history. Consent rows are append-only and
// any CRM role may add one (product.md §3.3): a person's "unsubscribe" must be recordable by
// whoever takes the call, whatever the contact's directorate. A read-only token and
// crm_read_admin (reads everything, writes nothing) may not.
func (a *App) AddConsent(ctx context.Context, contactID int64, in ConsentInput) (*crm.Consent, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActRead, crm.EntityContact, nil); err != nil {
		return nil, err
	}
	if !writesAnything(act) {
		return nil, crm.ErrForbidden // a read-only token, crm_read_admin
	}
	c := &crm.Consent{ContactID: contactID, Channel: in.Channel, Purpose: in.Purpose, Status: in.Status, Source: in.Source,
		TextVersion: in.TextVersion, Evidence: in.Evidence, CreatedBy: act.userID()}
	if in.At != nil {
		c.At = *in.At
	}
	if c.At.IsZero() || c.At.After(a.now()) {
		c.At = a.now() // a consent given in the future is not a consent yet
	}
	c.Normalise()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if _, err := live(r.ContactByID(ctx, contactID)); err != nil {
			return err
		}
		if err := r.AddConsent(ctx, c); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityConsent, c.ID, nil, c)
	})
	return c, err
}

// Consents reads a contact's consent history, newest first.
func (a *App) Consents(ctx context.Context, contactID int64) ([]crm.Consent, error) {
	if _, err := a.Contact(ctx, contactID); err != nil {
		return nil, err
	}
	return a.store.ListConsents(ctx, contactID)
}
