package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// AddNote writes a note on a record: those who may edit the record may (R8).
func (a *App) AddNote(ctx context.Context, entity string, recordID int64, body string) (*crm.Note, error) {
	act, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	n := &crm.Note{Entity: entity, RecordID: recordID, Body: body}
	n.CreatedBy = act.userID()
	n.Normalise()
	if err := n.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if _, err := a.canEditParent(ctx, r, act, entity, recordID); err != nil {
			return recordRefErr(err)
		}
		if err := r.CreateNote(ctx, n); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityNote, n.ID, nil, n)
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Note reads one note: whoever may read its record.
func (a *App) Note(ctx context.Context, id int64) (*crm.Note, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	n, err := a.store.NoteByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := canRead(act, crm.EntityNote, n.Meta); err != nil {
		return nil, err
	}
	if _, err := canReadParent(ctx, a.store, act, n.Entity, n.RecordID); err != nil {
		if isNotFound(err) {
			return nil, crm.ErrNotFound
		}
		return nil, err
	}
	return n, nil
}

// Notes lists the live notes of a record, newest first.
func (a *App) Notes(ctx context.Context, entity string, recordID int64) ([]crm.Note, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActRead, crm.EntityNote, nil); err != nil {
		return nil, err
	}
	if _, err := canReadParent(ctx, a.store, act, entity, recordID); err != nil {
		return nil, err
	}
	return a.store.ListNotes(ctx, entity, recordID)
}

// DeleteNote moves a note to the trash: those who may edit its record.
func (a *App) DeleteNote(ctx context.Context, id, version int64) error {
	act, err := writer(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		n, err := live(r.NoteByID(ctx, id))
		if err != nil {
			return err
		}
		if _, err := a.canEditParent(ctx, r, act, n.Entity, n.RecordID); err != nil {
			return err
		}
		if err := r.SoftDelete(ctx, crm.EntityNote, id, version, derefID(act.userID())); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditDelete, crm.EntityNote, id, n, nil)
	})
}

// RestoreNote brings a note back from the trash (crm_admin, admin).
func (a *App) RestoreNote(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityNote, id, nil)
}
