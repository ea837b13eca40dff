// Package demo fills an empty database with realistic Russian B2B data for trying Ladder out:
// sales directorates, products and services, a user of every role, projects, and a sales
// picture (companies, contacts, deals, contracts, tasks); the large size adds a million
// contacts for trying lists and measuring speed.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Password is the password of every demo account; the login page shows it in demo mode.
const Password = "ladder-demo"

// Account is one demo login.
type Account struct {
	Login string
	Name  string
	Role  crm.Role
	// Directorates by index into directorateNames; the first is the default.
	Directorates []int
}

var directorateNames = []string{
	"Дирекция по работе с госсектором",
	"Дирекция корпоративных продаж",
	"Дирекция по работе с партнёрами",
	"Дирекция цифровых решений",
}

// Accounts are the demo users, one or more of every role.
var Accounts = []Account{
	{"sales", "Смирнова Анна Игоревна", crm.RoleSales, []int{0}},
	{"manager", "Кузнецов Дмитрий Олегович", crm.RoleManager, []int{1, 0}},
	{"marketeer", "Волкова Екатерина Андреевна", crm.RoleMarketeer, []int{0, 1, 2}},
	{"pam", "Соколов Артём Викторович", crm.RolePAM, []int{2}},
	{"presale", "Морозов Илья Сергеевич", crm.RolePresale, []int{3}},
	{"certificates", "Лебедева Ольга Павловна", crm.RoleCertificateManager, []int{3, 1}},
	{"auditor", "Новиков Павел Алексеевич", crm.RoleReadAdmin, nil},
	{"crmadmin", "Фёдорова Марина Николаевна", crm.RoleCRMAdmin, []int{0}},
}

var products = []struct {
	name  string
	kind  crm.ProductKind
	code  string
	price int64 // roubles
	dirs  []int
}{
	{"Платформа ITSM (лицензия на 100 пользователей)", crm.KindProduct, "ITSM-100", 2400000, []int{0, 1}},
	{"Платформа ITSM (лицензия на 500 пользователей)", crm.KindProduct, "ITSM-500", 9800000, []int{0, 1}},
	{"Внедрение и настройка ITSM", crm.KindService, "SRV-IMPL", 3500000, []int{0, 1, 3}},
	{"Техническая поддержка 24×7 (год)", crm.KindService, "SRV-SUP", 1200000, []int{0, 1, 2, 3}},
	{"Обучение администраторов", crm.KindService, "SRV-EDU", 180000, []int{2, 3}},
	{"Модуль управления активами", crm.KindProduct, "ITAM", 1600000, []int{1, 3}},
	{"Партнёрская сертификация", crm.KindService, "PRT-CERT", 95000, []int{2}},
	{"Аудит ИТ-процессов", crm.KindService, "SRV-AUDIT", 650000, []int{0, 3}},
}

var projectNames = []string{
	"Импортозамещение Service Desk", "Выставка «ЦИПР»", "Пилот ITSM для регионального МФЦ",
	"Партнёрская конференция", "Вебинар «Управление активами»", "Модернизация ИТ-поддержки банка",
	"Тендер: техподдержка министерства", "Семинар для ИТ-директоров", "Расширение лицензий холдинга",
	"Программа обучения партнёров", "Кейс-стади: цифровой офис", "Миграция с зарубежной платформы",
}

// Summary says what Fill made.
type Summary struct {
	Directorates, Products, Users, Projects                int
	Companies, Contacts, Deals, Contracts, Payments, Tasks int
	Skipped                                                bool // the database already had data
}

// Options tune Fill beyond the size.
type Options struct {
	// Large overrides the counts of the large size (tests and benchmarks use smaller ones).
	Large *LargeSize
	// Progress is told how many of the large size's companies are written.
	Progress Progress
}

// Fill adds demo data unless the database already holds directorates. size is "small" or
// "large" (large adds LargeDefault's million contacts through the bulk writes).
func Fill(ctx context.Context, a *app.App, size string) (Summary, error) {
	return FillWith(ctx, a, size, Options{})
}

