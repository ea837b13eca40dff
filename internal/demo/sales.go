package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// The small sales picture: a few dozen counterparties with their people, deals over the
// default topic's stages, contracts of the won ones with payments, and tasks of the demo
// users. Everything goes through the use cases, as a person clicking would make it: rules,
// defaults, audit and stage task chains apply.

const (
	smallCompanies = 60
	smallPrivate   = 12 // private persons (Физлица) without a company
	smallDeals     = 80
	smallContracts = 20
	smallTasks     = 30
)

var dealSubjects = []string{
	"Внедрение ITSM", "Поставка лицензий ITSM", "Техническая поддержка 24×7", "Аудит ИТ-процессов",
	"Миграция с зарубежной платформы", "Модуль управления активами", "Обучение администраторов",
	"Расширение лицензий", "Пилотный проект Service Desk", "Продление поддержки",
}

var lossReasons = []string{"no_need", "too_expensive", "chose_competitor", "no_budget", "timing", "not_decision_maker"}

var taskTitles = []struct {
	title string
	kind  crm.TaskKind
}{
	{"Позвонить ЛПР и согласовать встречу", crm.TaskCall},
	{"Отправить коммерческое предложение", crm.TaskMessage},
	{"Провести демонстрацию платформы", crm.TaskMeeting},
	{"Согласовать спецификацию с закупками", crm.TaskTask},
	{"Подготовить проект договора", crm.TaskTask},
	{"Уточнить бюджет на следующий год", crm.TaskCall},
	{"Напомнить об оплате счёта", crm.TaskReminder},
}

// salesWorld is what the small picture is built from.
type salesWorld struct {
	users    []*crm.User // the six business roles first
	dirIDs   []int64
	products []int64 // by index of products
	now      time.Time
}

// userCtx acts as u.
func userCtx(ctx context.Context, u *crm.User) context.Context {
	return app.WithActor(ctx, &app.Actor{User: u})
}

// productFor picks a product sold by the user's first directorate, or none.
func (w *salesWorld) productFor(g *gen, u *crm.User) (*int64, int64) {
	if len(u.Directorates) == 0 {
		return nil, 0
	}
	var fits []int
	for i, p := range products {
		for _, d := range p.dirs {
			if w.dirIDs[d] == u.Directorates[0] {
				fits = append(fits, i)
			}
		}
	}
	if len(fits) == 0 {
		return nil, 0
	}
	i := fits[g.rng.IntN(len(fits))]
	id := w.products[i]
	return &id, products[i].price * 100
}

