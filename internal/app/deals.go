package app

import (
	"context"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

// DealInput is what a person may set on a new deal.
type DealInput struct {
	Name          string // "" = "<company or contact> — <topic>"
	CompanyID     *int64
	ContactID     *int64
	TopicID       int64
	StageID       int64 // 0 = the topic's first open stage (R34)
	LossReason    string
	Amount        int64 // minor units
	Currency      string
	Probability   *int // nil = the stage's (R36)
	ExpectedClose *crm.Date
	ResponsibleID *int64 // nil = the creator
	DirectorateID int64  // 0 = the user's first directorate (R4)
	ProductID     *int64
	ProjectID     *int64
	Type          string
	SourceEventID *int64
	Tags          []string
	Attributes    crm.Attributes
	Description   string
	Lines         []crm.DealLine
}

// CreateDeal adds a deal on a stage of its topic; its history starts there and the stage's
// tasks are handed out.
func (a *App) CreateDeal(ctx context.Context, in DealInput) (*crm.Deal, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityDeal, nil); err != nil {
		return nil, err
	}
	d := &crm.Deal{Name: in.Name, CompanyID: in.CompanyID, ContactID: in.ContactID, TopicID: in.TopicID,
		Amount: in.Amount, Currency: in.Currency, ExpectedClose: in.ExpectedClose, ResponsibleID: in.ResponsibleID,
		ProductID: in.ProductID, ProjectID: in.ProjectID, Type: in.Type, SourceEventID: in.SourceEventID,
		Tags: in.Tags, Description: in.Description, Lines: in.Lines}
	if in.Probability != nil {
		d.Probability, d.ProbabilityManual = *in.Probability, true
	}
	if d.ResponsibleID == nil {
		d.ResponsibleID = act.userID()
	}
	d.CreatedBy = act.userID()
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		t, err := dealTopic(ctx, r, d.TopicID, true)
		if err != nil {
			return err
		}
		st, err := pickStage(t, in.StageID)
		if err != nil {
			return err
		}
		if err := a.dealRefs(ctx, r, d, nil); err != nil {
			return err
		}
		if strings.TrimSpace(d.Name) == "" {
			d.Name = a.defaultDealName(ctx, r, d, t)
		}
		reason := strings.TrimSpace(in.LossReason)
		if st.Kind == crm.StageLost {
			if err := checkChoice(ctx, r, crm.ListLossReason, "loss_reason", reason, ""); err != nil {
				return err
			}
		}
		if err := enterStage(d, st, reason, a.now()); err != nil {
			return err
		}
		attrs, err := a.CheckAttributes(ctx, r, crm.EntityDeal, in.Attributes, nil)
		if err != nil {
			return err
		}
		d.Attributes = attrs
		d.Normalise()
		if err := d.Validate(); err != nil {
			return err
		}
		if err := checkChoice(ctx, r, crm.ListDealType, "type", d.Type, ""); err != nil {
			return err
		}
		pl, err := a.place(ctx, r, act, Placement{DirectorateID: in.DirectorateID, ProductID: derefID(d.ProductID)}, nil)
		if err != nil {
			return err
		}
		d.DirectorateID = optionalID(pl.DirectorateID)
		if err := r.CreateDeal(ctx, d); err != nil {
			return err
		}
		if err := a.audit(ctx, r, act, crm.AuditCreate, crm.EntityDeal, d.ID, nil, d); err != nil {
			return err
		}
		return a.stageTasks(ctx, r, act, d, st, d.StageEnteredAt)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// DealPatch changes some fields of a deal; Version must be the one read. A new topic moves the
// deal to the first open stage of that topic unless StageID names one of its stages (R34).
type DealPatch struct {
	Version       int64
	Name          *string
	CompanyID     **int64
	ContactID     **int64
	TopicID       *int64
	StageID       *int64
	LossReason    *string // needed when StageID is a lost stage
	Amount        *int64
	Currency      *string
	Probability   **int // nil pointer inside = follow the stage again
	ExpectedClose **crm.Date
	ResponsibleID **int64
	DirectorateID *int64
	ProductID     **int64
	ProjectID     **int64
	Type          *string
	SourceEventID **int64
	Hold          *bool // put an open deal on hold, or resume it
	Tags          *[]string
	Attributes    crm.Attributes // merged into the stored values; nil changes nothing
	Description   *string
	Lines         *[]crm.DealLine // replaces every line
}

// UpdateDeal applies a patch within the actor's directorates (R3); a stage change goes through
// the same rules as a move (history, lost reason, tasks).
func (a *App) UpdateDeal(ctx context.Context, id int64, pt DealPatch) (*crm.Deal, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Deal
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		d, err := liveDeal(ctx, r, id)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityDeal, dealScope(d)); err != nil {
			return err
		}
		if pt.Version != d.Version {
			return crm.ErrStale
		}
		before := *d
		before.Lines = append([]crm.DealLine(nil), d.Lines...)
		setIf(&d.Name, pt.Name)
		setIf(&d.CompanyID, pt.CompanyID)
		setIf(&d.ContactID, pt.ContactID)
		setIf(&d.Amount, pt.Amount)
		setIf(&d.Currency, pt.Currency)
		setIf(&d.ExpectedClose, pt.ExpectedClose)
		setIf(&d.ResponsibleID, pt.ResponsibleID)
		setIf(&d.ProductID, pt.ProductID)
		setIf(&d.ProjectID, pt.ProjectID)
		setIf(&d.Type, pt.Type)
		setIf(&d.SourceEventID, pt.SourceEventID)
		setIf(&d.Tags, pt.Tags)
		setIf(&d.Description, pt.Description)
		setIf(&d.Lines, pt.Lines)
		if pt.Probability != nil {
			if *pt.Probability == nil {
				d.ProbabilityManual = false
			} else {
				d.Probability, d.ProbabilityManual = **pt.Probability, true
			}
		}
		if pt.Hold != nil {
			if !d.Open() {
				return invalidField("status", "deal.err_hold_closed")
			}
			d.Status = crm.DealOpen
			if *pt.Hold {
				d.Status = crm.DealOnHold
			}
		}
		if pt.Attributes != nil {
			attrs, err := a.CheckAttributes(ctx, r, crm.EntityDeal, pt.Attributes, before.Attributes)
			if err != nil {
				return err
			}
			d.Attributes = attrs
		}
		// Work out the stage: a topic change lands on the new topic's first open stage unless
		// the patch names one of its stages.
		topicChanged := pt.TopicID != nil && *pt.TopicID != d.TopicID
		if topicChanged {
			d.TopicID = *pt.TopicID
		}
		t, err := dealTopic(ctx, r, d.TopicID, topicChanged)
		if err != nil {
			return err
		}
		var target *crm.Stage
		switch {
		case pt.StageID != nil && *pt.StageID != before.StageID:
			target, err = pickStage(t, *pt.StageID)
		case topicChanged:
			target, err = pickStage(t, 0)
		}
		if err != nil {
			return err
		}
		if target == nil {
			if st := t.StageByID(d.StageID); st != nil && !d.ProbabilityManual && d.Open() {
				d.Probability = st.Probability // back to following the stage
			}
			if pt.LossReason != nil && d.Status == crm.DealLost {
				// Correcting the reason of a lost deal.
				reason := strings.TrimSpace(*pt.LossReason)
				if reason == "" {
					return invalidField("loss_reason", "deal.err_loss_reason_required")
				}
				if err := checkChoice(ctx, r, crm.ListLossReason, "loss_reason", reason, before.LossReason); err != nil {
					return err
				}
				d.LossReason = reason
			}
		}
		if err := a.dealRefs(ctx, r, d, &before); err != nil {
			return err
		}
		d.Normalise()
		if err := d.Validate(); err != nil {
			return err
		}
		if err := checkChoice(ctx, r, crm.ListDealType, "type", d.Type, before.Type); err != nil {
			return err
		}
		want := Placement{DirectorateID: before.DirectorateOf(), ProductID: derefID(d.ProductID)}
		if pt.DirectorateID != nil {
			want.DirectorateID = *pt.DirectorateID
		}
		stored := Placement{DirectorateID: before.DirectorateOf(), ProductID: derefID(before.ProductID)}
		pl, err := a.place(ctx, r, act, want, &stored)
		if err != nil {
			return err
		}
		d.DirectorateID = optionalID(pl.DirectorateID)
		d.UpdatedBy = act.userID()
		if target != nil {
			reason := ""
			if pt.LossReason != nil {
				reason = strings.TrimSpace(*pt.LossReason)
			}
			if err := a.moveTo(ctx, r, act, d, target, reason); err != nil {
				return err
			}
		} else if err := r.UpdateDeal(ctx, d); err != nil {
			return err
		}
		out = d
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityDeal, id, &before, d)
	})
	return out, err
}

