package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// dealWorld is a seller of one directorate with a company, a topic of four stages and a
// stranger of another directorate.
type dealWorld struct {
	env      *testenv.Env
	dir      *crm.Directorate
	seller   *crm.User
	password string
	stranger string
	company  *crm.Company
	topic    *crm.Topic
}

func newDealWorld(t *testing.T) *dealWorld {
	t.Helper()
	env := testenv.Start(t, testenv.Options{})
	w := &dealWorld{env: env}
	w.dir = env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	other := env.CreateDirectorate(t, "Дирекция госсектора")
	w.seller, w.password = env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, w.dir.ID)
	_, w.stranger = env.CreateUser(t, "stranger", crm.Roles{crm.RoleSales}, other.ID)
	w.company = &crm.Company{Name: "ООО «Ромашка»", Kind: crm.KindLegal, DirectorateID: &w.dir.ID}
	w.company.Normalise()
	if err := env.DB.CreateCompany(context.Background(), w.company); err != nil {
		t.Fatal(err)
	}
	var err error
	w.topic, err = env.App.CreateTopic(env.AdminCtx(), app.TopicInput{Name: "Поставки оборудования", Active: true, Stages: []crm.Stage{
		{NameRU: "Квалификация", Kind: crm.StageOpen, Probability: 10},
		{NameRU: "Предложение", Kind: crm.StageOpen, Probability: 50},
		{NameRU: "Договор заключён", Kind: crm.StageWon, Probability: 100},
		{NameRU: "Отказ", Kind: crm.StageLost},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *dealWorld) deal(t *testing.T, name string, stage int, amount int64) *crm.Deal {
	t.Helper()
	d, err := w.env.App.CreateDeal(w.env.Ctx(w.seller), app.DealInput{Name: name, CompanyID: &w.company.ID,
		TopicID: w.topic.ID, StageID: w.topic.Stages[stage].ID, Amount: amount})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// moveJSON posts a move the way the board's script does and decodes the answer.
func moveJSON(t *testing.T, b *browser, id, version, stage int64, reason string) (int, map[string]any) {
	t.Helper()
	f := form("version", itoa(version), "stage_id", itoa(stage), "loss_reason", reason)
	req, _ := http.NewRequest(http.MethodPost, b.env.URL+"/deals/"+itoa(id)+"/move", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", b.env.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	p := b.do(req)
	var out map[string]any
	if err := json.Unmarshal([]byte(p.Body), &out); err != nil {
		t.Fatalf("move answer is not JSON (%d): %s", p.Status, p.Body)
	}
	return p.Status, out
}

func TestDealBoardColumnsHeadsAndMore(t *testing.T) {
	w := newDealWorld(t)
	for i := 0; i < 35; i++ {
		w.deal(t, fmt.Sprintf("Сделка %02d", i), 0, 100_00)
	}
	w.deal(t, "Почти договор", 1, 1_000_000_50)
	b := loggedIn(t, w.env, "seller", w.password)

	p := b.get("/deals/board?topic=" + itoa(w.topic.ID))
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, "Квалификация", "Предложение", "Договор заключён", "Отказ",
		`data-count="35"`, `data-sum="350000"`, `data-count="1"`, `data-sum="100000050"`, rub("1 000 000,50"),
		`x-sort.ghost="drop($item, $el)"`, `forceFallback: true`, `data-kind="lost"`, "Почти договор", "ООО «Ромашка»", `id="lost-reason"`)
	// Only the first 30 cards of a column, newest on the stage first; the rest on demand.
	if n := strings.Count(p.Body, "data-deal="); n != 31 {
		t.Fatalf("cards on the board: %d, want 31", n)
	}
	mustContain(t, p, "Сделка 34")
	mustNotContain(t, p, "Сделка 04")
	i := strings.Index(p.Body, `hx-get="/deals/board/column?`)
	if i < 0 {
		t.Fatal("no show-more button")
	}
	more := p.Body[i+len(`hx-get="`):]
	more = strings.ReplaceAll(more[:strings.Index(more, `"`)], "&amp;", "&")
	col := b.get(more, "HX-Request", "true")
	mustStatus(t, col, http.StatusOK)
	if n := strings.Count(col.Body, "data-deal="); n != 5 {
		t.Fatalf("more cards: %d, want 5", n)
	}
	mustContain(t, col, "Сделка 04", "Сделка 00")
	mustNotContain(t, col, "<html", "hx-get=")

	// The list shows the same deals and links to the board with the topic kept.
	l := b.get("/deals?topic=" + itoa(w.topic.ID) + "&stage=" + itoa(w.topic.Stages[1].ID))
	mustStatus(t, l, http.StatusOK)
	mustContain(t, l, "Почти договор", `href="/deals/board?topic=`+itoa(w.topic.ID)+`"`)
	mustNotContain(t, l, "Сделка 01")
	// The company filter is a picker showing the chosen company's name.
	l = b.get("/deals?company=" + itoa(w.company.ID))
	mustStatus(t, l, http.StatusOK)
	mustContain(t, l, `name="company" value="`+itoa(w.company.ID)+`"`, `value="ООО «Ромашка»"`, "Сделка 01", "Почти договор")
}

func TestDealMoveToLostNeedsAReason(t *testing.T) {
	w := newDealWorld(t)
	d := w.deal(t, "Поставка серверов", 1, 500_000_00)
	b := loggedIn(t, w.env, "seller", w.password)
	lost := w.topic.Stages[3].ID

	// The board's drop without a reason: 422 naming the field, nothing changed.
	status, res := moveJSON(t, b, d.ID, d.Version, lost, "")
	fields, _ := res["fields"].(map[string]any)
	if status != http.StatusUnprocessableEntity || res["ok"] != false || fields["loss_reason"] != "Укажите причину отказа." {
		t.Fatalf("lost without reason: %d %v", status, res)
	}
	got, _ := w.env.App.Deal(w.env.AdminCtx(), d.ID)
	if got.Status != crm.DealOpen || got.StageID != w.topic.Stages[1].ID || got.Version != d.Version {
		t.Fatalf("refused move changed the deal: %+v", got)
	}
	hist, _ := w.env.App.StageHistory(w.env.AdminCtx(), d.ID)
	if len(hist) != 1 {
		t.Fatalf("refused move wrote history: %+v", hist)
	}

	// Another directorate's seller may not move it.
	other := loggedIn(t, w.env, "stranger", w.stranger)
	if status, _ := moveJSON(t, other, d.ID, d.Version, w.topic.Stages[0].ID, ""); status != http.StatusForbidden {
		t.Fatalf("stranger's move: %d", status)
	}

	// The card's move form without a reason goes back to the card with the reason asked for.
	p := b.post("/deals/"+itoa(d.ID)+"/move", form("version", itoa(d.Version), "stage_id", fmt.Sprintf("%d:lost", lost)))
	mustStatus(t, p, http.StatusSeeOther)
	card := b.get(p.Location)
	mustContain(t, card, "Укажите причину отказа.", `id="move-form"`, "Поставка серверов")

	// With a reason the deal is lost at the stage it left; the answer carries the new version.
	status, res = moveJSON(t, b, d.ID, d.Version, lost, "too_expensive")
	if status != http.StatusOK || res["ok"] != true || res["status"] != "lost" || res["version"] != float64(d.Version+1) {
		t.Fatalf("lost with reason: %d %v", status, res)
	}
	got, _ = w.env.App.Deal(w.env.AdminCtx(), d.ID)
	if got.LossReason != "too_expensive" || got.LostAtStageID == nil || *got.LostAtStageID != w.topic.Stages[1].ID {
		t.Fatalf("lost deal: %+v", got)
	}
	card = b.get("/deals/" + itoa(d.ID))
	mustContain(t, card, "Проиграна", "Дорого", "Этап отказа", `id="stage-history"`, "Предложение")

	// Winning offers the contract (R38).
	status, res = moveJSON(t, b, d.ID, got.Version, w.topic.Stages[2].ID, "")
	if status != http.StatusOK || res["won"] != true {
		t.Fatalf("won: %d %v", status, res)
	}
	mustContain(t, b.get("/deals/"+itoa(d.ID)), `id="create-contract"`, "/contracts/new?deal="+itoa(d.ID))
}

func TestDealFormReadsMoneyExactlyAndLines(t *testing.T) {
	w := newDealWorld(t)
	b := loggedIn(t, w.env, "seller", w.password)
	p := b.get("/deals/new?company_id=" + itoa(w.company.ID))
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `name="company_id" value="`+itoa(w.company.ID)+`"`, `value="ООО «Ромашка»"`, "Поставки оборудования",
		`data-topic="`+itoa(w.topic.ID)+`"`, `x-data="dealLines()"`)

	base := form("company_id", itoa(w.company.ID), "topic_id", itoa(w.topic.ID), "stage_id", "", "directorate_id", itoa(w.dir.ID),
		"responsible_id", itoa(w.seller.ID), "amount", "12,345")
	p = b.post("/deals/new", base)
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-amount-error"`, `value="12,345"`)

	good := form("company_id", itoa(w.company.ID), "topic_id", itoa(w.topic.ID), "directorate_id", itoa(w.dir.ID),
		"responsible_id", itoa(w.seller.ID), "amount", "1 250 000,50", "tags", "госсектор, приоритет",
		"line_product", "", "line_description", "Лицензии", "line_quantity", "40", "line_price", "25000",
		"line_product", "", "line_description", "", "line_quantity", "1", "line_price", "")
	p = b.post("/deals/new", good)
	mustStatus(t, p, http.StatusSeeOther)
	id := strings.TrimPrefix(p.Location, "/deals/")
	page, err := w.env.App.ListDeals(w.env.AdminCtx(), crm.DealFilter{CompanyID: w.company.ID})
	if err != nil || len(page.Items) != 1 || itoa(page.Items[0].ID) != id {
		t.Fatalf("created: %v %+v", err, page.Items)
	}
	d, _ := w.env.App.Deal(w.env.AdminCtx(), page.Items[0].ID)
	if d.Amount != 125_000_050 || d.StageID != w.topic.Stages[0].ID || len(d.Lines) != 1 || d.Lines[0].Amount != 1_000_000_00 ||
		len(d.Tags) != 2 || d.Name != "ООО «Ромашка» — Поставки оборудования" {
		t.Fatalf("deal from the form: %+v", d)
	}
	card := b.get(p.Location)
	mustContain(t, card, rub("1 250 000,50"), "Лицензии", "Итого по позициям", "Квалификация")

	// A stage of the wrong kind of line is an inline error, the typed rows come back.
	bad := form("version", itoa(d.Version), "company_id", itoa(w.company.ID), "topic_id", itoa(w.topic.ID),
		"stage_id", itoa(w.topic.Stages[3].ID), "directorate_id", itoa(w.dir.ID), "amount", "10",
		"line_product", "", "line_description", "Работы", "line_quantity", "0", "line_price", "5")
	p = b.post("/deals/"+id+"/edit", bad)
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-lines-error"`, `value="Работы"`)
}

func TestContractScreens(t *testing.T) {
	w := newDealWorld(t)
	d := w.deal(t, "Поставка", 2, 900_000_00)
	b := loggedIn(t, w.env, "seller", w.password)

	p := b.get("/contracts/new?deal=" + itoa(d.ID))
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `name="deal_id" value="`+itoa(d.ID)+`"`, `value="900000.00"`, `value="ООО «Ромашка»"`, `<option value="signed" selected>`)
	p = b.post("/contracts/new", form("deal_id", itoa(d.ID), "number", "7/2026", "date", "2026-05-01", "amount", "900 000",
		"company_id", itoa(w.company.ID), "status", "signed", "directorate_id", itoa(w.dir.ID)))
	mustStatus(t, p, http.StatusSeeOther)
	card := p.Location
	// The same number in the same year: inline error on the number.
	p = b.post("/contracts/new", form("number", "7/2026", "date", "2026-09-01", "amount", "1", "company_id", itoa(w.company.ID),
		"status", "draft", "directorate_id", itoa(w.dir.ID)))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-number-error"`)
	b.post("/contracts/new", form("number", "8/2026", "date", "2026-06-01", "amount", "500", "company_id", itoa(w.company.ID),
		"status", "draft", "directorate_id", itoa(w.dir.ID)))

	// Payments: a bad amount is an inline error; a good one adds up.
	p = b.post(card+"/payments", form("paid_on", "2026-05-10", "amount", "0"))
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-amount-error"`)
	p = b.post(card+"/payments", form("paid_on", "2026-05-10", "amount", "300 000,25", "note", "Аванс"))
	mustStatus(t, p, http.StatusSeeOther)
	mustContain(t, b.get(card), "Аванс", rub("300 000,25"), "Осталось оплатить", rub("599 999,75"))

	// The list shows income (signed only, not the draft) and paid above the table, also when
	// htmx redraws it.
	l := b.get("/contracts")
	mustStatus(t, l, http.StatusOK)
	mustContain(t, l, rub(`id="total-income">900 000,00`), rub(`id="total-paid">300 000,25`), "7/2026", "8/2026")
	h := b.get("/contracts?status=draft", "HX-Request", "true", "HX-Target", "list-region")
	mustStatus(t, h, http.StatusOK)
	mustContain(t, h, `id="list-region"`, `hx-swap-oob="true"`, `id="total-income">0,00`, "8/2026")
	mustNotContain(t, h, "<html", "7/2026")
	mustContain(t, b.get("/deals/"+itoa(d.ID)), `id="deal-contracts"`, "7/2026")
}

// rub writes an amount as the Russian screens show it: digit groups joined by no-break spaces.
func rub(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }
