package storetest

import (
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
)

var dealTests = []storeTest{
	{"DealRoundTrip", testDealRoundTrip},
	{"DealStageHistory", testDealStageHistory},
	{"DealFilters", testDealFilters},
	{"DealSorts", testDealSorts},
	{"DealStageSummaries", testDealStageSummaries},
	{"DealBoardColumnNoTotal", testDealBoardColumn},
	{"DealPartyFilters", testDealPartyFilters},
	{"Contracts", testContracts},
	{"ContractFiltersAndIncome", testContractIncome},
	{"ContractSorts", testContractSorts},
}

// newDealTopic makes a topic of its own for one test: two open stages, won, lost.
func newDealTopic(t *testing.T, db *store.DB) *crm.Topic {
	t.Helper()
	tp := &crm.Topic{Name: unique("Тема сделок "), Active: true, Stages: []crm.Stage{
		{NameRU: "Первичный контакт", Kind: crm.StageOpen, Probability: 10},
		{NameRU: "Предложение", Kind: crm.StageOpen, Probability: 60,
			TaskChain: []crm.StageTask{{Title: "Отправить КП", DueDays: 2, Kind: "task"}}},
		{NameRU: "Договор заключён", Kind: crm.StageWon, Probability: 100},
		{NameRU: "Отказ", Kind: crm.StageLost},
	}}
	must(t, db.CreateTopic(ctx, tp))
	return tp
}

func newDeal(t *testing.T, db *store.DB, tp *crm.Topic, stage int, name string, amount int64, change func(d *crm.Deal)) *crm.Deal {
	t.Helper()
	d := &crm.Deal{Name: name, TopicID: tp.ID, StageID: tp.Stages[stage].ID, Status: crm.DealOpen, Amount: amount,
		Currency: crm.BaseCurrency, Probability: tp.Stages[stage].Probability, Tags: []string{}, Attributes: crm.Attributes{}}
	if change != nil {
		change(d)
	}
	must(t, db.CreateDeal(ctx, d))
	return d
}

