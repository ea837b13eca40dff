package app

import (
	"context"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// ContractInput is what a person may set on a new contract.
type ContractInput struct {
	Number        string
	Date          crm.Date
	CompanyID     int64  // 0 = the deal's company when a deal is given
	DealID        *int64 // optional
	EventID       *int64 // nil = the deal's source event (R37)
	TopicID       *int64 // nil = the deal's topic
	Amount        int64  // minor units
	Currency      string
	Status        crm.ContractStatus
	SignedAt      *time.Time // nil on a signed contract = now
	ResponsibleID *int64     // nil = the creator
	DirectorateID int64      // 0 = the deal's, else the user's first (R4)
	Description   string
}

// CreateContract adds a contract, usually from a won deal (R38), whose company, event and
// topic it takes unless given.
func (a *App) CreateContract(ctx context.Context, in ContractInput) (*crm.Contract, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityContract, nil); err != nil {
		return nil, err
	}
	c := &crm.Contract{Number: in.Number, Date: in.Date, CompanyID: in.CompanyID, DealID: in.DealID, EventID: in.EventID,
		TopicID: in.TopicID, Amount: in.Amount, Currency: in.Currency, Status: in.Status, SignedAt: in.SignedAt,
		ResponsibleID: in.ResponsibleID, Description: in.Description}
	if c.ResponsibleID == nil {
		c.ResponsibleID = act.userID()
	}
	c.CreatedBy = act.userID()
	dir := in.DirectorateID
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if c.DealID != nil && *c.DealID != 0 {
			d, err := liveDeal(ctx, r, *c.DealID)
			if isNotFound(err) {
				return invalidField("deal_id", "contract.err_deal_unknown")
			}
			if err != nil {
				return err
			}
			if c.CompanyID == 0 {
				c.CompanyID = derefID(d.CompanyID)
			}
			if c.EventID == nil {
				c.EventID = d.SourceEventID
			}
			if c.TopicID == nil {
				c.TopicID = &d.TopicID
			}
			if dir == 0 {
				dir = d.DirectorateOf()
			}
		}
		a.contractDefaults(c)
		if err := c.Validate(); err != nil {
			return err
		}
		if err := contractRefs(ctx, r, c, nil); err != nil {
			return err
		}
		pl, err := a.place(ctx, r, act, Placement{DirectorateID: dir}, nil)
		if err != nil {
			return err
		}
		c.DirectorateID = optionalID(pl.DirectorateID)
		if err := r.CreateContract(ctx, c); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityContract, c.ID, nil, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// contractDefaults normalises c; a contract that becomes signed or completed without a
// signing date was signed now.
func (a *App) contractDefaults(c *crm.Contract) {
	c.Normalise()
	if (c.Status == crm.ContractSigned || c.Status == crm.ContractCompleted) && c.SignedAt == nil {
		now := a.now()
		c.SignedAt = &now
	}
}

// contractRefs checks the company, deal, topic and responsible of a contract; unchanged
// references pass even if their target went away since.
func contractRefs(ctx context.Context, r crm.Repo, c *crm.Contract, before *crm.Contract) error {
	if before == nil || before.CompanyID != c.CompanyID {
		if _, err := live(r.CompanyByID(ctx, c.CompanyID)); isNotFound(err) {
			return invalidField("company_id", "deal.err_company_unknown")
		} else if err != nil {
			return err
		}
	}
	if c.DealID != nil && *c.DealID != 0 && (before == nil || derefID(before.DealID) != *c.DealID) {
		if _, err := liveDeal(ctx, r, *c.DealID); isNotFound(err) {
			return invalidField("deal_id", "contract.err_deal_unknown")
		} else if err != nil {
			return err
		}
	}
	if c.TopicID != nil && *c.TopicID != 0 && (before == nil || derefID(before.TopicID) != *c.TopicID) {
		if _, err := dealTopic(ctx, r, *c.TopicID, false); err != nil {
			return err
		}
	}
	if before == nil || derefID(before.ResponsibleID) != derefID(c.ResponsibleID) {
		return checkUserRef(ctx, r, "responsible_id", c.ResponsibleID)
	}
	return nil
}

// ContractPatch changes some fields of a contract; Version must be the one read.
type ContractPatch struct {
	Version       int64
	Number        *string
	Date          *crm.Date
	CompanyID     *int64
	DealID        **int64
	EventID       **int64
	TopicID       **int64
	Amount        *int64
	Currency      *string
	Status        *crm.ContractStatus
	SignedAt      **time.Time
	ResponsibleID **int64
	DirectorateID *int64
	Description   *string
}

// UpdateContract applies a patch within the actor's directorates.
func (a *App) UpdateContract(ctx context.Context, id int64, pt ContractPatch) (*crm.Contract, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.Contract
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		c, err := liveContract(ctx, r, id)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityContract, contractScope(c)); err != nil {
			return err
		}
		before := *c
		setIf(&c.Number, pt.Number)
		setIf(&c.Date, pt.Date)
		setIf(&c.CompanyID, pt.CompanyID)
		setIf(&c.DealID, pt.DealID)
		setIf(&c.EventID, pt.EventID)
		setIf(&c.TopicID, pt.TopicID)
		setIf(&c.Amount, pt.Amount)
		setIf(&c.Currency, pt.Currency)
		setIf(&c.Status, pt.Status)
		setIf(&c.SignedAt, pt.SignedAt)
		setIf(&c.ResponsibleID, pt.ResponsibleID)
		setIf(&c.Description, pt.Description)
		a.contractDefaults(c)
		if err := c.Validate(); err != nil {
			return err
		}
		if err := contractRefs(ctx, r, c, &before); err != nil {
			return err
		}
		if c.DirectorateID, err = a.moveDirectorate(ctx, r, act, c.DirectorateID, pt.DirectorateID); err != nil {
			return err
		}
		c.Version, c.UpdatedBy = pt.Version, act.userID()
		if err := r.UpdateContract(ctx, c); err != nil {
			return err
		}
		out = c
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityContract, id, &before, c)
	})
	return out, err
}

