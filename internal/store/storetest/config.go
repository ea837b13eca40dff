package storetest

import (
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
)

var configTests = []storeTest{
	{"ChoiceSeeds", testChoiceSeeds},
	{"Choices", testChoices},
	{"CustomFields", testCustomFields},
	{"DefaultTopic", testDefaultTopic},
	{"Topics", testTopics},
}

// at is a timestamp parameter in the form the database's columns take, for raw inserts of
// rows whose store methods belong to other slices.
func at(db *store.DB, t time.Time) any {
	if db.Dialect() == "sqlite" {
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	return t.UTC()
}

func testChoiceSeeds(t *testing.T, db *store.DB) {
	want := map[crm.ChoiceList][]string{
		crm.ListCompanyType:  {"client", "prospect", "partner", "supplier", "competitor", "other"},
		crm.ListContactType:  {"client", "supplier", "partner", "other"},
		crm.ListDealType:     {"sale", "services", "integrated", "after_sales"},
		crm.ListLossReason:   {"no_need", "too_expensive", "chose_competitor", "no_budget", "timing", "not_decision_maker", "other"},
		crm.ListContactRole:  {"management", "key_employee", "technical", "procurement"},
		crm.ListIndustry:     {"it", "banking", "government", "manufacturing", "retail", "telecom", "energy", "education", "healthcare", "other"},
		crm.ListProductGroup: {},
	}
	for list, codes := range want {
		vals, err := db.ListChoices(ctx, crm.ChoiceFilter{List: list})
		must(t, err)
		if len(vals) < len(codes) {
			t.Fatalf("%s: %d values, want at least %d", list, len(vals), len(codes))
		}
		for i, code := range codes {
			v := vals[i]
			if v.Code != code || v.List != list || v.LabelRU == "" || v.LabelEN == "" || !v.Active || v.IsDefault || v.Version != 1 {
				t.Fatalf("%s[%d] = %+v, want code %s, both labels, active", list, i, v, code)
			}
			if v.CreatedAt.IsZero() || time.Since(v.CreatedAt) > 24*time.Hour {
				t.Fatalf("%s: seed created_at %v", code, v.CreatedAt)
			}
		}
	}
	vals, _ := db.ListChoices(ctx, crm.ChoiceFilter{List: crm.ListCompanyType})
	if vals[0].Label("ru") != "Клиент" || vals[0].Label("en") != "Client" {
		t.Fatalf("labels: %+v", vals[0])
	}
}

func testChoices(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleManager})
	v := &crm.ChoiceValue{List: crm.ListDealType, Code: unique("licence_"), LabelRU: "Лицензии", LabelEN: "Licences",
		Sort: 500, Active: true, IsDefault: true}
	v.CreatedBy = &u.ID
	must(t, db.CreateChoice(ctx, v))
	got, err := db.ChoiceByID(ctx, v.ID)
	must(t, err)
	if got.Code != v.Code || got.LabelRU != "Лицензии" || !got.IsDefault || !got.Active || got.Sort != 500 ||
		*got.CreatedBy != u.ID || *got.UpdatedBy != u.ID || got.Version != 1 {
		t.Fatalf("round trip: %+v", got)
	}
	_, err = db.ChoiceByID(ctx, 1<<40)
	wantCode(t, err, crm.ENotFound)

	// The code is unique within its list, not across lists.
	err = db.CreateChoice(ctx, &crm.ChoiceValue{List: crm.ListDealType, Code: v.Code, LabelRU: "Другая", Active: true})
	wantCode(t, err, crm.EInvalid)
	if crm.ErrorFields(err)["code"] != "err.unique" {
		t.Fatalf("duplicate code: %v", err)
	}
	must(t, db.CreateChoice(ctx, &crm.ChoiceValue{List: crm.ListContactType, Code: v.Code, LabelRU: "Лицензиат", Active: true}))

	// One default per list, whatever the callers do.
	second := &crm.ChoiceValue{List: crm.ListDealType, Code: unique("rent_"), LabelRU: "Аренда", Sort: 600, Active: true, IsDefault: true}
	err = db.CreateChoice(ctx, second)
	wantCode(t, err, crm.EInvalid)
	if crm.ErrorFields(err)["is_default"] != "config.err.one_default" {
		t.Fatalf("second default: %v", err)
	}
	second.IsDefault = false
	must(t, db.CreateChoice(ctx, second))

	// Update keeps list and code, bumps the version, refuses a stale one.
	got.LabelEN, got.Active, got.IsDefault, got.UpdatedBy = "Software licences", false, false, &u.ID
	must(t, db.UpdateChoice(ctx, got))
	if got.Version != 2 {
		t.Fatalf("version after update = %d", got.Version)
	}
	stale := *got
	stale.Version = 1
	wantCode(t, db.UpdateChoice(ctx, &stale), crm.EConflict)
	yes := true
	active, err := db.ListChoices(ctx, crm.ChoiceFilter{List: crm.ListDealType, Active: &yes})
	must(t, err)
	all, err := db.ListChoices(ctx, crm.ChoiceFilter{List: crm.ListDealType})
	must(t, err)
	if len(all) != len(active)+1 || all[len(all)-1].Code != second.Code {
		t.Fatalf("active filter or order: %d of %d, last %+v", len(active), len(all), all[len(all)-1])
	}

	// Soft delete moves a value to the trash list.
	must(t, db.SoftDelete(ctx, crm.EntityChoice, second.ID, second.Version, u.ID))
	trash, err := db.ListChoices(ctx, crm.ChoiceFilter{List: crm.ListDealType, Deleted: true})
	must(t, err)
	if len(trash) != 1 || trash[0].ID != second.ID || trash[0].DeletedAt == nil {
		t.Fatalf("trash: %+v", trash)
	}

	// In use: a record of the list's field stores the code, a deleted record too.
	for _, list := range []crm.ChoiceList{crm.ListCompanyType, crm.ListIndustry, crm.ListProductGroup} {
		used, err := db.ChoiceInUse(ctx, list, "supplier_x")
		must(t, err)
		if used {
			t.Fatalf("%s: unused code reported in use", list)
		}
	}
	now := time.Now()
	_, err = db.Writer().ExecContext(ctx, `INSERT INTO companies (name, type, industry, created_at, updated_at, deleted_at)
		VALUES ($1, $2, $3, $4, $4, $4)`, unique("ООО Ромашка "), "supplier_x", "mining_x", at(db, now))
	must(t, err)
	for list, code := range map[crm.ChoiceList]string{crm.ListCompanyType: "supplier_x", crm.ListIndustry: "mining_x"} {
		used, err := db.ChoiceInUse(ctx, list, code)
		must(t, err)
		if !used {
			t.Fatalf("%s %s: in use, not reported", list, code)
		}
	}
	if used, _ := db.ChoiceInUse(ctx, crm.ListContactType, "supplier_x"); used {
		t.Fatal("a company's type reported as a contact type in use")
	}
}