func testDealRoundTrip(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("Deal-dir "))
	u := newUser(t, db, crm.Roles{crm.RoleSales}, dir.ID)
	tp := newDealTopic(t, db)
	close, _ := crm.ParseDate("2026-12-15")
	pr := &crm.Product{Name: unique("Лицензия "), Kind: crm.KindProduct, Code: unique("LIC-"), Active: true, Currency: crm.BaseCurrency}
	must(t, db.CreateProduct(ctx, pr))
	d := newDeal(t, db, tp, 0, "ООО «Ромашка» — внедрение", 1_250_000_50, func(d *crm.Deal) {
		d.ResponsibleID, d.DirectorateID, d.ExpectedClose, d.CreatedBy = &u.ID, &dir.ID, &close, &u.ID
		d.Type, d.Tags = "sale", []string{"госсектор", "приоритет"}
		d.Attributes = crm.Attributes{"region": "Москва", "seats": 40.0, "pilot": true}
		d.Description = "Пилот на 40 мест"
		d.Lines = []crm.DealLine{
			{ProductID: &pr.ID, Description: "Лицензия", Quantity: 40, Price: 25_000_00, Amount: 1_000_000_00},
			{Description: "Внедрение", Quantity: 1, Price: 250_000_50, Amount: 250_000_50},
		}
	})
	got, err := db.DealByID(ctx, d.ID)
	must(t, err)
	if got.Name != d.Name || got.Amount != 1_250_000_50 || got.ExpectedClose.String() != "2026-12-15" ||
		*got.ResponsibleID != u.ID || *got.DirectorateID != dir.ID || got.Type != "sale" || got.Status != crm.DealOpen ||
		got.StageID != tp.Stages[0].ID || got.Probability != 10 || got.ProbabilityManual || got.Version != 1 {
		t.Fatalf("round trip: %+v", got)
	}
	if len(got.Tags) != 2 || got.Tags[0] != "госсектор" || got.Attributes["region"] != "Москва" ||
		got.Attributes["seats"] != 40.0 || got.Attributes["pilot"] != true {
		t.Fatalf("tags/attributes: %v %v", got.Tags, got.Attributes)
	}
	if len(got.Lines) != 2 || *got.Lines[0].ProductID != pr.ID || got.Lines[1].Amount != 250_000_50 || got.Lines[0].ID == 0 {
		t.Fatalf("lines: %+v", got.Lines)
	}
	if time.Since(got.StageEnteredAt) > time.Minute || got.StageEnteredAt.Location() != time.UTC || got.ClosedAt != nil {
		t.Fatalf("stage entered %v, closed %v", got.StageEnteredAt, got.ClosedAt)
	}

	// Update rewrites the lines and the tags, clears nullable columns, and checks the version.
	got.Lines = []crm.DealLine{{Description: "Техподдержка", Quantity: 12, Price: 10_000_00, Amount: 120_000_00}}
	got.Tags = []string{"продление"}
	got.ExpectedClose, got.DirectorateID = nil, nil
	now := time.Now().UTC().Truncate(time.Second)
	got.Status, got.ClosedAt, got.LostAtStageID, got.LossReason = crm.DealLost, &now, &tp.Stages[0].ID, "too_expensive"
	got.StageID = tp.Stages[3].ID
	must(t, db.UpdateDeal(ctx, got))
	if got.Version != 2 {
		t.Fatalf("version = %d", got.Version)
	}
	again, err := db.DealByID(ctx, d.ID)
	must(t, err)
	if len(again.Lines) != 1 || again.Lines[0].Description != "Техподдержка" || again.ExpectedClose != nil ||
		again.DirectorateID != nil || len(again.Tags) != 1 || again.Status != crm.DealLost ||
		again.ClosedAt == nil || !again.ClosedAt.Equal(now) || *again.LostAtStageID != tp.Stages[0].ID || again.LossReason != "too_expensive" {
		t.Fatalf("after update: %+v", again)
	}
	stale := *again
	stale.Version = 1
	wantCode(t, db.UpdateDeal(ctx, &stale), crm.EConflict)

	// The tag index follows the rewrite: the old tag finds nothing, the new one the deal.
	page, err := db.ListDeals(ctx, crm.DealFilter{TopicID: tp.ID, Tag: "госсектор"})
	must(t, err)
	if len(page.Items) != 0 {
		t.Fatalf("old tag still indexed: %d", len(page.Items))
	}
	page, err = db.ListDeals(ctx, crm.DealFilter{TopicID: tp.ID, Tag: "продление"})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].ID != d.ID || len(page.Items[0].Lines) != 0 {
		t.Fatalf("tag filter: %+v", page.Items)
	}

	// Soft delete hides it from the live list and shows it in the trash.
	must(t, db.SoftDelete(ctx, crm.EntityDeal, d.ID, again.Version, u.ID))
	page, _ = db.ListDeals(ctx, crm.DealFilter{TopicID: tp.ID})
	trash, _ := db.ListDeals(ctx, crm.DealFilter{TopicID: tp.ID, Deleted: true})
	if len(page.Items) != 0 || len(trash.Items) != 1 {
		t.Fatalf("live %d, trash %d", len(page.Items), len(trash.Items))
	}
}

