package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// LargeSize is how many records the large demo makes.
type LargeSize struct {
	Companies, Contacts, Deals int
}

// LargeDefault is the size the issue asks for: a million contacts in 200,000 companies and
// 300,000 deals.
var LargeDefault = LargeSize{Companies: 200000, Contacts: 1000000, Deals: 300000}

// largeBatch is how many companies (with their contacts and deals) one transaction writes:
// big enough that commits do not dominate, small enough to keep memory flat.
const largeBatch = 1000

// largeFirst numbers the large companies after the small picture's (their INNs differ).
const largeFirst = 1000

// Progress is told how far a long fill has come.
type Progress func(done, total int)

// LargeOwners are the users and directorates the large records are spread over.
type LargeOwners struct {
	Users []*crm.User // responsible users; each record takes the first directorate of its user
	// Products sold, by directorate id, for deals.
	Products map[int64][]int64
}

// FillLarge writes size.Companies companies with size.Contacts contacts and size.Deals deals
// through the bulk writes (no audit rows, no per-record rules: the records are made valid by
// construction), in batches of largeBatch companies per transaction, deterministic for one
// seed. The deals go over the stages of topic; about a fifth are won or lost. progress, if
// given, is called after each batch with the companies written.
func FillLarge(ctx context.Context, st crm.Store, topic *crm.Topic, owners LargeOwners, size LargeSize, progress Progress) error {
	if size.Companies <= 0 || len(owners.Users) == 0 {
		return fmt.Errorf("large demo: no companies or no users")
	}
	var open []crm.Stage
	var won, lost *crm.Stage
	for i, s := range topic.Stages {
		switch s.Kind {
		case crm.StageOpen:
			open = append(open, s)
		case crm.StageWon:
			won = &topic.Stages[i]
		case crm.StageLost:
			lost = &topic.Stages[i]
		}
	}
	if len(open) == 0 || won == nil || lost == nil {
		return fmt.Errorf("topic %q lacks open, won or lost stages", topic.Name)
	}
	g := newGen(1_000_000)
	now := time.Now().UTC().Truncate(time.Second)
	// Records were made over the last two years, evenly: lists sorted by date look lived-in.
	span := 2 * 365 * 24 * time.Hour
	contactN, dealN := 0, 0
	for start := 0; start < size.Companies; start += largeBatch {
		end := min(start+largeBatch, size.Companies)
		// Contacts and deals of this batch, in proportion, so that the last batch ends exact.
		contactsTo := int(int64(size.Contacts) * int64(end) / int64(size.Companies))
		dealsTo := int(int64(size.Deals) * int64(end) / int64(size.Companies))
		companies := make([]*crm.Company, 0, end-start)
		domains := make([]string, 0, end-start)
		owner := make([]*crm.User, 0, end-start)
		for i := start; i < end; i++ {
			c, domain := g.company(largeFirst + i) // numbers apart from the small picture's
			u := owners.Users[g.rng.IntN(len(owners.Users))]
			c.ResponsibleID, c.DirectorateID = &u.ID, firstDir(u)
			c.CreatedBy = &u.ID
			c.CreatedAt = now.Add(-span + span*time.Duration(i)/time.Duration(size.Companies))
			companies = append(companies, c)
			domains = append(domains, domain)
			owner = append(owner, u)
		}
		err := st.InTx(ctx, func(r crm.Repo) error {
			if err := r.BulkCreateCompanies(ctx, companies); err != nil {
				return err
			}
			contacts := make([]*crm.Contact, 0, contactsTo-contactN)
			contactOf := make([]int, 0, contactsTo-contactN) // index into companies
			for ; contactN < contactsTo; contactN++ {
				k := g.rng.IntN(len(companies))
				co := companies[k]
				var c *crm.Contact
				if g.chance(3) {
					c = g.contact(nil, "", contactN) // a private person
				} else {
					c = g.contact(&co.ID, domains[k], contactN)
				}
				c.ResponsibleID, c.DirectorateID, c.CreatedBy = co.ResponsibleID, co.DirectorateID, co.CreatedBy
				c.CreatedAt = co.CreatedAt.Add(time.Duration(g.rng.IntN(30*24)) * time.Hour)
				if c.CreatedAt.After(now) {
					c.CreatedAt = now
				}
				contacts = append(contacts, c)
				contactOf = append(contactOf, k)
			}
			if err := r.BulkCreateContacts(ctx, contacts); err != nil {
				return err
			}
			byCompany := map[int][]int64{}
			for i, c := range contacts {
				if c.CompanyID != nil {
					byCompany[contactOf[i]] = append(byCompany[contactOf[i]], c.ID)
				}
			}
			deals := make([]*crm.Deal, 0, dealsTo-dealN)
			for ; dealN < dealsTo; dealN++ {
				k := g.rng.IntN(len(companies))
				deals = append(deals, largeDeal(g, now, topic, open, won, lost, companies[k], byCompany[k], owner[k], owners.Products))
			}
			return r.BulkCreateDeals(ctx, deals)
		})
		if err != nil {
			return fmt.Errorf("large demo, companies %d–%d: %w", start+1, end, err)
		}
		if progress != nil {
			progress(end, size.Companies)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

func firstDir(u *crm.User) *int64 {
	if len(u.Directorates) == 0 {
		return nil
	}
	d := u.Directorates[0]
	return &d
}

// largeDeal makes one deal of company co: mostly open on some stage, some won, some lost
// with a reason, entered on the stage some time after the company appeared.
func largeDeal(g *gen, now time.Time, topic *crm.Topic, open []crm.Stage, won, lost *crm.Stage, co *crm.Company,
	contacts []int64, u *crm.User, productsByDir map[int64][]int64) *crm.Deal {
	subject := dealSubjects[g.rng.IntN(len(dealSubjects))]
	d := &crm.Deal{Name: subject + " — " + co.Name, CompanyID: &co.ID, TopicID: topic.ID, Currency: crm.BaseCurrency,
		ResponsibleID: co.ResponsibleID, DirectorateID: co.DirectorateID,
		Type: g.pick([]string{"sale", "services", "integrated", "after_sales"})}
	d.CreatedBy = co.CreatedBy
	if len(contacts) > 0 {
		d.ContactID = &contacts[g.rng.IntN(len(contacts))]
	}
	if co.DirectorateID != nil {
		if ps := productsByDir[*co.DirectorateID]; len(ps) > 0 {
			d.ProductID = &ps[g.rng.IntN(len(ps))]
		}
	}
	d.Amount = int64(50000+g.rng.IntN(20000000)) * 100
	age := now.Sub(co.CreatedAt)
	d.CreatedAt = co.CreatedAt.Add(time.Duration(g.rng.Int64N(int64(age) + 1)))
	d.StageEnteredAt = d.CreatedAt.Add(time.Duration(g.rng.Int64N(int64(now.Sub(d.CreatedAt)) + 1)))
	closeOn := crm.Date{Time: d.StageEnteredAt.AddDate(0, 0, 14+g.rng.IntN(180)).Truncate(24 * time.Hour)}
	d.ExpectedClose = &closeOn
	switch n := g.rng.IntN(100); {
	case n < 10:
		d.StageID, d.Status, d.Probability = won.ID, crm.DealWon, 100
		closed := d.StageEnteredAt
		d.ClosedAt = &closed
	case n < 22:
		at := open[g.rng.IntN(len(open))]
		d.StageID, d.Status, d.Probability = lost.ID, crm.DealLost, 0
		d.LossReason = lossReasons[g.rng.IntN(len(lossReasons))]
		d.LostAtStageID = &at.ID
		closed := d.StageEnteredAt
		d.ClosedAt = &closed
	default:
		// Early stages hold more deals than late ones, as a funnel does.
		i := min(g.rng.IntN(len(open)), g.rng.IntN(len(open)))
		d.StageID, d.Status, d.Probability = open[i].ID, crm.DealOpen, open[i].Probability
		if g.chance(3) {
			d.Status = crm.DealOnHold
		}
	}
	return d
}