func testCustomFields(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleMarketeer})
	code := unique("segment_")
	f := &crm.CustomField{Entity: crm.EntityCompany, Code: code, LabelRU: "Сегмент", LabelEN: "Segment",
		Type: crm.FieldList, Options: []string{"Крупный", "Средний", "Малый"}, Sort: 20, Active: true}
	f.CreatedBy = &u.ID
	must(t, db.CreateCustomField(ctx, f))
	got, err := db.CustomFieldByID(ctx, f.ID)
	must(t, err)
	if got.Code != code || got.Type != crm.FieldList || len(got.Options) != 3 || got.Options[2] != "Малый" ||
		got.Entity != crm.EntityCompany || got.Version != 1 || *got.CreatedBy != u.ID {
		t.Fatalf("round trip: %+v", got)
	}
	err = db.CreateCustomField(ctx, &crm.CustomField{Entity: crm.EntityCompany, Code: code, LabelRU: "Ещё", Type: crm.FieldText, Active: true})
	wantCode(t, err, crm.EInvalid)
	if crm.ErrorFields(err)["code"] != "err.unique" {
		t.Fatalf("duplicate code: %v", err)
	}
	flag := &crm.CustomField{Entity: crm.EntityDeal, Code: code, LabelRU: "Тендер", Type: crm.FieldFlag, Sort: 10, Active: true}
	must(t, db.CreateCustomField(ctx, flag))
	if flag.Options != nil {
		t.Fatalf("flag options: %v", flag.Options)
	}
	first := &crm.CustomField{Entity: crm.EntityCompany, Code: unique("inn_checked_"), LabelRU: "Проверен", Type: crm.FieldFlag, Sort: 10, Active: true}
	must(t, db.CreateCustomField(ctx, first))

	got.LabelRU, got.Options, got.Active = "Сегмент рынка", []string{"Крупный", "Малый"}, false
	must(t, db.UpdateCustomField(ctx, got))
	again, _ := db.CustomFieldByID(ctx, f.ID)
	if again.LabelRU != "Сегмент рынка" || len(again.Options) != 2 || again.Active || again.Version != 2 {
		t.Fatalf("after update: %+v", again)
	}
	got.Version = 1
	wantCode(t, db.UpdateCustomField(ctx, got), crm.EConflict)

	list, err := db.ListCustomFields(ctx, crm.EntityCompany, false)
	must(t, err)
	var pos = map[int64]int{}
	for i, x := range list {
		if x.Entity != crm.EntityCompany {
			t.Fatalf("entity filter let %+v through", x)
		}
		pos[x.ID] = i
	}
	if _, ok := pos[flag.ID]; ok || pos[first.ID] > pos[f.ID] {
		t.Fatalf("order by sort or entity filter: %+v", list)
	}
	must(t, db.SoftDelete(ctx, crm.EntityCustomField, flag.ID, flag.Version, u.ID))
	trash, err := db.ListCustomFields(ctx, crm.EntityDeal, true)
	must(t, err)
	if len(trash) != 1 || trash[0].ID != flag.ID {
		t.Fatalf("trash: %+v", trash)
	}
	// A deleted field keeps its code: restoring it must not meet a namesake.
	err = db.CreateCustomField(ctx, &crm.CustomField{Entity: crm.EntityDeal, Code: code, LabelRU: "Снова", Type: crm.FieldText, Active: true})
	wantCode(t, err, crm.EInvalid)
}