func fillSales(ctx context.Context, a *app.App, w *salesWorld, sum *Summary) error {
	g := newGen(7)
	topics, err := a.ActiveTopics(ctx)
	if err != nil {
		return fmt.Errorf("topics: %w", err)
	}
	if len(topics) == 0 {
		return fmt.Errorf("no active sales topic")
	}
	topic, err := a.Topic(ctx, topics[0].ID)
	if err != nil {
		return err
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
	sellers := w.users[:6]

	type party struct {
		company  *crm.Company
		contacts []*crm.Contact
		owner    *crm.User
	}
	var parties []party
	for i := 0; i < smallCompanies; i++ {
		u := sellers[g.rng.IntN(len(sellers))]
		c, domain := g.company(i + 1)
		phones := make([]string, len(c.Phones))
		for k, p := range c.Phones {
			phones[k] = p.Raw
		}
		co, err := a.CreateCompany(userCtx(ctx, u), app.CompanyInput{Name: c.Name, LegalName: c.LegalName, Kind: c.Kind,
			Type: c.Type, Industry: c.Industry, Size: c.Size, INN: c.INN, KPP: c.KPP, Region: c.Region, Website: c.Website,
			Phones: phones, Emails: c.Emails, Address: c.Address, IsSupplier: c.IsSupplier, Tags: c.Tags, AllowDuplicate: true})
		if err != nil {
			return fmt.Errorf("company %q: %w", c.Name, err)
		}
		sum.Companies++
		p := party{company: co, owner: u}
		for k := 0; k < 2+g.rng.IntN(2) && sum.Contacts < 150-smallPrivate; k++ {
			ct, err := createContact(ctx, a, u, g.contact(&co.ID, domain, i*10+k))
			if err != nil {
				return err
			}
			p.contacts = append(p.contacts, ct)
			sum.Contacts++
		}
		parties = append(parties, p)
	}
	for i := 0; i < smallPrivate; i++ {
		if _, err := createContact(ctx, a, sellers[g.rng.IntN(len(sellers))], g.contact(nil, "", i)); err != nil {
			return err
		}
		sum.Contacts++
	}

	var wonDeals []*crm.Deal
	var dealOwners []*crm.User
	for i := 0; i < smallDeals; i++ {
		p := parties[g.rng.IntN(len(parties))]
		u := p.owner
		in := app.DealInput{CompanyID: &p.company.ID, TopicID: topic.ID, Currency: "RUB",
			Type: g.pick([]string{"sale", "services", "integrated", "after_sales"})}
		if len(p.contacts) > 0 {
			in.ContactID = &p.contacts[g.rng.IntN(len(p.contacts))].ID
		}
		subject := dealSubjects[g.rng.IntN(len(dealSubjects))]
		in.Name = subject + " — " + p.company.Name
		var price int64
		in.ProductID, price = w.productFor(g, u)
		if price == 0 {
			price = int64(300000+g.rng.IntN(5000000)) * 100
		}
		qty := int64(1 + g.rng.IntN(3))
		in.Amount = price * qty
		in.Lines = []crm.DealLine{{ProductID: in.ProductID, Description: subject, Quantity: qty, Price: price, Amount: price * qty}}
		closeOn := crm.Date{Time: w.now.AddDate(0, 0, -30+g.rng.IntN(150)).Truncate(24 * time.Hour)}
		in.ExpectedClose = &closeOn
		switch n := g.rng.IntN(100); {
		case n < 25:
			in.StageID = won.ID
		case n < 43:
			in.StageID = lost.ID
			in.LossReason = lossReasons[g.rng.IntN(len(lossReasons))]
		default:
			in.StageID = open[g.rng.IntN(len(open))].ID
		}
		d, err := a.CreateDeal(userCtx(ctx, u), in)
		if err != nil {
			return fmt.Errorf("deal %q: %w", in.Name, err)
		}
		sum.Deals++
		if d.StageID == won.ID {
			wonDeals = append(wonDeals, d)
			dealOwners = append(dealOwners, u)
		}
		if sum.Tasks < smallTasks && d.Status == crm.DealOpen && g.chance(60) {
			if err := addTask(ctx, a, g, w, u, d); err != nil {
				return err
			}
			sum.Tasks++
		}
	}
	for i, d := range wonDeals {
		if sum.Contracts >= smallContracts {
			break
		}
		u := dealOwners[i]
		signed := w.now.AddDate(0, 0, -g.rng.IntN(120))
		status := crm.ContractSigned
		if g.chance(40) {
			status = crm.ContractCompleted
		}
		c, err := a.CreateContract(userCtx(ctx, u), app.ContractInput{Number: fmt.Sprintf("Д-%03d/%d", i+1, signed.Year()),
			Date: crm.Date{Time: signed.Truncate(24 * time.Hour)}, DealID: &d.ID, Amount: d.Amount, Currency: "RUB",
			Status: status, SignedAt: &signed, Description: d.Name})
		if err != nil {
			return fmt.Errorf("contract of %q: %w", d.Name, err)
		}
		sum.Contracts++
		// Completed contracts are paid in full in two parts; signed ones partly or not yet.
		parts := 0
		switch {
		case status == crm.ContractCompleted:
			parts = 2
		case g.chance(50):
			parts = 1
		}
		for k := 0; k < parts; k++ {
			paid := crm.Date{Time: signed.AddDate(0, 0, 10+30*k).Truncate(24 * time.Hour)}
			amount := c.Amount / 2
			if k == 1 {
				amount = c.Amount - c.Amount/2
			}
			if _, err := a.AddPayment(userCtx(ctx, u), c.ID, crm.Payment{PaidOn: paid, Amount: amount, Note: fmt.Sprintf("Платёжное поручение № %d", 100+g.rng.IntN(900))}); err != nil {
				return fmt.Errorf("payment of %s: %w", c.Number, err)
			}
			sum.Payments++
		}
	}
	// Tasks on no record fill up to the target: the users' own to-dos.
	for sum.Tasks < smallTasks {
		u := sellers[g.rng.IntN(len(sellers))]
		if err := addTask(ctx, a, g, w, u, nil); err != nil {
			return err
		}
		sum.Tasks++
	}
	return nil
}

func createContact(ctx context.Context, a *app.App, u *crm.User, c *crm.Contact) (*crm.Contact, error) {
	phones := make([]string, len(c.Phones))
	for k, p := range c.Phones {
		phones[k] = p.Raw
	}
	ct, err := a.CreateContact(userCtx(ctx, u), app.ContactInput{LastName: c.LastName, FirstName: c.FirstName,
		MiddleName: c.MiddleName, CompanyID: c.CompanyID, Position: c.Position, IsDecisionMaker: c.IsDecisionMaker,
		Type: c.Type, Role: c.Role, Phones: phones, Emails: c.Emails, AllowDuplicate: true})
	if err != nil {
		return nil, fmt.Errorf("contact %s: %w", c.FullName(), err)
	}
	return ct, nil
}

// addTask gives u a task on deal d (or on nothing): a third overdue, a third due today with
// a reminder in the next hour, the rest later this month.
func addTask(ctx context.Context, a *app.App, g *gen, w *salesWorld, u *crm.User, d *crm.Deal) error {
	tt := taskTitles[g.rng.IntN(len(taskTitles))]
	in := app.TaskInput{Title: tt.title, Kind: tt.kind, AssigneeID: u.ID}
	if d != nil {
		in.Entity, in.RecordID = crm.EntityDeal, d.ID
	}
	var due, remind time.Time
	switch g.rng.IntN(3) {
	case 0:
		due = w.now.Add(-time.Duration(1+g.rng.IntN(10*24)) * time.Hour)
	case 1:
		remind = w.now.Add(time.Duration(2+g.rng.IntN(58)) * time.Minute)
		due = remind.Add(time.Hour)
		in.RemindAt = &remind
	default:
		due = w.now.Add(time.Duration(1+g.rng.IntN(25)) * 24 * time.Hour)
	}
	due = due.Truncate(time.Minute)
	in.DueAt = &due
	if _, err := a.CreateTask(userCtx(ctx, u), in); err != nil {
		return fmt.Errorf("task %q: %w", in.Title, err)
	}
	return nil
}