// DeleteContract soft-deletes a contract of the actor's directorates.
func (a *App) DeleteContract(ctx context.Context, id, version int64) error {
	return a.softDelete(ctx, crm.EntityContract, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		c, err := liveContract(ctx, r, id)
		if err != nil {
			return nil, nil, err
		}
		return c, contractScope(c), nil
	})
}

// RestoreContract brings a deleted contract back; its number must still be free in its year
// (another contract may have taken it meanwhile): 422 on number otherwise.
func (a *App) RestoreContract(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityContract, id, func(ctx context.Context, r crm.Repo, _ *Actor) error {
		c, err := r.ContractByID(ctx, id)
		if err != nil {
			return err
		}
		from := crm.Date{Time: time.Date(c.Date.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)}
		to := crm.Date{Time: time.Date(c.Date.Year(), time.December, 31, 0, 0, 0, 0, time.UTC)}
		f := crm.ContractFilter{Q: c.Number, DateFrom: &from, DateTo: &to, Page: crm.PageRequest{Limit: crm.MaxPageSize}}
		for {
			page, err := r.ListContracts(ctx, f)
			if err != nil {
				return err
			}
			for _, other := range page.Items {
				if other.ID != id && other.Number == c.Number {
					return invalidField("number", "err.unique")
				}
			}
			if page.Next == "" {
				return nil
			}
			f.Page.After = page.Next
		}
	})
}

// Contract reads one contract with its payments.
func (a *App) Contract(ctx context.Context, id int64) (*crm.Contract, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := a.store.ContractByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return c, canRead(act, crm.EntityContract, c.Meta)
}

// CanEditContract tells the UI whether to offer edit, payments and delete.
func (a *App) CanEditContract(ctx context.Context, c *crm.Contract) bool {
	return Can(ActorFrom(ctx), ActUpdate, crm.EntityContract, contractScope(c)) == nil
}

// ListContracts reads a page of contracts.
func (a *App) ListContracts(ctx context.Context, f crm.ContractFilter) (crm.Page[crm.Contract], error) {
	if _, err := readList(ctx, crm.EntityContract, f.Deleted); err != nil {
		return crm.Page[crm.Contract]{}, err
	}
	f.Page.Clamp()
	return a.store.ListContracts(ctx, f)
}

// Income sums the contracts of a filter: income of signed and completed ones (R39), and paid.
func (a *App) Income(ctx context.Context, f crm.ContractFilter) (crm.IncomeTotals, error) {
	if _, err := readList(ctx, crm.EntityContract, f.Deleted); err != nil {
		return crm.IncomeTotals{}, err
	}
	return a.store.Income(ctx, f)
}

// AddPayment records money received under a live contract; the contract's audit shows it.
func (a *App) AddPayment(ctx context.Context, contractID int64, p crm.Payment) (*crm.Payment, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		c, err := liveContract(ctx, r, contractID)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityContract, contractScope(c)); err != nil {
			return err
		}
		if err := r.AddPayment(ctx, contractID, &p, derefID(act.userID())); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityContract, contractID, nil, paymentAudit{Payment: &p})
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// DeletePayment removes a payment entered by mistake.
func (a *App) DeletePayment(ctx context.Context, contractID, paymentID int64) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		c, err := liveContract(ctx, r, contractID)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityContract, contractScope(c)); err != nil {
			return err
		}
		var gone *crm.Payment
		for i := range c.Payments {
			if c.Payments[i].ID == paymentID {
				gone = &c.Payments[i]
			}
		}
		if gone == nil {
			return crm.ErrNotFound
		}
		if err := r.DeletePayment(ctx, contractID, paymentID); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityContract, contractID, paymentAudit{Payment: gone}, nil)
	})
}

// paymentAudit is how a payment shows in its contract's history: one "payment" field.
type paymentAudit struct {
	Payment *crm.Payment `json:"payment"`
}

func liveContract(ctx context.Context, r crm.Repo, id int64) (*crm.Contract, error) {
	return live(r.ContractByID(ctx, id))
}

func contractScope(c *crm.Contract) *Scope {
	return &Scope{DirectorateID: c.DirectorateOf(), AuthorID: c.CreatedBy}
}