func testDealStageHistory(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleSales})
	tp := newDealTopic(t, db)
	d := newDeal(t, db, tp, 0, "История", 0, func(d *crm.Deal) { d.CreatedBy = &u.ID })
	hist, err := db.StageHistory(ctx, d.ID)
	must(t, err)
	if len(hist) != 1 || hist[0].FromStageID != nil || hist[0].ToStageID != tp.Stages[0].ID || *hist[0].By != u.ID {
		t.Fatalf("first row: %+v", hist)
	}
	at := time.Now().UTC().Add(time.Hour).Truncate(time.Microsecond)
	c := &crm.StageChange{DealID: d.ID, FromStageID: &tp.Stages[0].ID, ToStageID: tp.Stages[1].ID, At: at, By: &u.ID}
	must(t, db.AddStageChange(ctx, c))
	if c.ID == 0 {
		t.Fatal("no id")
	}
	hist, err = db.StageHistory(ctx, d.ID)
	must(t, err)
	if len(hist) != 2 || *hist[1].FromStageID != tp.Stages[0].ID || hist[1].ToStageID != tp.Stages[1].ID || !hist[1].At.Equal(at) {
		t.Fatalf("history: %+v", hist)
	}
	none, err := db.StageHistory(ctx, d.ID+100000)
	must(t, err)
	if len(none) != 0 {
		t.Fatal("history of a missing deal")
	}
}

func testDealFilters(t *testing.T, db *store.DB) {
	d1 := newDirectorate(t, db, unique("Deal-f1 "))
	d2 := newDirectorate(t, db, unique("Deal-f2 "))
	u1 := newUser(t, db, crm.Roles{crm.RoleSales}, d1.ID)
	u2 := newUser(t, db, crm.Roles{crm.RoleSales}, d2.ID)
	tp := newDealTopic(t, db)
	other := newDealTopic(t, db)
	jan, _ := crm.ParseDate("2027-01-20")
	mar, _ := crm.ParseDate("2027-03-05")
	a := newDeal(t, db, tp, 0, "Поставка серверов «Альфа»", 100, func(d *crm.Deal) {
		d.DirectorateID, d.ResponsibleID, d.ExpectedClose, d.Type = &d1.ID, &u1.ID, &jan, "sale"
		d.Tags, d.Attributes = []string{"железо"}, crm.Attributes{"region": "Казань", "seats": 10.0, "pilot": true}
	})
	b := newDeal(t, db, tp, 1, "Сопровождение «Бета»", 200, func(d *crm.Deal) {
		d.DirectorateID, d.ResponsibleID, d.ExpectedClose, d.Type = &d2.ID, &u2.ID, &mar, "services"
		d.Status = crm.DealOnHold
		d.Attributes = crm.Attributes{"region": "Москва", "seats": 25.5}
	})
	c := newDeal(t, db, tp, 2, "Лицензии «Гамма»", 300, func(d *crm.Deal) {
		d.DirectorateID, d.Status = &d1.ID, crm.DealWon
	})
	x := newDeal(t, db, other, 0, "Чужая тема", 400, nil)

	check := func(name string, f crm.DealFilter, want ...*crm.Deal) {
		t.Helper()
		if f.TopicID == 0 && len(f.IDs) == 0 {
			f.IDs = []int64{a.ID, b.ID, c.ID, x.ID}
		}
		page, err := db.ListDeals(ctx, f)
		must(t, err)
		got := map[int64]bool{}
		for _, d := range page.Items {
			got[d.ID] = true
		}
		if len(got) != len(want) || page.Total != len(want) {
			t.Fatalf("%s: got %v (total %d), want %d rows", name, got, page.Total, len(want))
		}
		for _, d := range want {
			if !got[d.ID] {
				t.Fatalf("%s: %q missing from %v", name, d.Name, got)
			}
		}
	}
	check("topic", crm.DealFilter{TopicID: tp.ID}, a, b, c)
	check("ids", crm.DealFilter{IDs: []int64{a.ID, x.ID}}, a, x)
	check("stage", crm.DealFilter{TopicID: tp.ID, StageID: tp.Stages[1].ID}, b)
	check("status", crm.DealFilter{TopicID: tp.ID, Status: crm.DealOnHold}, b)
	check("type", crm.DealFilter{TopicID: tp.ID, Type: "sale"}, a)
	check("directorate", crm.DealFilter{TopicID: tp.ID, DirectorateID: d1.ID}, a, c)
	check("responsible", crm.DealFilter{TopicID: tp.ID, ResponsibleID: u2.ID}, b)
	check("tag", crm.DealFilter{TopicID: tp.ID, Tag: "железо"}, a)
	from, _ := crm.ParseDate("2027-02-01")
	to, _ := crm.ParseDate("2027-03-05")
	check("close from", crm.DealFilter{TopicID: tp.ID, CloseFrom: &from}, b)
	check("close to", crm.DealFilter{TopicID: tp.ID, CloseTo: &from}, a)
	check("close range inclusive", crm.DealFilter{TopicID: tp.ID, CloseFrom: &jan, CloseTo: &to}, a, b)
	today := crm.Date{Time: time.Now().UTC().Truncate(24 * time.Hour)}
	yesterday := crm.Date{Time: today.AddDate(0, 0, -1)}
	check("created today", crm.DealFilter{TopicID: tp.ID, CreatedFrom: &today, CreatedTo: &today}, a, b, c)
	check("created before today", crm.DealFilter{TopicID: tp.ID, CreatedTo: &yesterday})
	check("search", crm.DealFilter{TopicID: tp.ID, Q: "БЕТА"}, b)
	check("attr text", crm.DealFilter{TopicID: tp.ID, Attr: map[string]string{"region": "Казань"}}, a)
	check("attr number", crm.DealFilter{TopicID: tp.ID, Attr: map[string]string{"seats": "25.5"}}, b)
	check("attr flag", crm.DealFilter{TopicID: tp.ID, Attr: map[string]string{"pilot": "true"}}, a)
	check("attr two", crm.DealFilter{TopicID: tp.ID, Attr: map[string]string{"region": "Москва", "seats": "10"}})
	check("attr key with quote", crm.DealFilter{TopicID: tp.ID, Attr: map[string]string{`re"gion`: "Казань"}})
}