// dealRefs checks what a deal points at: company, contact (of that company), project,
// responsible, line products. Unchanged references pass even if their target went away since.
func (a *App) dealRefs(ctx context.Context, r crm.Repo, d *crm.Deal, before *crm.Deal) error {
	same := func(get func(*crm.Deal) *int64) bool {
		return before != nil && derefID(get(before)) == derefID(get(d))
	}
	var company *crm.Company
	if d.CompanyID != nil && *d.CompanyID != 0 {
		c, err := live(r.CompanyByID(ctx, *d.CompanyID))
		switch {
		case isNotFound(err):
			if !same(func(x *crm.Deal) *int64 { return x.CompanyID }) {
				return invalidField("company_id", "deal.err_company_unknown")
			}
		case err != nil:
			return err
		default:
			company = c
		}
	}
	if d.ContactID != nil && *d.ContactID != 0 {
		c, err := live(r.ContactByID(ctx, *d.ContactID))
		switch {
		case isNotFound(err):
			if !same(func(x *crm.Deal) *int64 { return x.ContactID }) {
				return invalidField("contact_id", "deal.err_contact_unknown")
			}
		case err != nil:
			return err
		case company != nil && derefID(c.CompanyID) != company.ID:
			return invalidField("contact_id", "deal.err_contact_company")
		}
	}
	if d.ProjectID != nil && *d.ProjectID != 0 && !same(func(x *crm.Deal) *int64 { return x.ProjectID }) {
		if _, err := liveProject(ctx, r, *d.ProjectID); isNotFound(err) {
			return invalidField("project_id", "deal.err_project_unknown")
		} else if err != nil {
			return err
		}
	}
	if !same(func(x *crm.Deal) *int64 { return x.ResponsibleID }) {
		if err := checkUserRef(ctx, r, "responsible_id", d.ResponsibleID); err != nil {
			return err
		}
	}
	known := map[int64]bool{}
	if before != nil {
		for _, l := range before.Lines {
			known[derefID(l.ProductID)] = true
		}
	}
	for _, l := range d.Lines {
		if l.ProductID == nil || known[*l.ProductID] {
			continue
		}
		if _, err := liveProduct(ctx, r, *l.ProductID); isNotFound(err) {
			return invalidField("lines", "err.product_unknown")
		} else if err != nil {
			return err
		}
		known[*l.ProductID] = true
	}
	return nil
}

