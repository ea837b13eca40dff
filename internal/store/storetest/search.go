package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
)

var searchTests = []storeTest{
	{"BulkCreate", testBulkCreate},
	{"BulkCreateManyStatements", testBulkCreateManyStatements},
	{"Search", testSearch},
	{"SearchTypos", testSearchTypos},
}

// defaultStages reads the seeded topic's stages (first open, won, lost) with raw SQL, so that
// these tests do not wait on the topic store.
func defaultStages(t *testing.T, db *store.DB) (topic, open, won, lost int64) {
	t.Helper()
	must(t, db.Writer().QueryRowContext(ctx, "SELECT id FROM topics ORDER BY id LIMIT 1").Scan(&topic))
	for kind, dst := range map[string]*int64{"open": &open, "won": &won, "lost": &lost} {
		must(t, db.Writer().QueryRowContext(ctx, "SELECT MIN(id) FROM stages WHERE topic_id = $1 AND kind = $2", topic, kind).Scan(dst))
	}
	return
}

func bulkCompanies(t *testing.T, db *store.DB, cs ...*crm.Company) {
	t.Helper()
	must(t, db.InTx(ctx, func(r crm.Repo) error { return r.BulkCreateCompanies(ctx, cs) }))
}

func bulkContacts(t *testing.T, db *store.DB, cs ...*crm.Contact) {
	t.Helper()
	must(t, db.InTx(ctx, func(r crm.Repo) error { return r.BulkCreateContacts(ctx, cs) }))
}

func bulkDeals(t *testing.T, db *store.DB, ds ...*crm.Deal) {
	t.Helper()
	must(t, db.InTx(ctx, func(r crm.Repo) error { return r.BulkCreateDeals(ctx, ds) }))
}

func recordTermsOf(t *testing.T, db *store.DB, entity string, id int64) []string {
	t.Helper()
	rows, err := db.Writer().QueryContext(ctx, "SELECT term FROM record_terms WHERE entity = $1 AND record_id = $2 ORDER BY term", entity, id)
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		must(t, rows.Scan(&s))
		out = append(out, s)
	}
	must(t, rows.Err())
	return out
}