func testDealSorts(t *testing.T, db *store.DB) {
	tp := newDealTopic(t, db)
	names := []string{"Бета", "Альфа", "Гамма", "Альфа", "Дельта"}
	closes := []string{"", "2027-05-01", "2027-01-01", "", "2027-05-01"}
	for i, n := range names {
		newDeal(t, db, tp, i%2, n, int64(i%3)*1000, func(d *crm.Deal) {
			if closes[i] != "" {
				c, _ := crm.ParseDate(closes[i])
				d.ExpectedClose = &c
			}
		})
	}
	for _, sort := range []string{"name", "amount", "expected_close", "created_at", "updated_at", "stage_entered_at", "id"} {
		for _, desc := range []bool{false, true} {
			seen := map[int64]bool{}
			after := ""
			var prev *crm.Deal
			for pages := 0; ; pages++ {
				page, err := db.ListDeals(ctx, crm.DealFilter{TopicID: tp.ID,
					Page: crm.PageRequest{Limit: 2, After: after, Sort: sort, Desc: desc}})
				must(t, err)
				for i := range page.Items {
					d := &page.Items[i]
					if seen[d.ID] {
						t.Fatalf("sort %s desc=%v: %d twice", sort, desc, d.ID)
					}
					seen[d.ID] = true
					if prev != nil && sort == "amount" && ((!desc && d.Amount < prev.Amount) || (desc && d.Amount > prev.Amount)) {
						t.Fatalf("amount out of order")
					}
					if prev != nil && sort == "name" && ((!desc && d.Name < prev.Name) || (desc && d.Name > prev.Name)) {
						t.Fatalf("name out of order")
					}
					prev = d
				}
				if page.Next == "" {
					break
				}
				after = page.Next
				if pages > 10 {
					t.Fatal("pagination does not end")
				}
			}
			if len(seen) != len(names) {
				t.Fatalf("sort %s desc=%v: saw %d of %d", sort, desc, len(seen), len(names))
			}
		}
	}
	_, err := db.ListDeals(ctx, crm.DealFilter{Page: crm.PageRequest{Sort: "search"}})
	wantCode(t, err, crm.EInvalid)
}

