package app

import (
	"context"
	"slices"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Group actions a list offers on its selection.
const (
	BulkAssign  = "assign"   // set the responsible
	BulkSetType = "set_type" // set the Type (the entity's choice list)
	BulkAddTag  = "add_tag"
	BulkDelete  = "delete"
)

// MaxBulk bounds one group action: "all N matching" is at most the lists' counting cap.
const MaxBulk = crm.TotalCap

// BulkAction is one group action with its argument.
type BulkAction struct {
	Kind          string
	ResponsibleID int64
	Type          string
	Tag           string
}

// BulkResult says how a group action went: Done records changed, Skipped not (no right to
// edit, gone, or the new value not valid for the record), with the reason of each skip.
type BulkResult struct {
	Done    int
	Skipped int
	Reasons map[int64]string // record id → catalogue key
}

// BulkEntities are the record types group actions work on and what each supports.
var BulkEntities = map[string][]string{
	crm.EntityCompany: {BulkAssign, BulkSetType, BulkAddTag, BulkDelete},
	crm.EntityContact: {BulkAssign, BulkSetType, BulkAddTag, BulkDelete},
	crm.EntityDeal:    {BulkAssign, BulkSetType, BulkAddTag, BulkDelete},
	crm.EntityProject: {BulkAssign, BulkDelete},
}

// BulkApply runs a group action record by record through each record type's own use case,
// so that every change is permission-checked, validated, version-checked and audited like a
// single edit; a record the actor may not change is skipped and reported, not fatal.
func (a *App) BulkApply(ctx context.Context, entity string, ids []int64, ba BulkAction) (BulkResult, error) {
	res := BulkResult{Reasons: map[int64]string{}}
	if _, err := writer(ctx); err != nil {
		return res, err
	}
	if !slices.Contains(BulkEntities[entity], ba.Kind) {
		return res, invalidField("action", "err.choice")
	}
	if len(ids) > MaxBulk {
		return res, invalidField("ids", "bulk.err.too_many")
	}
	switch ba.Kind {
	case BulkAssign:
		if ba.ResponsibleID == 0 {
			return res, invalidField("responsible_id", "err.required")
		}
	case BulkSetType:
		if ba.Type == "" {
			return res, invalidField("type", "err.required")
		}
	case BulkAddTag:
		tags := crm.NormaliseTags([]string{ba.Tag})
		if len(tags) == 0 {
			return res, invalidField("tag", "err.required")
		}
		ba.Tag = tags[0]
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] || id <= 0 {
			continue
		}
		seen[id] = true
		if err := ctx.Err(); err != nil {
			return res, err
		}
		err := a.bulkOne(ctx, entity, id, ba)
		switch {
		case err == nil:
			res.Done++
		case crm.ErrorCode(err) == crm.EInternal || crm.ErrorCode(err) == "":
			return res, err
		default:
			res.Skipped++
			res.Reasons[id] = skipReason(err)
		}
	}
	return res, nil
}

func skipReason(err error) string {
	switch crm.ErrorCode(err) {
	case crm.EForbidden, crm.EUnauthorized:
		return "bulk.skip.forbidden"
	case crm.ENotFound:
		return "bulk.skip.gone"
	case crm.EConflict:
		return "bulk.skip.changed"
	}
	for _, k := range crm.ErrorFields(err) {
		return k
	}
	return "bulk.skip.invalid"
}

func (a *App) bulkOne(ctx context.Context, entity string, id int64, ba BulkAction) error {
	switch entity {
	case crm.EntityCompany:
		c, err := live(a.Company(ctx, id))
		if err != nil {
			return err
		}
		return bulkEdit(ba, c.Tags, func() error { return a.DeleteCompany(ctx, id, c.Version) }, func(ch bulkChange) error {
			_, err := a.UpdateCompany(ctx, id, CompanyPatch{Version: c.Version, ResponsibleID: ch.ResponsibleID, Type: ch.Type, Tags: ch.Tags})
			return err
		})
	case crm.EntityContact:
		c, err := live(a.Contact(ctx, id))
		if err != nil {
			return err
		}
		return bulkEdit(ba, c.Tags, func() error { return a.DeleteContact(ctx, id, c.Version) }, func(ch bulkChange) error {
			_, err := a.UpdateContact(ctx, id, ContactPatch{Version: c.Version, ResponsibleID: ch.ResponsibleID, Type: ch.Type, Tags: ch.Tags})
			return err
		})
	case crm.EntityDeal:
		d, err := live(a.Deal(ctx, id))
		if err != nil {
			return err
		}
		return bulkEdit(ba, d.Tags, func() error { return a.DeleteDeal(ctx, id, d.Version) }, func(ch bulkChange) error {
			_, err := a.UpdateDeal(ctx, id, DealPatch{Version: d.Version, ResponsibleID: ch.ResponsibleID, Type: ch.Type, Tags: ch.Tags})
			return err
		})
	case crm.EntityProject:
		p, err := live(a.Project(ctx, id))
		if err != nil {
			return err
		}
		switch ba.Kind {
		case BulkAssign:
			resp := &ba.ResponsibleID
			_, err = a.UpdateProject(ctx, id, ProjectPatch{Version: p.Version, ResponsibleID: &resp})
			return err
		case BulkDelete:
			return a.DeleteProject(ctx, id, p.Version)
		}
	}
	return invalidField("action", "err.choice")
}

