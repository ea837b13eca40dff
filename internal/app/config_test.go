package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
	"github.com/ladder-crm/ladder/internal/store/storetest"
)

// configFixture keeps the database too: tests put deals and companies on it by SQL, as their
// use cases belong to other slices.
type configFixture struct {
	*fixture
	db *store.DB
}

func setupConfig(t *testing.T) *configFixture {
	app.SetPasswordCostForTests()
	db := storetest.Open(t, storetest.NewSQLiteURL(t))
	return &configFixture{fixture: &fixture{a: app.New(db, nil), admin: app.System}, db: db}
}

func sqliteNow() string { return time.Now().UTC().Format("2006-01-02T15:04:05.000000Z") }

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	if crm.ErrorCode(err) != crm.EInvalid || crm.ErrorFields(err)[field] != key {
		t.Fatalf("want 422 %s=%s, got %v", field, key, err)
	}
}

func TestChoiceRules(t *testing.T) {
	f := setupConfig(t)
	manager := f.user(t, "manager", crm.Roles{crm.RoleManager})
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales})
	marketeer := f.user(t, "marketeer", crm.Roles{crm.RoleMarketeer})

	in := app.ChoiceInput{List: crm.ListCompanyType, Code: "distributor", LabelRU: "Дистрибьютор", LabelEN: "Distributor", Active: true, IsDefault: true}
	for _, ctx := range []context.Context{sales, marketeer} {
		if _, err := f.a.CreateChoice(ctx, in); crm.ErrorCode(err) != crm.EForbidden {
			t.Fatalf("SC written by a non-manager: %v", err)
		}
	}
	v, err := f.a.CreateChoice(manager, in)
	if err != nil {
		t.Fatal(err)
	}
	if v.Sort != 70 { // after the six seeded values (10…60)
		t.Fatalf("sort = %d, want after the last value", v.Sort)
	}
	_, err = f.a.CreateChoice(manager, app.ChoiceInput{List: crm.ListCompanyType, Code: "Bad Code", LabelRU: "x"})
	wantField(t, err, "code", "config.err.code_format")
	_, err = f.a.CreateChoice(manager, app.ChoiceInput{List: "colour", Code: "red", LabelRU: "Красный"})
	wantField(t, err, "list", "err.choice")
	_, err = f.a.CreateChoice(manager, app.ChoiceInput{List: crm.ListCompanyType, Code: "distributor", LabelRU: "Ещё раз"})
	wantField(t, err, "code", "err.unique")

	// A second default takes the mark from the first, in the same transaction, audited.
	vals, _ := f.a.Choices(sales, crm.ListCompanyType, true)
	client := vals[0]
	yes := true
	client2, err := f.a.UpdateChoice(manager, client.ID, app.ChoicePatch{Version: client.Version, IsDefault: &yes})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := f.a.Choice(sales, v.ID)
	if !client2.IsDefault || old.IsDefault || old.Version != 2 {
		t.Fatalf("default moved: new %+v, old %+v", client2, old)
	}
	audit, err := f.a.ListAudit(app.WithActor(context.Background(), app.System), crm.AuditFilter{Entity: crm.EntityChoice, RecordID: &v.ID})
	if err != nil || len(audit.Items) != 2 {
		t.Fatalf("audit of the value: %d entries, %v", len(audit.Items), err)
	}
	// Deactivating drops the mark; a stale version is a conflict.
	no := false
	client3, err := f.a.UpdateChoice(manager, client.ID, app.ChoicePatch{Version: client2.Version, Active: &no})
	if err != nil || client3.IsDefault || client3.Active {
		t.Fatalf("deactivate: %+v %v", client3, err)
	}
	label := "Клиенты"
	_, err = f.a.UpdateChoice(manager, client.ID, app.ChoicePatch{Version: client2.Version, LabelRU: &label})
	if crm.ErrorCode(err) != crm.EConflict {
		t.Fatalf("stale: %v", err)
	}
	// checkChoice (through the pickers): a deactivated value is gone from them.
	active, _ := f.a.Choices(sales, crm.ListCompanyType, true)
	all, _ := f.a.Choices(sales, crm.ListCompanyType, false)
	if len(all) != len(active)+1 {
		t.Fatalf("active %d of %d", len(active), len(all))
	}

	// R15: a used value is not deleted; an unused one is, and comes back.
	_, err = f.db.Writer().Exec(`INSERT INTO companies (name, type, created_at, updated_at) VALUES ('ООО Вектор', 'distributor', $1, $1)`, sqliteNow())
	if err != nil {
		t.Fatal(err)
	}
	err = f.a.DeleteChoice(manager, v.ID, old.Version)
	if crm.ErrorCode(err) != crm.EInvalid || crm.ErrorMessage(err) != "config.err.choice_in_use" {
		t.Fatalf("delete a used value: %v", err)
	}
	if err := f.a.DeleteChoice(sales, client3.ID, client3.Version); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("delete by sales: %v", err)
	}
	if err := f.a.DeleteChoice(manager, client3.ID, client3.Version); err != nil {
		t.Fatal(err)
	}
	if err := f.a.RestoreChoice(manager, client3.ID); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("restore is for admins: %v", err)
	}
	if err := f.a.RestoreChoice(app.WithActor(context.Background(), app.System), client3.ID); err != nil {
		t.Fatal(err)
	}
}