func testDealStageSummaries(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("Deal-sum "))
	tp := newDealTopic(t, db)
	newDeal(t, db, tp, 0, "Один", 100_00, nil)
	newDeal(t, db, tp, 0, "Два", 250_50, func(d *crm.Deal) { d.DirectorateID = &dir.ID })
	newDeal(t, db, tp, 2, "Три", 1_000_00, func(d *crm.Deal) { d.Status = crm.DealWon })
	gone := newDeal(t, db, tp, 2, "Удалённая", 5_000_00, nil)
	must(t, db.SoftDelete(ctx, crm.EntityDeal, gone.ID, gone.Version, 0))
	sums, err := db.StageSummaries(ctx, crm.DealFilter{TopicID: tp.ID})
	must(t, err)
	by := map[int64]crm.StageSummary{}
	for _, s := range sums {
		by[s.StageID] = s
	}
	if len(sums) != 2 || by[tp.Stages[0].ID].Count != 2 || by[tp.Stages[0].ID].Amount != 350_50 ||
		by[tp.Stages[2].ID].Count != 1 || by[tp.Stages[2].ID].Amount != 1_000_00 {
		t.Fatalf("summaries: %+v", sums)
	}
	sums, err = db.StageSummaries(ctx, crm.DealFilter{TopicID: tp.ID, DirectorateID: dir.ID})
	must(t, err)
	if len(sums) != 1 || sums[0].Count != 1 || sums[0].Amount != 250_50 {
		t.Fatalf("filtered summaries: %+v", sums)
	}
}

func testDealBoardColumn(t *testing.T, db *store.DB) {
	tp := newDealTopic(t, db)
	base := time.Now().UTC().Add(-time.Hour).Truncate(time.Microsecond)
	var ids []int64
	for i := 0; i < 5; i++ {
		d := newDeal(t, db, tp, 1, unique("Карточка "), 10, func(d *crm.Deal) { d.StageEnteredAt = base.Add(time.Duration(i) * time.Minute) })
		ids = append(ids, d.ID)
	}
	newDeal(t, db, tp, 0, "Другая колонка", 10, nil)
	var got []int64
	after := ""
	for {
		page, err := db.ListDeals(ctx, crm.DealFilter{TopicID: tp.ID, StageID: tp.Stages[1].ID,
			Page: crm.PageRequest{Limit: 2, After: after, Sort: "stage_entered_at", Desc: true, NoTotal: true}})
		must(t, err)
		if page.Total != -1 {
			t.Fatalf("total = %d, want -1 (not counted)", page.Total)
		}
		for _, d := range page.Items {
			got = append(got, d.ID)
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	// Newest on the stage first.
	if len(got) != 5 || got[0] != ids[4] || got[4] != ids[0] {
		t.Fatalf("column order %v, created %v", got, ids)
	}
}

func testDealPartyFilters(t *testing.T, db *store.DB) {
	tp := newDealTopic(t, db)
	co := newCompany(t, db, unique("ООО Сделочная "), nil)
	other := newCompany(t, db, unique("ООО Другая "), nil)
	ct := newContact(t, db, "Иванов", unique("Пётр"), func(c *crm.Contact) { c.CompanyID = &co.ID })
	a := newDeal(t, db, tp, 0, "С компанией и контактом", 1, func(d *crm.Deal) { d.CompanyID, d.ContactID = &co.ID, &ct.ID })
	b := newDeal(t, db, tp, 0, "С другой компанией", 1, func(d *crm.Deal) { d.CompanyID = &other.ID })
	page, err := db.ListDeals(ctx, crm.DealFilter{TopicID: tp.ID, CompanyID: co.ID})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].ID != a.ID || *page.Items[0].ContactID != ct.ID {
		t.Fatalf("company filter: %+v", page.Items)
	}
	page, err = db.ListDeals(ctx, crm.DealFilter{TopicID: tp.ID, ContactID: ct.ID})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].ID != a.ID {
		t.Fatalf("contact filter: %+v", page.Items)
	}
	page, err = db.ListDeals(ctx, crm.DealFilter{CompanyID: other.ID})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].ID != b.ID {
		t.Fatalf("other company: %+v", page.Items)
	}
}