func testBulkCreate(t *testing.T, db *store.DB) {
	d := newDirectorate(t, db, unique("Дирекция массовых вставок "))
	u := newUser(t, db, crm.Roles{crm.RoleSales}, d.ID)
	topic, open, _, lost := defaultStages(t, db)
	created := time.Date(2026, 3, 14, 9, 30, 0, 123456000, time.UTC)

	co := &crm.Company{Name: "Ромашка", LegalName: "ООО «Ромашка»", INN: "7707083893", KPP: "770701001",
		Region: "Москва", Phones: []crm.Phone{{E164: "+74951234567", Raw: "8 (495) 123-45-67"}},
		Emails: []string{"info@romashka.ru"}, Tags: []string{"vip", "vip", "опт"}, DirectorateID: &d.ID,
		ResponsibleID: &u.ID, IsSupplier: true, Attributes: crm.Attributes{"segment": "A"}}
	co.CreatedBy = &u.ID
	co.CreatedAt = created
	plain := &crm.Company{Name: "Лютик"}
	bulkCompanies(t, db, co, plain)
	if co.ID == 0 || plain.ID != co.ID+1 || co.Version != 1 || !co.CreatedAt.Equal(created) || plain.CreatedAt.IsZero() {
		t.Fatalf("ids and meta not filled: %+v / %+v", co.Meta, plain.Meta)
	}
	var name, inn, kind, search, phones, tags, attrs string
	var supplier bool
	var dir, resp int64
	must(t, db.Writer().QueryRowContext(ctx, `SELECT name, inn, kind, search, phones, tags, attributes, is_supplier, directorate_id, responsible_id
		FROM companies WHERE id = $1`, co.ID).Scan(&name, &inn, &kind, &search, &phones, &tags, &attrs, &supplier, &dir, &resp))
	if name != "Ромашка" || inn != "7707083893" || kind != "legal" || !supplier || dir != d.ID || resp != u.ID {
		t.Fatalf("company row: %s %s %s %v %d %d", name, inn, kind, supplier, dir, resp)
	}
	var gotPhones []crm.Phone
	must(t, json.Unmarshal([]byte(phones), &gotPhones))
	if len(gotPhones) != 1 || gotPhones[0].E164 != "+74951234567" || attrs != `{"segment":"A"}` || search == "" {
		t.Fatalf("company json columns: %s %s %q", phones, attrs, search)
	}
	wantTerms := []string{"74951234567", "7707083893", "4951234567", "info@romashka.ru", "ооо", "ромашка"}
	slices.Sort(wantTerms)
	if got := recordTermsOf(t, db, crm.EntityCompany, co.ID); !slices.Equal(got, wantTerms) {
		t.Fatalf("company terms %q, want %q", got, wantTerms)
	}
	var nTags int
	must(t, db.Writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM record_tags WHERE entity = 'company' AND record_id = $1", co.ID).Scan(&nTags))
	if nTags != 2 {
		t.Fatalf("tags rows = %d, want 2 (duplicates dropped)", nTags)
	}

	ct := &crm.Contact{LastName: "Иванов", FirstName: "Пётр", MiddleName: "Сергеевич", CompanyID: &co.ID,
		Position: "Директор по ИТ", IsDecisionMaker: true, Emails: []string{"p.ivanov@romashka.ru"},
		Phones: []crm.Phone{{E164: "+79161234567", Raw: "+7 916 123-45-67"}}, DirectorateID: &d.ID}
	bulkContacts(t, db, ct)
	var fullName string
	var company int64
	var dm bool
	must(t, db.Writer().QueryRowContext(ctx, "SELECT full_name, company_id, is_decision_maker FROM contacts WHERE id = $1", ct.ID).Scan(&fullName, &company, &dm))
	if fullName != "Иванов Пётр Сергеевич" || company != co.ID || !dm {
		t.Fatalf("contact row: %q %d %v", fullName, company, dm)
	}
	if got := recordTermsOf(t, db, crm.EntityContact, ct.ID); !slices.Contains(got, "иванов") || !slices.Contains(got, "9161234567") ||
		!slices.Contains(got, "p.ivanov@romashka.ru") {
		t.Fatalf("contact terms: %q", got)
	}

	closed := created.Add(48 * time.Hour)
	deal := &crm.Deal{Name: "Поставка серверов", CompanyID: &co.ID, ContactID: &ct.ID, TopicID: topic, StageID: open,
		Amount: 150000000, Probability: 10, DirectorateID: &d.ID, ResponsibleID: &u.ID,
		Lines: []crm.DealLine{{Description: "Сервер", Quantity: 3, Price: 50000000}}}
	lostDeal := &crm.Deal{Name: "Аудит", TopicID: topic, StageID: lost, Status: crm.DealLost, LossReason: "no_budget",
		LostAtStageID: &open, ClosedAt: &closed}
	bulkDeals(t, db, deal, lostDeal)
	var status, currency string
	var amount, lineAmount int64
	var history int
	must(t, db.Writer().QueryRowContext(ctx, "SELECT status, currency, amount FROM deals WHERE id = $1", deal.ID).Scan(&status, &currency, &amount))
	must(t, db.Writer().QueryRowContext(ctx, "SELECT amount FROM deal_lines WHERE deal_id = $1", deal.ID).Scan(&lineAmount))
	must(t, db.Writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id IN ($1, $2)", deal.ID, lostDeal.ID).Scan(&history))
	if status != "open" || currency != "RUB" || amount != 150000000 || lineAmount != 150000000 || history != 2 {
		t.Fatalf("deal rows: %s %s %d line %d history %d", status, currency, amount, lineAmount, history)
	}
	if deal.StageEnteredAt.IsZero() || lostDeal.Status != crm.DealLost {
		t.Fatalf("deal defaults: %+v", lostDeal)
	}
	// The ids keep coming after rows written one at a time, and a soft-deleted row's id is not
	// handed out again.
	must(t, db.SoftDelete(ctx, crm.EntityCompany, plain.ID, plain.Version, u.ID))
	next := &crm.Company{Name: "Василёк"}
	bulkCompanies(t, db, next)
	if next.ID <= plain.ID {
		t.Fatalf("id %d reused (last was %d)", next.ID, plain.ID)
	}
	// A failing batch writes nothing: a contact pointing at no company breaks the foreign key.
	missing := int64(1 << 40)
	bad := []*crm.Contact{{LastName: "Ничейный"}, {LastName: "Потерянный", CompanyID: &missing}}
	err := db.InTx(ctx, func(r crm.Repo) error { return r.BulkCreateContacts(ctx, bad) })
	if err == nil {
		t.Fatal("contact of a missing company written")
	}
	var n int
	must(t, db.Writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM record_terms WHERE term = 'ничейный'").Scan(&n))
	if n != 0 {
		t.Fatal("terms of a rolled-back batch left behind")
	}
}

// testBulkCreateManyStatements writes more rows than fit one statement's parameters.
func testBulkCreateManyStatements(t *testing.T, db *store.DB) {
	cs := make([]*crm.Contact, 2500)
	for i := range cs {
		cs[i] = &crm.Contact{LastName: fmt.Sprintf("Массовый%04d", i), FirstName: "Тест",
			Emails: []string{fmt.Sprintf("bulk%04d@example.ru", i)}}
	}
	bulkContacts(t, db, cs...)
	for i := 1; i < len(cs); i++ {
		if cs[i].ID != cs[i-1].ID+1 && db.Dialect() == "sqlite" || cs[i].ID <= cs[i-1].ID {
			t.Fatalf("ids not increasing at %d: %d after %d", i, cs[i].ID, cs[i-1].ID)
		}
	}
	var n int
	must(t, db.Writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM contacts WHERE id BETWEEN $1 AND $2", cs[0].ID, cs[len(cs)-1].ID).Scan(&n))
	if n != len(cs) {
		t.Fatalf("%d rows written, want %d", n, len(cs))
	}
	hits, err := db.Search(ctx, crm.SearchQuery{Text: "bulk2499@", Limit: 5, Entities: crm.SearchEntities})
	must(t, err)
	if len(hits) != 1 || hits[0].ID != cs[2499].ID {
		t.Fatalf("last row's e-mail not indexed: %+v", hits)
	}
}

func hitIDs(hits []crm.SearchHit, entity string) []int64 {
	var out []int64
	for _, h := range hits {
		if h.Entity == entity {
			out = append(out, h.ID)
		}
	}
	return out
}

func testSearch(t *testing.T, db *store.DB) {
	topic, open, _, _ := defaultStages(t, db)
	all := crm.SearchEntities
	co := &crm.Company{Name: "Квазар Технологии", LegalName: "АО «Квазар Технологии»", INN: "5408131553",
		Region: "Новосибирская область", Emails: []string{"office@kvazar.example"}}
	other := &crm.Company{Name: "Квазарный Завод", INN: "5408131554"}
	bulkCompanies(t, db, co, other)
	person := &crm.Contact{LastName: "Звездочётов", FirstName: "Игнат", CompanyID: &co.ID, Position: "Главный инженер",
		Phones: []crm.Phone{{E164: "+79139876543", Raw: "8 913 987-65-43"}}, Emails: []string{"Zvezdochetov@Kvazar.example"}}
	namesake := &crm.Contact{LastName: "Звездочётова", FirstName: "Анна"}
	gone := &crm.Contact{LastName: "Звездочётов", FirstName: "Удалённый"}
	bulkContacts(t, db, person, namesake, gone)
	must(t, db.SoftDelete(ctx, crm.EntityContact, gone.ID, gone.Version, 0))
	deal := &crm.Deal{Name: "Квазар: внедрение ITSM", CompanyID: &co.ID, TopicID: topic, StageID: open}
	bulkDeals(t, db, deal)

	search := func(q string, entities ...string) []crm.SearchHit {
		t.Helper()
		if entities == nil {
			entities = all
		}
		hits, err := db.Search(ctx, crm.SearchQuery{Text: q, Limit: 10, Entities: entities})
		must(t, err)
		return hits
	}
	// Lower-case Cyrillic finds the capitalised name; the deleted namesake is skipped; the
	// contact's subtitle names the position and the company.
	hits := search("звездочётов")
	if got := hitIDs(hits, crm.EntityContact); !slices.Equal(got, []int64{person.ID, namesake.ID}) {
		t.Fatalf("звездочётов: %v (%+v)", got, hits)
	}
	if hits[0].Title != "Звездочётов Игнат" || hits[0].Subtitle != "Главный инженер · Квазар Технологии" || hits[0].Fuzzy {
		t.Fatalf("contact hit: %+v", hits[0])
	}
	// Upper case and Latin case-folding work the same.
	if got := hitIDs(search("ЗВЕЗДОЧЁТОВ ИГН"), crm.EntityContact); !slices.Equal(got, []int64{person.ID}) {
		t.Fatalf("all words must match: %v", got)
	}
	// Prefix per word, all words: the company and its deal, grouped companies → deals.
	hits = search("квазар")
	if got := hitIDs(hits, crm.EntityCompany); !slices.Equal(got, []int64{co.ID, other.ID}) {
		t.Fatalf("квазар companies: %v", got)
	}
	if got := hitIDs(hits, crm.EntityDeal); !slices.Equal(got, []int64{deal.ID}) || hits[len(hits)-1].Entity != crm.EntityDeal {
		t.Fatalf("квазар deals: %+v", hits)
	}
	if hits[0].Subtitle != "5408131553 · Новосибирская область" {
		t.Fatalf("company subtitle: %q", hits[0].Subtitle)
	}
	if got := hitIDs(search("квазар техн"), crm.EntityCompany); !slices.Equal(got, []int64{co.ID}) {
		t.Fatalf("квазар техн: %v", got)
	}
	// Only the entities asked for (the ones the user may read).
	if hits := search("квазар", crm.EntityDeal); len(hits) != 1 || hits[0].ID != deal.ID {
		t.Fatalf("deals only: %+v", hits)
	}
	// INN, whole or a prefix.
	if got := hitIDs(search("5408131553"), crm.EntityCompany); !slices.Equal(got, []int64{co.ID}) {
		t.Fatalf("inn: %v", got)
	}
	// The phone as people type it: with 8, with +7, national digits, spaced, partial.
	for _, q := range []string{"8 913 987-65-43", "+7 (913) 987-65-43", "79139876543", "9139876543", "913 987", "8913987"} {
		if got := hitIDs(search(q), crm.EntityContact); !slices.Equal(got, []int64{person.ID}) {
			t.Errorf("phone %q: %v", q, got)
		}
	}
	// E-mail, whole and its beginning, whatever the case.
	for _, q := range []string{"zvezdochetov@kvazar.example", "ZvezdoChetov@", "office@kvaz"} {
		if len(search(q)) != 1 {
			t.Errorf("e-mail %q: %+v", q, search(q))
		}
	}
	// Nothing for words nobody has, for an empty query or no readable entity.
	if hits := search("звездочётов несуществующий"); len(hits) != 0 {
		t.Fatalf("unmatched word still found: %+v", hits)
	}
	if hits := search("   "); len(hits) != 0 {
		t.Fatal("empty query found something")
	}
	if hits, err := db.Search(ctx, crm.SearchQuery{Text: "квазар", Limit: 10}); err != nil || len(hits) != 0 {
		t.Fatalf("no entities: %+v %v", hits, err)
	}
	// The limit caps each group.
	if hits, _ := db.Search(ctx, crm.SearchQuery{Text: "квазар", Limit: 1, Entities: all}); len(hitIDs(hits, crm.EntityCompany)) != 1 || len(hits) != 2 {
		t.Fatalf("limit 1: %+v", hits)
	}
}

func testSearchTypos(t *testing.T, db *store.DB) {
	all := crm.SearchEntities
	c := &crm.Contact{LastName: "Пастернаков", FirstName: "Евгений"}
	en := &crm.Contact{LastName: "Thornbury", FirstName: "Alice"}
	bulkContacts(t, db, c, en)
	for _, q := range []string{
		"пастерноков",  // substitution
		"пастренаков",  // neighbours swapped
		"пастернакв",   // a letter missed
		"паастернаков", // a letter doubled
		"пасте евг",    // prefixes, no typo
		"ПАСТЕРНОКОВ евгений",
		"thronbury", "tornbury",
	} {
		hits, err := db.Search(ctx, crm.SearchQuery{Text: q, Limit: 5, Entities: all})
		must(t, err)
		if len(hits) == 0 || (hits[0].ID != c.ID && hits[0].ID != en.ID) {
			t.Errorf("%q: %+v", q, hits)
		}
	}
	// Two typos are too many; so is a typo in a short word.
	for _, q := range []string{"пострнеков", "thr", "бастернаков"} {
		hits, err := db.Search(ctx, crm.SearchQuery{Text: q, Limit: 5, Entities: all})
		must(t, err)
		for _, h := range hits {
			if h.ID == c.ID || h.ID == en.ID {
				t.Errorf("%q found %+v", q, h)
			}
		}
	}
	// An exact hit is not marked fuzzy; a corrected one is.
	hits, err := db.Search(ctx, crm.SearchQuery{Text: "пастерноков", Limit: 5, Entities: all})
	must(t, err)
	if len(hits) != 1 || !hits[0].Fuzzy {
		t.Fatalf("fuzzy flag: %+v", hits)
	}
}