// FillWith is Fill with options.
func FillWith(ctx context.Context, a *app.App, size string, opt Options) (Summary, error) {
	var sum Summary
	ctx = app.WithActor(ctx, app.System)
	existing, err := a.ListDirectorates(ctx, crm.DirectorateFilter{Page: crm.PageRequest{Limit: 1}})
	if err != nil {
		return sum, err
	}
	if len(existing.Items) > 0 {
		sum.Skipped = true
		return sum, nil
	}
	nProjects := 40
	switch size {
	case "", "small", "large":
	default:
		return sum, fmt.Errorf("demo size %q: use small or large", size)
	}
	dirIDs := make([]int64, len(directorateNames))
	for i, name := range directorateNames {
		d, err := a.CreateDirectorate(ctx, app.DirectorateInput{Name: name, Active: true})
		if err != nil {
			return sum, fmt.Errorf("directorate %q: %w", name, err)
		}
		dirIDs[i] = d.ID
		sum.Directorates++
	}
	productIDs := make([]int64, 0, len(products))
	for _, p := range products {
		pr, err := a.CreateProduct(ctx, app.ProductInput{Name: p.name, Kind: p.kind, Code: p.code,
			PriceMinor: p.price * 100, Currency: "RUB", Directorates: pick(dirIDs, p.dirs), Active: true})
		if err != nil {
			return sum, fmt.Errorf("product %q: %w", p.name, err)
		}
		productIDs = append(productIDs, pr.ID)
		sum.Products++
	}
	var users []*crm.User
	for _, acc := range Accounts {
		u, err := a.CreateUser(ctx, app.UserInput{Login: acc.Login, Email: acc.Login + "@ladder.example",
			FullName: acc.Name, Password: Password, Roles: []crm.Role{acc.Role},
			Directorates: pick(dirIDs, acc.Directorates), Active: true})
		if err != nil {
			return sum, fmt.Errorf("user %q: %w", acc.Login, err)
		}
		users = append(users, u)
		sum.Users++
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	start := time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
	for i := 0; i < nProjects; i++ {
		u := users[rng.IntN(6)] // the six roles that create business records
		from := crm.Date{Time: start.AddDate(0, 0, rng.IntN(330))}
		to := crm.Date{Time: from.AddDate(0, 0, 14+rng.IntN(120))}
		status := crm.ProjectActive
		if to.Before(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) && rng.IntN(3) > 0 {
			status = crm.ProjectClosed
		}
		name := projectNames[i%len(projectNames)]
		if i >= len(projectNames) {
			name = fmt.Sprintf("%s №%d", name, i/len(projectNames)+1)
		}
		uctx := app.WithActor(ctx, &app.Actor{User: u})
		_, err := a.CreateProject(uctx, app.ProjectInput{Name: name, ResponsibleID: &u.ID, DateFrom: &from, DateTo: &to,
			Status: status, Description: "Демонстрационный проект"})
		if err != nil {
			return sum, fmt.Errorf("project %q: %w", name, err)
		}
		sum.Projects++
	}
	w := &salesWorld{users: users, dirIDs: dirIDs, products: productIDs, now: time.Now().UTC()}
	if err := fillSales(ctx, a, w, &sum); err != nil {
		return sum, err
	}
	if size == "large" {
		if err := fillLarge(ctx, a, w, opt, &sum); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// fillLarge adds the large size's mass of records, owned by the six business users.
func fillLarge(ctx context.Context, a *app.App, w *salesWorld, opt Options, sum *Summary) error {
	size := LargeDefault
	if opt.Large != nil {
		size = *opt.Large
	}
	topics, err := a.ActiveTopics(ctx)
	if err != nil {
		return err
	}
	topic, err := a.Topic(ctx, topics[0].ID)
	if err != nil {
		return err
	}
	owners := LargeOwners{Users: w.users[:6], Products: map[int64][]int64{}}
	for i, p := range products {
		for _, d := range p.dirs {
			owners.Products[w.dirIDs[d]] = append(owners.Products[w.dirIDs[d]], w.products[i])
		}
	}
	if err := FillLarge(ctx, a.Store(), topic, owners, size, opt.Progress); err != nil {
		return err
	}
	// Planner statistics for the new million rows, as autovacuum or a periodic ANALYZE would
	// gather on a database that has been running: without them the first lists guess badly.
	if an, ok := a.Store().(interface{ Analyze(context.Context) error }); ok {
		if err := an.Analyze(ctx); err != nil {
			return err
		}
	}
	sum.Companies += size.Companies
	sum.Contacts += size.Contacts
	sum.Deals += size.Deals
	return nil
}

// LiveAccounts returns the demo accounts that exist, are active and still have the demo
// password.
func LiveAccounts(ctx context.Context, a *app.App) ([]Account, error) {
	var out []Account
	for _, acc := range Accounts {
		ok, err := a.HasPassword(ctx, acc.Login, Password)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, acc)
		}
	}
	return out, nil
}

func pick(ids []int64, idx []int) []int64 {
	out := make([]int64, len(idx))
	for i, k := range idx {
		out[i] = ids[k]
	}
	return out
}