func newContract(t *testing.T, db *store.DB, number, day string, companyID int64, status crm.ContractStatus, amount int64, change func(c *crm.Contract)) *crm.Contract {
	t.Helper()
	d, err := crm.ParseDate(day)
	must(t, err)
	c := &crm.Contract{Number: number, Date: d, CompanyID: companyID, Status: status, Amount: amount, Currency: crm.BaseCurrency}
	if status == crm.ContractSigned || status == crm.ContractCompleted {
		at := d.Add(10 * time.Hour)
		c.SignedAt = &at
	}
	if change != nil {
		change(c)
	}
	must(t, db.CreateContract(ctx, c))
	return c
}

func testContracts(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("Contract-dir "))
	u := newUser(t, db, crm.Roles{crm.RoleSales}, dir.ID)
	co := newCompany(t, db, unique("АО Заказчик "), nil)
	tp := newDealTopic(t, db)
	deal := newDeal(t, db, tp, 2, "Выигранная", 500_000_00, func(d *crm.Deal) { d.CompanyID = &co.ID })
	num := unique("Д-")
	c := newContract(t, db, num, "2026-04-10", co.ID, crm.ContractSigned, 500_000_00, func(c *crm.Contract) {
		c.DealID, c.TopicID, c.ResponsibleID, c.DirectorateID, c.CreatedBy = &deal.ID, &tp.ID, &u.ID, &dir.ID, &u.ID
		c.Description = "Поставка и внедрение"
	})
	got, err := db.ContractByID(ctx, c.ID)
	must(t, err)
	if got.Number != num || got.Date.String() != "2026-04-10" || got.CompanyID != co.ID || *got.DealID != deal.ID ||
		*got.TopicID != tp.ID || got.Status != crm.ContractSigned || got.SignedAt == nil || got.Paid != 0 ||
		len(got.Payments) != 0 || *got.DirectorateID != dir.ID || got.Version != 1 {
		t.Fatalf("round trip: %+v", got)
	}

	// The number is unique within the contract's year, not across years.
	_, err = func() (*crm.Contract, error) {
		d, _ := crm.ParseDate("2026-11-01")
		dup := &crm.Contract{Number: num, Date: d, CompanyID: co.ID, Status: crm.ContractDraft, Currency: crm.BaseCurrency}
		return dup, db.CreateContract(ctx, dup)
	}()
	wantCode(t, err, crm.EInvalid)
	if crm.ErrorFields(err)["number"] != "err.unique" {
		t.Fatalf("duplicate number fields: %v", crm.ErrorFields(err))
	}
	next := newContract(t, db, num, "2027-01-15", co.ID, crm.ContractDraft, 0, nil)

	// Payments add up; deleting one takes it off.
	p1 := &crm.Payment{PaidOn: mustDate(t, "2026-04-20"), Amount: 200_000_00, Note: "Аванс"}
	p2 := &crm.Payment{PaidOn: mustDate(t, "2026-05-20"), Amount: 100_000_50}
	must(t, db.AddPayment(ctx, c.ID, p1, u.ID))
	must(t, db.AddPayment(ctx, c.ID, p2, u.ID))
	got, err = db.ContractByID(ctx, c.ID)
	must(t, err)
	if got.Paid != 300_000_50 || len(got.Payments) != 2 || got.Payments[0].Note != "Аванс" || got.Payments[1].PaidOn.String() != "2026-05-20" {
		t.Fatalf("payments: paid %d, %+v", got.Paid, got.Payments)
	}
	wantCode(t, db.DeletePayment(ctx, next.ID, p1.ID), crm.ENotFound) // not that contract's payment
	must(t, db.DeletePayment(ctx, c.ID, p1.ID))
	got, _ = db.ContractByID(ctx, c.ID)
	if got.Paid != 100_000_50 || len(got.Payments) != 1 {
		t.Fatalf("after delete: %d %+v", got.Paid, got.Payments)
	}

	// Update checks the version, moves the year and keeps the number's uniqueness.
	got.Status, got.SignedAt, got.DealID = crm.ContractCompleted, nil, nil
	got.Date = mustDate(t, "2027-02-01")
	err = db.UpdateContract(ctx, got)
	wantCode(t, err, crm.EInvalid) // the same number already lives in 2027
	if crm.ErrorFields(err)["number"] != "err.unique" {
		t.Fatalf("update duplicate fields: %v", crm.ErrorFields(err))
	}
	got.Number = num + "/1"
	must(t, db.UpdateContract(ctx, got))
	again, _ := db.ContractByID(ctx, c.ID)
	if again.Version != 2 || again.Status != crm.ContractCompleted || again.SignedAt != nil || again.DealID != nil || again.Date.String() != "2027-02-01" {
		t.Fatalf("after update: %+v", again)
	}
	stale := *again
	stale.Version = 1
	wantCode(t, db.UpdateContract(ctx, &stale), crm.EConflict)

	// A deleted contract frees its number.
	must(t, db.SoftDelete(ctx, crm.EntityContract, next.ID, next.Version, u.ID))
	newContract(t, db, num, "2027-03-01", co.ID, crm.ContractDraft, 0, nil)
	page, err := db.ListContracts(ctx, crm.ContractFilter{CompanyID: co.ID, Deleted: true})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].ID != next.ID {
		t.Fatalf("trash: %+v", page.Items)
	}
}

