package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

func TestChoiceListScreen(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция")
	_, pw := env.CreateUser(t, "manager", crm.Roles{crm.RoleManager}, d.ID)
	_, spw := env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, d.ID)
	b := loggedIn(t, env, "manager", pw)

	p := b.get("/admin/lists?list=deal_type")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, "Типы сделок", `id="value-sale"`, "Комплексная продажа", `id="add-value"`, `name="list" value="deal_type"`)

	// A bad code is shown at its input, with what was typed kept.
	p = b.post("/admin/lists/new", form("list", "deal_type", "code", "Лицензии", "label_ru", "Лицензии ПО", "active", "1"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-code-error">Код: строчная латинская буква`, `value="Лицензии ПО"`, `id="tab-deal_type"`)
	p = b.post("/admin/lists/new", form("list", "deal_type", "code", "sale", "label_ru", "Снова продажа", "active", "1"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-code-error">`)

	p = b.post("/admin/lists/new", form("list", "deal_type", "code", "licences", "label_ru", "Лицензии ПО", "label_en", "Software licences", "active", "1"))
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != "/admin/lists?list=deal_type" {
		t.Fatalf("after add: %q", p.Location)
	}
	p = b.get(p.Location)
	mustContain(t, p, "Запись создана.", `id="value-licences"`, "Software licences")
	vals, err := env.App.Choices(env.AdminCtx(), crm.ListDealType, true)
	if err != nil {
		t.Fatal(err)
	}
	last := vals[len(vals)-1]
	if last.Code != "licences" || last.Sort != 50 || !last.Active {
		t.Fatalf("stored value: %+v", last)
	}

	// Make it the default, move it up one place, then edit its label.
	mustStatus(t, b.post(fmt.Sprintf("/admin/lists/%d/default", last.ID), form("version", itoa(last.Version))), http.StatusSeeOther)
	v, _ := env.App.Choice(env.AdminCtx(), last.ID)
	mustStatus(t, b.post(fmt.Sprintf("/admin/lists/%d/move", v.ID), form("version", itoa(v.Version), "dir", "up")), http.StatusSeeOther)
	vals, _ = env.App.Choices(env.AdminCtx(), crm.ListDealType, true)
	if vals[3].Code != "licences" || !vals[3].IsDefault || vals[4].Code != "after_sales" {
		t.Fatalf("after default and move: %+v", vals)
	}
	edit := b.get(fmt.Sprintf("/admin/lists/%d/edit", v.ID))
	mustStatus(t, edit, http.StatusOK)
	mustContain(t, edit, `id="value-code">licences</code>`)
	p = b.post(fmt.Sprintf("/admin/lists/%d/edit", v.ID), form("version", itoa(vals[3].Version), "label_ru", "", "sort", "40", "active", "1"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-label-ru-error">`)
	p = b.post(fmt.Sprintf("/admin/lists/%d/edit", v.ID), form("version", itoa(vals[3].Version), "label_ru", "Лицензии", "sort", "40", "is_default", "1", "active", "1"))
	mustStatus(t, p, http.StatusSeeOther)
	v, _ = env.App.Choice(env.AdminCtx(), last.ID)
	if v.LabelRU != "Лицензии" || !v.IsDefault || v.Code != "licences" {
		t.Fatalf("after edit: %+v", v)
	}

	// crm_sales reads the lists but gets no edit controls and cannot post.
	s := loggedIn(t, env, "seller", spw)
	p = s.get("/admin/lists?list=deal_type")
	mustStatus(t, p, http.StatusOK)
	mustNotContain(t, p, `id="add-value"`, "/edit")
	p = s.post("/admin/lists/new", form("list", "deal_type", "code", "rent", "label_ru", "Аренда", "active", "1"))
	mustStatus(t, p, http.StatusForbidden)
}

func TestCustomFieldScreen(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция")
	_, pw := env.CreateUser(t, "marketeer", crm.Roles{crm.RoleMarketeer}, d.ID)
	b := loggedIn(t, env, "marketeer", pw)
	p := b.get("/admin/fields?entity=company")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `id="add-field"`, "Дополнительных полей пока нет.")
	p = b.post("/admin/fields/new", form("entity", "company", "code", "segment", "label_ru", "Сегмент", "type", "list", "active", "1"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-options-error">У поля-списка должно быть хотя бы одно значение.`)
	p = b.post("/admin/fields/new", form("entity", "company", "code", "segment", "label_ru", "Сегмент", "type", "list",
		"options", "Крупный\r\nСредний\r\n\r\nМалый", "active", "1"))
	mustStatus(t, p, http.StatusSeeOther)
	p = b.get(p.Location)
	mustContain(t, p, `id="field-segment"`, "Крупный · Средний · Малый")
	fields, _ := env.App.CustomFields(env.AdminCtx(), crm.EntityCompany, true)
	if len(fields) != 1 || len(fields[0].Options) != 3 {
		t.Fatalf("stored: %+v", fields)
	}
	p = b.post(fmt.Sprintf("/admin/fields/%d/edit", fields[0].ID), form("version", itoa(fields[0].Version), "label_ru", "Сегмент рынка",
		"options", "Крупный\nМалый", "sort", "10"))
	mustStatus(t, p, http.StatusSeeOther)
	f, _ := env.App.CustomField(env.AdminCtx(), fields[0].ID)
	if f.LabelRU != "Сегмент рынка" || len(f.Options) != 2 || f.Active {
		t.Fatalf("after edit (active unticked): %+v", f)
	}
}

// stageForm is a topic form as a browser posts it: rows of stage inputs.
func stageForm(name string, rows ...[]string) url.Values {
	v := form("name", name, "active", "1")
	for i, r := range rows {
		p := fmt.Sprintf("stages.%d.", i)
		v.Set(p+"order", itoa(int64((i+1)*10)))
		v.Set(p+"name_ru", r[0])
		v.Set(p+"kind", r[1])
		v.Set(p+"probability", r[2])
		if len(r) > 3 {
			v.Set(p+"id", r[3])
		}
	}
	return v
}

func TestTopicScreens(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция")
	_, pw := env.CreateUser(t, "manager", crm.Roles{crm.RoleManager}, d.ID)
	b := loggedIn(t, env, "manager", pw)

	p := b.get("/admin/topics")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, "Основные продажи", "Коммерческое предложение", `href="/admin/topics/new"`)
	p = b.get("/admin/topics/new")
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `name="stages.0.name_ru"`, `value="Первичный контакт"`, `name="stages.3.name_ru"`, `name="stages.0.tasks.0.title"`)

	// No won stage: the problem is shown over the stages, the rows are kept.
	p = b.post("/admin/topics/new", stageForm("Сервис", []string{"Диагностика", "open", "20"}, []string{"Отказ", "lost", "0"}))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="stages-error">У темы должен быть ровно один этап «выиграна».`, `value="Диагностика"`)
	// A problem of one row is shown on that row.
	p = b.post("/admin/topics/new", stageForm("Сервис", []string{"Диагностика", "open", "20"}, []string{"Договор", "won", "90"}, []string{"Отказ", "lost", "0"}))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-stages.1.probability-error">У этапа «выиграна» вероятность 100.`)

	// A valid topic, its rows reordered by their numbers and a task on the first stage.
	v := stageForm("Сервис", []string{"Договор", "won", "100"}, []string{"Диагностика", "open", "20"}, []string{"Отказ", "lost", "0"}, []string{"", "open", "0"})
	v.Set("stages.0.order", "20")
	v.Set("stages.1.order", "10")
	v.Set("stages.1.tasks.0.title", "Позвонить клиенту")
	v.Set("stages.1.tasks.0.due_days", "1")
	v.Set("stages.1.tasks.0.kind", "call")
	p = b.post("/admin/topics/new", v)
	mustStatus(t, p, http.StatusSeeOther)
	card := b.get(p.Location)
	mustStatus(t, card, http.StatusOK)
	mustContain(t, card, "Сервис", `id="topic-stages"`, "Позвонить клиенту (Звонок, через 1 дн.)")
	if strings.Index(card.Body, "Диагностика") > strings.Index(card.Body, ">Договор<") {
		t.Fatal("stages not in their order numbers' order")
	}
	page, _ := env.App.ListTopics(env.AdminCtx(), crm.TopicFilter{Q: "сервис"})
	tp := page.Items[0]
	if len(tp.Stages) != 3 || tp.Stages[0].NameRU != "Диагностика" || len(tp.Stages[0].TaskChain) != 1 {
		t.Fatalf("stored: %+v", tp.Stages)
	}

	// Edit: add a stage in a blank row, remove the lost one is refused by the rules, rename
	// the open one; ids stay.
	edit := b.get(fmt.Sprintf("/admin/topics/%d/edit", tp.ID))
	mustStatus(t, edit, http.StatusOK)
	mustContain(t, edit, fmt.Sprintf(`name="stages.0.id" value="%d"`, tp.Stages[0].ID), `name="stages.0.remove"`)
	id := func(i int) string { return itoa(tp.Stages[i].ID) }
	v = stageForm("Сервис", []string{"Диагностика и КП", "open", "30", id(0)}, []string{"Договор", "won", "100", id(1)},
		[]string{"Отказ", "lost", "0", id(2)}, []string{"Пилот", "open", "60"})
	v.Set("version", itoa(tp.Version))
	v.Set("stages.3.order", "15")
	v.Set("stages.2.remove", "1")
	p = b.post(fmt.Sprintf("/admin/topics/%d/edit", tp.ID), v)
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="stages-error">У темы должен быть хотя бы один этап «проиграна».`)
	v.Del("stages.2.remove")
	p = b.post(fmt.Sprintf("/admin/topics/%d/edit", tp.ID), v)
	mustStatus(t, p, http.StatusSeeOther)
	got, err := env.App.Topic(env.AdminCtx(), tp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Stages) != 4 || got.Stages[0].ID != tp.Stages[0].ID || got.Stages[0].NameRU != "Диагностика и КП" ||
		got.Stages[1].NameRU != "Пилот" || got.Stages[0].TaskChain != nil {
		t.Fatalf("after edit: %+v", got.Stages)
	}
	// "More rows" draws the form again with more blank rows and saves nothing.
	v.Set("more", "1")
	p = b.post(fmt.Sprintf("/admin/topics/%d/edit", tp.ID), v)
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `name="stages.8.name_ru"`)

	// A sales user sees the card without edit controls.
	_, spw := env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, d.ID)
	s := loggedIn(t, env, "seller", spw)
	card = s.get(fmt.Sprintf("/admin/topics/%d", tp.ID))
	mustStatus(t, card, http.StatusOK)
	mustNotContain(t, card, `id="edit"`, `id="delete"`)
	mustStatus(t, s.get(fmt.Sprintf("/admin/topics/%d/edit", tp.ID)), http.StatusForbidden)
	_ = app.System
}