func TestCustomFieldRulesAndAttributes(t *testing.T) {
	f := setupConfig(t)
	manager := f.user(t, "manager", crm.Roles{crm.RoleManager})
	marketeer := f.user(t, "marketeer", crm.Roles{crm.RoleMarketeer})
	in := app.CustomFieldInput{Entity: crm.EntityCompany, Code: "segment", LabelRU: "Сегмент", Type: crm.FieldList,
		Options: []string{"Крупный", " Малый ", "Крупный", ""}, Active: true}
	if _, err := f.a.CreateCustomField(manager, in); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("MC written by crm_manager: %v", err)
	}
	seg, err := f.a.CreateCustomField(marketeer, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(seg.Options) != 2 || seg.Options[1] != "Малый" || seg.Sort != 10 {
		t.Fatalf("options normalised: %+v", seg)
	}
	_, err = f.a.CreateCustomField(marketeer, app.CustomFieldInput{Entity: crm.EntityCompany, Code: "kind", LabelRU: "Вид", Type: crm.FieldList, Active: true})
	wantField(t, err, "options", "config.err.options_required")
	_, err = f.a.CreateCustomField(marketeer, app.CustomFieldInput{Entity: "lead", Code: "x", LabelRU: "X", Type: crm.FieldText})
	wantField(t, err, "entity", "err.choice")
	_, err = f.a.CreateCustomField(marketeer, app.CustomFieldInput{Entity: crm.EntityCompany, Code: "segment", LabelRU: "X", Type: crm.FieldText})
	wantField(t, err, "code", "err.unique")
	mk := func(code string, typ crm.FieldType) *crm.CustomField {
		x, err := f.a.CreateCustomField(marketeer, app.CustomFieldInput{Entity: crm.EntityCompany, Code: code, LabelRU: code, Type: typ, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	mk("staff", crm.FieldNumber)
	mk("founded", crm.FieldDate)
	mk("vip", crm.FieldFlag)
	old := mk("legacy", crm.FieldText)
	mk("note", crm.FieldText)
	no := false
	if _, err := f.a.UpdateCustomField(marketeer, old.ID, app.CustomFieldPatch{Version: old.Version, Active: &no}); err != nil {
		t.Fatal(err)
	}
	active, _ := f.a.CustomFields(manager, crm.EntityCompany, true)
	all, _ := f.a.CustomFields(manager, crm.EntityCompany, false)
	if len(active) != 5 || len(all) != 6 {
		t.Fatalf("active %d, all %d", len(active), len(all))
	}

	check := func(in, stored crm.Attributes) (crm.Attributes, error) {
		var out crm.Attributes
		err := f.a.Store().InTx(manager, func(r crm.Repo) error {
			var err error
			out, err = f.a.CheckAttributes(manager, r, crm.EntityCompany, in, stored)
			return err
		})
		return out, err
	}
	stored := crm.Attributes{"legacy": "от старой системы", "note": "было", "vip": false}
	out, err := check(crm.Attributes{"segment": "малый", "staff": "1 250,5", "founded": "2001-02-03", "vip": "on", "note": "", "legacy": "от старой системы"}, stored)
	if err != nil {
		t.Fatal(err)
	}
	want := crm.Attributes{"segment": "Малый", "staff": 1250.5, "founded": "2001-02-03", "vip": true, "legacy": "от старой системы"}
	if len(out) != len(want) {
		t.Fatalf("attributes = %v, want %v", out, want)
	}
	for k, v := range want {
		if out[k] != v {
			t.Fatalf("attributes[%s] = %#v, want %#v", k, out[k], v)
		}
	}
	// JSON values pass as they are; absent keys keep the stored values.
	out, err = check(crm.Attributes{"staff": float64(12), "vip": false}, stored)
	if err != nil || out["staff"] != 12.0 || out["vip"] != false || out["legacy"] != "от старой системы" || out["note"] != "было" {
		t.Fatalf("merge: %v %v", out, err)
	}
	for _, tc := range []struct {
		in    crm.Attributes
		field string
		key   string
	}{
		{crm.Attributes{"segment": "Средний"}, "attributes.segment", "err.choice"},
		{crm.Attributes{"staff": "много"}, "attributes.staff", "err.number_format"},
		{crm.Attributes{"staff": true}, "attributes.staff", "err.number_format"},
		{crm.Attributes{"founded": "03.02.2001"}, "attributes.founded", "err.date_format"},
		{crm.Attributes{"vip": "может быть"}, "attributes.vip", "config.err.flag_value"},
		{crm.Attributes{"note": 5.0}, "attributes.note", "config.err.text_value"},
		{crm.Attributes{"legacy": "новое"}, "attributes.legacy", "config.err.field_unknown"},
		{crm.Attributes{"nonsense": "x"}, "attributes.nonsense", "config.err.field_unknown"},
	} {
		_, err := check(tc.in, stored)
		wantField(t, err, tc.field, tc.key)
	}
	// A retired field's value may be cleared.
	out, err = check(crm.Attributes{"legacy": nil}, stored)
	if _, kept := out["legacy"]; err != nil || kept {
		t.Fatalf("clear a retired field: %v %v", out, err)
	}
}

func stages3() []crm.Stage {
	return []crm.Stage{
		{NameRU: "Переговоры", Kind: crm.StageOpen, Probability: 30},
		{NameRU: "Успех", Kind: crm.StageWon, Probability: 100},
		{NameRU: "Отказ", Kind: crm.StageLost},
	}
}

func TestTopicRules(t *testing.T) {
	f := setupConfig(t)
	manager := f.user(t, "manager", crm.Roles{crm.RoleManager})
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales})
	in := app.TopicInput{Name: "Сервис", Active: true, Stages: stages3()}
	if _, err := f.a.CreateTopic(sales, in); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("topic by crm_sales: %v", err)
	}
	noWon := app.TopicInput{Name: "Без победы", Stages: []crm.Stage{stages3()[0], stages3()[2]}}
	_, err := f.a.CreateTopic(manager, noWon)
	wantField(t, err, "stages", "config.err.one_won_stage")
	bad := app.TopicInput{Name: "Плохая", Stages: stages3()}
	bad.Stages[1].Probability = 90
	bad.Stages[0].NameRU = ""
	bad.Stages[0].TaskChain = []crm.StageTask{{Title: "", DueDays: 400, Kind: "party"}}
	_, err = f.a.CreateTopic(manager, bad)
	for field, key := range map[string]string{"stages.1.probability": "config.err.won_probability", "stages.0.name_ru": "err.required",
		"stages.0.task_chain.0.title": "err.required", "stages.0.task_chain.0.due_days": "err.range", "stages.0.task_chain.0.kind": "err.choice"} {
		if crm.ErrorFields(err)[field] != key {
			t.Fatalf("%s: want %s in %v", field, key, err)
		}
	}
	missing := int64(1 << 40)
	_, err = f.a.CreateTopic(manager, app.TopicInput{Name: "Чужая", DirectorateID: &missing, Stages: stages3()})
	wantField(t, err, "directorate_id", "err.directorate_unknown")

	tp, err := f.a.CreateTopic(manager, in)
	if err != nil {
		t.Fatal(err)
	}
	// A deal stands on the open stage: removing it is refused and nothing changes.
	_, err = f.db.Writer().Exec(`INSERT INTO deals (name, topic_id, stage_id, stage_entered_at, created_at, updated_at)
		VALUES ('Сделка', $1, $2, $3, $3, $3)`, tp.ID, tp.Stages[0].ID, sqliteNow())
	if err != nil {
		t.Fatal(err)
	}
	without := []crm.Stage{{NameRU: "Новый", Kind: crm.StageOpen, Probability: 5}, tp.Stages[1], tp.Stages[2]}
	_, err = f.a.UpdateTopic(manager, tp.ID, app.TopicPatch{Version: tp.Version, Stages: &without})
	wantField(t, err, "stages", "config.err.stage_in_use")
	// Renaming it and adding a stage before it keeps its id; the topic's other fields stay.
	with := []crm.Stage{{NameRU: "Новый", Kind: crm.StageOpen, Probability: 5}, tp.Stages[0], tp.Stages[1], tp.Stages[2]}
	with[1].NameRU = "Переговоры и КП"
	got, err := f.a.UpdateTopic(manager, tp.ID, app.TopicPatch{Version: tp.Version, Stages: &with})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Сервис" || len(got.Stages) != 4 || got.Stages[1].ID != tp.Stages[0].ID || got.Stages[1].Position != 2 {
		t.Fatalf("after update: %+v", got)
	}
	name := "Сервис 2"
	_, err = f.a.UpdateTopic(manager, tp.ID, app.TopicPatch{Version: tp.Version, Name: &name})
	if crm.ErrorCode(err) != crm.EConflict {
		t.Fatalf("stale: %v", err)
	}
	topics, err := f.a.ActiveTopics(sales)
	if err != nil || len(topics) != 2 || topics[0].Name != "Основные продажи" || len(topics[1].Stages) != 4 {
		t.Fatalf("active topics: %+v %v", topics, err)
	}
	if err := f.a.DeleteTopic(sales, tp.ID, got.Version); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("delete by crm_sales: %v", err)
	}
	if err := f.a.DeleteTopic(manager, tp.ID, got.Version); err != nil {
		t.Fatal(err)
	}
	topics, _ = f.a.ActiveTopics(sales)
	if len(topics) != 1 {
		t.Fatalf("deleted topic still offered: %d", len(topics))
	}
	if _, err := f.a.Topic(sales, tp.ID); crm.ErrorCode(err) != crm.ENotFound {
		t.Fatalf("deleted topic shown to crm_sales: %v", err)
	}
}