func mustDate(t *testing.T, s string) crm.Date {
	t.Helper()
	d, err := crm.ParseDate(s)
	must(t, err)
	return d
}

func testContractIncome(t *testing.T, db *store.DB) {
	d1 := newDirectorate(t, db, unique("Income-1 "))
	d2 := newDirectorate(t, db, unique("Income-2 "))
	co := newCompany(t, db, unique("ООО Доходная "), nil)
	u := newUser(t, db, crm.Roles{crm.RoleSales}, d1.ID)
	tp := newDealTopic(t, db)
	deal := newDeal(t, db, tp, 2, "Источник", 0, func(d *crm.Deal) { d.CompanyID = &co.ID })
	at := func(dir *crm.Directorate) func(c *crm.Contract) {
		return func(c *crm.Contract) { c.DirectorateID = &dir.ID }
	}
	signed := newContract(t, db, unique("И-"), "2026-02-01", co.ID, crm.ContractSigned, 100_00, func(c *crm.Contract) {
		c.DirectorateID, c.ResponsibleID, c.DealID = &d1.ID, &u.ID, &deal.ID
	})
	done := newContract(t, db, unique("И-"), "2026-03-01", co.ID, crm.ContractCompleted, 200_00, at(d1))
	draft := newContract(t, db, unique("И-"), "2026-04-01", co.ID, crm.ContractDraft, 400_00, at(d2))
	cancelled := newContract(t, db, unique("И-"), "2026-05-01", co.ID, crm.ContractCancelled, 800_00, at(d2))
	gone := newContract(t, db, unique("И-"), "2026-06-01", co.ID, crm.ContractSigned, 1600_00, at(d1))
	must(t, db.AddPayment(ctx, signed.ID, &crm.Payment{PaidOn: mustDate(t, "2026-02-10"), Amount: 50_00}, u.ID))
	must(t, db.AddPayment(ctx, draft.ID, &crm.Payment{PaidOn: mustDate(t, "2026-04-10"), Amount: 7_00}, u.ID))
	must(t, db.AddPayment(ctx, gone.ID, &crm.Payment{PaidOn: mustDate(t, "2026-06-10"), Amount: 1_00}, u.ID))
	must(t, db.SoftDelete(ctx, crm.EntityContract, gone.ID, gone.Version, u.ID))

	total := func(name string, f crm.ContractFilter, income, paid int64) {
		t.Helper()
		f.CompanyID = co.ID
		got, err := db.Income(ctx, f)
		must(t, err)
		if got.Income != income || got.Paid != paid {
			t.Fatalf("%s: income %d paid %d, want %d %d", name, got.Income, got.Paid, income, paid)
		}
	}
	// R39: only signed and completed count as income; the deleted one not at all.
	total("all", crm.ContractFilter{}, 300_00, 57_00)
	total("directorate", crm.ContractFilter{DirectorateID: d2.ID}, 0, 7_00)
	total("status", crm.ContractFilter{Status: crm.ContractCompleted}, 200_00, 0)
	from, to := mustDate(t, "2026-02-15"), mustDate(t, "2026-04-01")
	total("date range", crm.ContractFilter{DateFrom: &from, DateTo: &to}, 200_00, 7_00)
	total("deal", crm.ContractFilter{DealID: deal.ID}, 100_00, 50_00)
	total("responsible", crm.ContractFilter{ResponsibleID: u.ID}, 100_00, 50_00)

	check := func(name string, f crm.ContractFilter, want ...*crm.Contract) {
		t.Helper()
		f.CompanyID = co.ID
		page, err := db.ListContracts(ctx, f)
		must(t, err)
		if len(page.Items) != len(want) || page.Total != len(want) {
			t.Fatalf("%s: %d rows, want %d", name, len(page.Items), len(want))
		}
		got := map[int64]crm.Contract{}
		for _, c := range page.Items {
			got[c.ID] = c
		}
		for _, c := range want {
			if _, ok := got[c.ID]; !ok {
				t.Fatalf("%s: %s missing", name, c.Number)
			}
		}
	}
	check("live", crm.ContractFilter{}, signed, done, draft, cancelled)
	check("status", crm.ContractFilter{Status: crm.ContractCancelled}, cancelled)
	check("search", crm.ContractFilter{Q: signed.Number}, signed)
	check("date", crm.ContractFilter{DateFrom: &from, DateTo: &to}, done, draft)
	page, _ := db.ListContracts(ctx, crm.ContractFilter{CompanyID: co.ID, DealID: deal.ID})
	if len(page.Items) != 1 || page.Items[0].Paid != 50_00 || len(page.Items[0].Payments) != 0 {
		t.Fatalf("paid in list: %+v", page.Items)
	}
}