func testDefaultTopic(t *testing.T, db *store.DB) {
	page, err := db.ListTopics(ctx, crm.TopicFilter{Q: "основные"})
	must(t, err)
	if len(page.Items) != 1 {
		t.Fatalf("default topic: %d found", len(page.Items))
	}
	tp := page.Items[0]
	if tp.Name != "Основные продажи" || tp.Label("en") != "Main sales" || !tp.Active {
		t.Fatalf("default topic: %+v", tp)
	}
	want := []struct {
		ru   string
		kind crm.StageKind
		p    int
	}{{"Первичный контакт", crm.StageOpen, 10}, {"Встреча", crm.StageOpen, 20}, {"Презентация", crm.StageOpen, 40},
		{"Коммерческое предложение", crm.StageOpen, 60}, {"Подготовка договора", crm.StageOpen, 80},
		{"Договор заключён", crm.StageWon, 100}, {"Отказ", crm.StageLost, 0}}
	if len(tp.Stages) != len(want) {
		t.Fatalf("stages: %+v", tp.Stages)
	}
	for i, w := range want {
		s := tp.Stages[i]
		if s.NameRU != w.ru || s.Kind != w.kind || s.Probability != w.p || s.Position != i+1 || s.NameEN == "" || !s.Active || s.TopicID != tp.ID {
			t.Fatalf("stage %d = %+v, want %+v", i, s, w)
		}
	}
	if err := tp.Validate(); err != nil {
		t.Fatalf("the seeded topic does not pass its own rules: %v", err)
	}
	if tp.FirstOpen().NameRU != "Первичный контакт" {
		t.Fatal("first open stage")
	}
}