// bulkChange is what assign, set_type and add_tag change on a company, contact or deal: the
// three share the responsible, Type and tags. A nil field stays as stored.
type bulkChange struct {
	ResponsibleID **int64
	Type          *string
	Tags          *[]string
}

// bulkEdit runs one group action on a live record whose tags are tags: delete through del,
// any other action as a patch through update, each the record type's own use case.
func bulkEdit(ba BulkAction, tags []string, del func() error, update func(bulkChange) error) error {
	var ch bulkChange
	switch ba.Kind {
	case BulkAssign:
		resp := &ba.ResponsibleID
		ch.ResponsibleID = &resp
	case BulkSetType:
		ch.Type = &ba.Type
	case BulkAddTag:
		added := append(slices.Clone(tags), ba.Tag)
		ch.Tags = &added
	case BulkDelete:
		return del()
	}
	return update(ch)
}

// BulkFilter picks the records of a group action by the filters the lists of companies,
// contacts, deals and projects share (what a field means is what it means in each list;
// a field a list lacks is ignored: CompanyID for companies and projects, Type and Tag for
// projects).
type BulkFilter struct {
	Q             string
	Type          string
	Tag           string
	DirectorateID int64
	ResponsibleID int64
	CompanyID     int64
}

// BulkMatching returns the ids of the live records of entity the actor may read that match
// f, in id order, at most limit (the caller asks for one more than it accepts to tell "too
// many" from "exactly enough").
func (a *App) BulkMatching(ctx context.Context, entity string, f BulkFilter, limit int) ([]int64, error) {
	if _, ok := BulkEntities[entity]; !ok {
		return nil, invalidField("entity", "err.choice")
	}
	var ids []int64
	page := crm.PageRequest{Sort: "id", Limit: crm.MaxPageSize}
	for len(ids) < limit {
		var next string
		switch entity {
		case crm.EntityCompany:
			p, err := a.ListCompanies(ctx, crm.CompanyFilter{Q: f.Q, Type: f.Type, Tag: f.Tag, DirectorateID: f.DirectorateID,
				ResponsibleID: f.ResponsibleID, Page: page})
			if err != nil {
				return nil, err
			}
			for _, c := range p.Items {
				ids = append(ids, c.ID)
			}
			next = p.Next
		case crm.EntityContact:
			p, err := a.ListContacts(ctx, crm.ContactFilter{Q: f.Q, Type: f.Type, Tag: f.Tag, DirectorateID: f.DirectorateID,
				ResponsibleID: f.ResponsibleID, CompanyID: f.CompanyID, Page: page})
			if err != nil {
				return nil, err
			}
			for _, c := range p.Items {
				ids = append(ids, c.ID)
			}
			next = p.Next
		case crm.EntityDeal:
			p, err := a.ListDeals(ctx, crm.DealFilter{Q: f.Q, Type: f.Type, Tag: f.Tag, DirectorateID: f.DirectorateID,
				ResponsibleID: f.ResponsibleID, CompanyID: f.CompanyID, Page: page})
			if err != nil {
				return nil, err
			}
			for _, d := range p.Items {
				ids = append(ids, d.ID)
			}
			next = p.Next
		case crm.EntityProject:
			p, err := a.ListProjects(ctx, crm.ProjectFilter{Q: f.Q, DirectorateID: f.DirectorateID, ResponsibleID: f.ResponsibleID, Page: page})
			if err != nil {
				return nil, err
			}
			for _, pr := range p.Items {
				ids = append(ids, pr.ID)
			}
			next = p.Next
		}
		if next == "" {
			break
		}
		page.After = next
	}
	if len(ids) > limit {
		ids = ids[:limit]
	}
	return ids, nil
}