// defaultDealName is "<company or contact> — <topic>".
func (a *App) defaultDealName(ctx context.Context, r crm.Repo, d *crm.Deal, t *crm.Topic) string {
	party := ""
	if d.CompanyID != nil {
		if c, err := r.CompanyByID(ctx, *d.CompanyID); err == nil {
			party = c.Name
		}
	}
	if party == "" && d.ContactID != nil {
		if c, err := r.ContactByID(ctx, *d.ContactID); err == nil {
			party = c.FullName()
		}
	}
	if party == "" {
		return t.Name
	}
	return party + " — " + t.Name
}

// DeleteDeal soft-deletes a deal of the actor's directorates.
func (a *App) DeleteDeal(ctx context.Context, id, version int64) error {
	return a.softDelete(ctx, crm.EntityDeal, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		d, err := liveDeal(ctx, r, id)
		if err != nil {
			return nil, nil, err
		}
		return d, dealScope(d), nil
	})
}

// RestoreDeal brings a deleted deal back.
func (a *App) RestoreDeal(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityDeal, id, nil)
}

// Deal reads one deal with its lines.
func (a *App) Deal(ctx context.Context, id int64) (*crm.Deal, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	d, err := a.store.DealByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return d, canRead(act, crm.EntityDeal, d.Meta)
}

// CanEditDeal tells the UI whether to offer edit, move and delete; the use cases check again.
func (a *App) CanEditDeal(ctx context.Context, d *crm.Deal) bool {
	return Can(ActorFrom(ctx), ActUpdate, crm.EntityDeal, dealScope(d)) == nil
}

// ListDeals reads a page of deals: every CRM role reads all directorates (R2).
func (a *App) ListDeals(ctx context.Context, f crm.DealFilter) (crm.Page[crm.Deal], error) {
	if _, err := readList(ctx, crm.EntityDeal, f.Deleted); err != nil {
		return crm.Page[crm.Deal]{}, err
	}
	if err := a.checkAttrFilter(ctx, crm.EntityDeal, f.Attr); err != nil {
		return crm.Page[crm.Deal]{}, err
	}
	f.Page.Clamp()
	return a.store.ListDeals(ctx, f)
}

func liveDeal(ctx context.Context, r crm.Repo, id int64) (*crm.Deal, error) {
	return live(r.DealByID(ctx, id))
}

func dealScope(d *crm.Deal) *Scope {
	return &Scope{DirectorateID: d.DirectorateOf(), AuthorID: d.CreatedBy}
}

// PartyNames returns the names of the companies and contacts a page of deals or contracts
// shows, two queries per page whatever its length. Deleted ones keep their names.
func (a *App) PartyNames(ctx context.Context, companyIDs, contactIDs []int64) (companies, contacts map[int64]string, err error) {
	companies, contacts = map[int64]string{}, map[int64]string{}
	if _, err := readList(ctx, crm.EntityDeal, false); err != nil {
		return nil, nil, err
	}
	if len(companyIDs) > 0 {
		for _, deleted := range []bool{false, true} {
			page, err := a.store.ListCompanies(ctx, crm.CompanyFilter{IDs: companyIDs, Deleted: deleted, Page: crm.PageRequest{Limit: crm.MaxPageSize}})
			if err != nil {
				return nil, nil, err
			}
			for _, c := range page.Items {
				companies[c.ID] = c.Name
			}
		}
	}
	if len(contactIDs) > 0 {
		for _, deleted := range []bool{false, true} {
			page, err := a.store.ListContacts(ctx, crm.ContactFilter{IDs: contactIDs, Deleted: deleted, Page: crm.PageRequest{Limit: crm.MaxPageSize}})
			if err != nil {
				return nil, nil, err
			}
			for _, c := range page.Items {
				contacts[c.ID] = c.FullName()
			}
		}
	}
	return companies, contacts, nil
}