func testContractSorts(t *testing.T, db *store.DB) {
	co := newCompany(t, db, unique("ООО Сортировка "), nil)
	days := []string{"2026-01-05", "2025-12-31", "2026-01-05", "2026-07-01"}
	for i, d := range days {
		newContract(t, db, unique("С-"), d, co.ID, crm.ContractDraft, int64(i%2)*100, nil)
	}
	for _, sort := range []string{"number", "date", "amount", "status", "created_at", "updated_at", "id"} {
		for _, desc := range []bool{false, true} {
			seen := map[int64]bool{}
			after := ""
			prev := ""
			for pages := 0; ; pages++ {
				page, err := db.ListContracts(ctx, crm.ContractFilter{CompanyID: co.ID,
					Page: crm.PageRequest{Limit: 3, After: after, Sort: sort, Desc: desc}})
				must(t, err)
				for _, c := range page.Items {
					if seen[c.ID] {
						t.Fatalf("sort %s desc=%v: %d twice", sort, desc, c.ID)
					}
					seen[c.ID] = true
					if sort == "date" && prev != "" && ((!desc && c.Date.String() < prev) || (desc && c.Date.String() > prev)) {
						t.Fatalf("date out of order: %s after %s", c.Date, prev)
					}
					prev = c.Date.String()
				}
				if page.Next == "" {
					break
				}
				after = page.Next
				if pages > 10 {
					t.Fatal("pagination does not end")
				}
			}
			if len(seen) != len(days) {
				t.Fatalf("sort %s desc=%v: saw %d", sort, desc, len(seen))
			}
		}
	}
}