func testTopics(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleManager})
	d := newDirectorate(t, db, unique("Topic-dir "))
	name := unique("Лицензии ПО ")
	tp := &crm.Topic{Name: name, NameEN: "Software", Description: "Продажи лицензий", DirectorateID: &d.ID, Active: true, Sort: 50,
		Stages: []crm.Stage{
			{NameRU: "Квалификация", NameEN: "Qualification", Kind: crm.StageOpen, Probability: 10,
				TaskChain: []crm.StageTask{{Title: "Позвонить клиенту", DueDays: 1, Kind: "call"}}},
			{NameRU: "Демо", Kind: crm.StageOpen, Probability: 50},
			{NameRU: "Выиграна", Kind: crm.StageWon, Probability: 100},
			{NameRU: "Проиграна", Kind: crm.StageLost},
		}}
	tp.CreatedBy = &u.ID
	must(t, db.CreateTopic(ctx, tp))
	got, err := db.TopicByID(ctx, tp.ID)
	must(t, err)
	if got.Name != name || got.NameEN != "Software" || *got.DirectorateID != d.ID || got.Sort != 50 || len(got.Stages) != 4 {
		t.Fatalf("round trip: %+v", got)
	}
	if c := got.Stages[0].TaskChain; len(c) != 1 || c[0].Title != "Позвонить клиенту" || c[0].DueDays != 1 || c[0].Kind != "call" {
		t.Fatalf("task chain: %+v", got.Stages[0])
	}
	if got.Stages[1].TaskChain != nil || got.Stages[3].Position != 4 {
		t.Fatalf("stages: %+v", got.Stages)
	}
	ids := []int64{got.Stages[0].ID, got.Stages[1].ID, got.Stages[2].ID, got.Stages[3].ID}

	// A live topic's name is unique.
	err = db.CreateTopic(ctx, &crm.Topic{Name: name, Active: true})
	wantCode(t, err, crm.EInvalid)
	if crm.ErrorFields(err)["name"] != "err.unique" {
		t.Fatalf("duplicate name: %v", err)
	}

	// A deal stands on "Квалификация" and once passed through "Демо": the first stays, the
	// second is retired when removed, a new stage is inserted, ids are kept.
	now := time.Now()
	var dealID int64
	must(t, db.Writer().QueryRowContext(ctx, `INSERT INTO deals (name, topic_id, stage_id, stage_entered_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4, $4) RETURNING id`, unique("Сделка "), tp.ID, ids[0], at(db, now)).Scan(&dealID))
	_, err = db.Writer().ExecContext(ctx, `INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, at) VALUES ($1, $2, $3, $4)`,
		dealID, ids[1], ids[0], at(db, now))
	must(t, err)
	for i, want := range []bool{true, false, false, false} {
		used, err := db.StageInUse(ctx, ids[i])
		must(t, err)
		if used != want {
			t.Fatalf("stage %d in use = %v", i, used)
		}
	}
	got.Name, got.DirectorateID, got.UpdatedBy = name+" (B2B)", nil, &u.ID
	got.Stages = []crm.Stage{
		got.Stages[0],
		{NameRU: "Пилот", NameEN: "Pilot", Kind: crm.StageOpen, Probability: 70},
		got.Stages[2],
	}
	got.Stages[0].NameRU = "Квалификация лида"
	got.Stages[0].TaskChain = nil
	must(t, db.UpdateTopic(ctx, got))
	if got.Version != 2 || got.Stages[1].ID == 0 {
		t.Fatalf("after update: %+v", got)
	}
	again, err := db.TopicByID(ctx, tp.ID)
	must(t, err)
	if again.Name != name+" (B2B)" || again.DirectorateID != nil || len(again.Stages) != 3 {
		t.Fatalf("reread: %+v", again)
	}
	if again.Stages[0].ID != ids[0] || again.Stages[0].NameRU != "Квалификация лида" || again.Stages[0].TaskChain != nil ||
		again.Stages[1].NameRU != "Пилот" || again.Stages[1].Position != 2 || again.Stages[2].ID != ids[2] || again.Stages[2].Position != 3 {
		t.Fatalf("stages after update: %+v", again.Stages)
	}
	retired, err := db.StageByID(ctx, ids[1])
	must(t, err)
	if retired.Active || retired.NameRU != "Демо" || retired.TopicID != tp.ID {
		t.Fatalf("removed stage with history: %+v, want retired", retired)
	}
	_, err = db.StageByID(ctx, ids[3])
	wantCode(t, err, crm.ENotFound) // removed and never used: gone

	// A stage id of another topic is refused, and nothing of the update stays.
	other, err := db.ListTopics(ctx, crm.TopicFilter{Q: "основные продажи"})
	must(t, err)
	again.Stages = append(again.Stages, other.Items[0].Stages[0])
	err = db.InTx(ctx, func(r crm.Repo) error { return r.UpdateTopic(ctx, again) })
	wantCode(t, err, crm.EInvalid)
	if crm.ErrorFields(err)["stages.3.id"] != "config.err.stage_unknown" {
		t.Fatalf("foreign stage: %v", err)
	}
	stale := *got
	stale.Version = 1
	wantCode(t, db.UpdateTopic(ctx, &stale), crm.EConflict)

	// Search is case-insensitive in Russian; the trash hides the topic from the live list.
	page, err := db.ListTopics(ctx, crm.TopicFilter{Q: "ЛИЦЕНЗИИ", Page: crm.PageRequest{Sort: "name"}})
	must(t, err)
	found := false
	for _, x := range page.Items {
		found = found || x.ID == tp.ID
	}
	if !found || page.Total < 1 {
		t.Fatalf("search: %+v", page)
	}
	no := false
	page, err = db.ListTopics(ctx, crm.TopicFilter{Active: &no})
	must(t, err)
	for _, x := range page.Items {
		if x.Active {
			t.Fatalf("active filter: %+v", x)
		}
	}
	reread, _ := db.TopicByID(ctx, tp.ID)
	must(t, db.SoftDelete(ctx, crm.EntityTopic, tp.ID, reread.Version, u.ID))
	page, err = db.ListTopics(ctx, crm.TopicFilter{Q: "лицензии"})
	must(t, err)
	for _, x := range page.Items {
		if x.ID == tp.ID {
			t.Fatal("deleted topic in the live list")
		}
	}
	if s, err := db.StageByID(ctx, ids[0]); err != nil || s.TopicID != tp.ID {
		t.Fatalf("stage of a deleted topic: %v %v", s, err)
	}
	// With the topic in the trash its name is free again.
	must(t, db.CreateTopic(ctx, &crm.Topic{Name: name + " (B2B)", Active: true}))
}
