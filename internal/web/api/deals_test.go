package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// Deals and contracts join the list the OpenAPI test checks.
func init() {
	for _, base := range []string{"/api/v1/deals", "/api/v1/contracts"} {
		wantEndpoints = append(wantEndpoints, "GET "+base, "POST "+base, "GET "+base+"/{id}", "PATCH "+base+"/{id}",
			"DELETE "+base+"/{id}", "POST "+base+"/{id}/restore")
	}
	wantEndpoints = append(wantEndpoints, "GET /api/v1/deals/board", "GET /api/v1/deals/{id}/history",
		"POST /api/v1/deals/{id}/move", "GET /api/v1/contracts/income", "POST /api/v1/contracts/{id}/payments",
		"DELETE /api/v1/contracts/{id}/payments/{payment_id}")
}

// salesFixture is two directorates, a seller in each, a company and contact of the first, and
// a topic whose second stage hands out a task.
type salesFixture struct {
	env              *testenv.Env
	d1, d2           *crm.Directorate
	seller, stranger *crm.User
	sales, other     *client
	admin            *client
	company, rival   *crm.Company
	contact          *crm.Contact
	topic            *crm.Topic
}

func newSalesFixture(t *testing.T, env *testenv.Env) *salesFixture {
	t.Helper()
	f := &salesFixture{env: env}
	f.d1 = env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	f.d2 = env.CreateDirectorate(t, "Дирекция госсектора")
	f.seller, _ = env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, f.d1.ID)
	f.stranger, _ = env.CreateUser(t, "stranger", crm.Roles{crm.RoleSales}, f.d2.ID)
	f.sales = newClient(t, env, env.Token(t, f.seller, false))
	f.other = newClient(t, env, env.Token(t, f.stranger, false))
	f.admin = newClient(t, env, env.Token(t, env.Admin, false))
	ctx := context.Background()
	f.company = &crm.Company{Name: "ООО «Ромашка»", Kind: crm.KindLegal, DirectorateID: &f.d1.ID}
	f.rival = &crm.Company{Name: "АО «Василёк»", Kind: crm.KindLegal, DirectorateID: &f.d1.ID}
	for _, c := range []*crm.Company{f.company, f.rival} {
		c.Normalise()
		if err := env.DB.CreateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	f.contact = &crm.Contact{LastName: "Петров", FirstName: "Иван", CompanyID: &f.company.ID, DirectorateID: &f.d1.ID}
	if err := env.DB.CreateContact(ctx, f.contact); err != nil {
		t.Fatal(err)
	}
	var err error
	f.topic, err = env.App.CreateTopic(env.AdminCtx(), app.TopicInput{Name: "Поставки оборудования", Active: true, Stages: []crm.Stage{
		{NameRU: "Квалификация", Kind: crm.StageOpen, Probability: 10},
		{NameRU: "Коммерческое предложение", Kind: crm.StageOpen, Probability: 50,
			TaskChain: []crm.StageTask{{Title: "Отправить КП", DueDays: 3, Kind: "task"}}},
		{NameRU: "Договор заключён", Kind: crm.StageWon, Probability: 100},
		{NameRU: "Отказ", Kind: crm.StageLost},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *salesFixture) stage(i int) float64 { return float64(f.topic.Stages[i].ID) }

func TestDealsAPI(t *testing.T) {
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) { testDealsAPI(t, testenv.Start(t, testenv.Options{DBURL: k.URL(t)})) })
	}
}

func testDealsAPI(t *testing.T, env *testenv.Env) {
	f := newSalesFixture(t, env)

	// R34: a new deal lands on the topic's first open stage; the name follows the company and topic.
	r := f.sales.post("/api/v1/deals", map[string]any{"company_id": f.company.ID, "contact_id": f.contact.ID,
		"topic_id": f.topic.ID, "amount": 125000050, "lines": []map[string]any{{"description": "Сервер", "quantity": 2, "price": 50000000}}}).
		want(t, http.StatusCreated, "POST /deals")
	id, version := r.id(), r.version()
	if r.JSON["stage_id"] != f.stage(0) || r.str("status") != "open" || r.JSON["probability"] != 10.0 ||
		r.str("name") != "ООО «Ромашка» — Поставки оборудования" || r.JSON["directorate_id"] != float64(f.d1.ID) ||
		r.JSON["responsible_id"] != float64(f.seller.ID) {
		t.Fatalf("created deal: %s", r.Raw)
	}
	lines := r.JSON["lines"].([]any)
	if len(lines) != 1 || lines[0].(map[string]any)["amount"] != 100000000.0 {
		t.Fatalf("lines: %v", lines)
	}
	hist := f.sales.get("/api/v1/deals/"+itoa(id)+"/history").want(t, http.StatusOK, "history")
	if rows := historyRows(t, hist); len(rows) != 1 || rows[0]["to_stage_id"] != f.stage(0) || rows[0]["from_stage_id"] != nil {
		t.Fatalf("first history: %s", hist.Raw)
	}

	// Refusals: a stage of another topic, a contact of another company, no party at all.
	topics, err := env.App.ActiveTopics(env.AdminCtx())
	if err != nil || len(topics) < 2 {
		t.Fatalf("topics: %v %d", err, len(topics))
	}
	foreign := topics[0].Stages[0].ID
	if topics[0].ID == f.topic.ID {
		foreign = topics[1].Stages[0].ID
	}
	bad := f.sales.post("/api/v1/deals", map[string]any{"company_id": f.company.ID, "topic_id": f.topic.ID, "stage_id": foreign}).
		wantProblem(t, http.StatusUnprocessableEntity, "foreign stage")
	if bad.fieldErrors()["body.stage_id"] == "" {
		t.Fatalf("foreign stage errors: %s", bad.Raw)
	}
	bad = f.sales.post("/api/v1/deals", map[string]any{"company_id": f.rival.ID, "contact_id": f.contact.ID, "topic_id": f.topic.ID}).
		wantProblem(t, http.StatusUnprocessableEntity, "contact of another company")
	if bad.fieldErrors()["body.contact_id"] == "" {
		t.Fatalf("contact errors: %s", bad.Raw)
	}
	bad = f.sales.post("/api/v1/deals", map[string]any{"topic_id": f.topic.ID}).wantProblem(t, http.StatusUnprocessableEntity, "no party")
	if bad.fieldErrors()["body.company_id"] == "" {
		t.Fatalf("no party errors: %s", bad.Raw)
	}
	bad = f.sales.post("/api/v1/deals", map[string]any{"company_id": f.company.ID, "topic_id": f.topic.ID, "type": "no_such_type"}).
		wantProblem(t, http.StatusUnprocessableEntity, "unknown type")
	if bad.fieldErrors()["body.type"] == "" {
		t.Fatalf("type errors: %s", bad.Raw)
	}

	// R35: a lost stage without a reason is refused and nothing changes.
	before := snapshot(t, env)
	bad = f.sales.post("/api/v1/deals/"+itoa(id)+"/move", map[string]any{"version": version, "stage_id": f.topic.Stages[3].ID}).
		wantProblem(t, http.StatusUnprocessableEntity, "lost without reason")
	if bad.fieldErrors()["body.loss_reason"] == "" {
		t.Fatalf("lost errors: %s", bad.Raw)
	}
	f.sales.post("/api/v1/deals/"+itoa(id)+"/move", map[string]any{"version": version, "stage_id": f.topic.Stages[3].ID, "loss_reason": "no_such_reason"}).
		wantProblem(t, http.StatusUnprocessableEntity, "lost with an unknown reason")
	if after := snapshot(t, env); after != before {
		t.Fatalf("a refused move changed data:\nbefore %s\nafter  %s", before, after)
	}

	// Entering the second stage hands out its task to the responsible, due in three days.
	r = f.sales.post("/api/v1/deals/"+itoa(id)+"/move", map[string]any{"version": version, "stage_id": f.topic.Stages[1].ID}).
		want(t, http.StatusOK, "move to proposal")
	version = r.version()
	if r.JSON["probability"] != 50.0 || r.JSON["stage_id"] != f.stage(1) {
		t.Fatalf("after move: %s", r.Raw)
	}
	tasks, err := env.DB.ListTasks(context.Background(), crm.TaskFilter{Entity: crm.EntityDeal, RecordID: id})
	if err != nil || len(tasks.Items) != 1 || tasks.Items[0].Title != "Отправить КП" || tasks.Items[0].AssigneeID != f.seller.ID ||
		tasks.Items[0].Origin != "stage" || tasks.Items[0].DueAt == nil {
		t.Fatalf("stage tasks: %v %+v", err, tasks.Items)
	}

	// With a reason: lost, closed, lost at the stage it left, history written.
	r = f.sales.post("/api/v1/deals/"+itoa(id)+"/move", map[string]any{"version": version, "stage_id": f.topic.Stages[3].ID, "loss_reason": "too_expensive"}).
		want(t, http.StatusOK, "move to lost")
	version = r.version()
	if r.str("status") != "lost" || r.str("loss_reason") != "too_expensive" || r.JSON["lost_at_stage_id"] != f.stage(1) ||
		r.JSON["closed_at"] == nil || r.JSON["probability"] != 0.0 {
		t.Fatalf("lost deal: %s", r.Raw)
	}
	hist = f.sales.get("/api/v1/deals/"+itoa(id)+"/history").want(t, http.StatusOK, "history")
	rows := historyRows(t, hist)
	if len(rows) != 3 || rows[2]["from_stage_id"] != f.stage(1) || rows[2]["to_stage_id"] != f.stage(3) || rows[2]["by"] != float64(f.seller.ID) {
		t.Fatalf("history after lost: %s", hist.Raw)
	}

	// A stale version is a conflict; another directorate's seller may read but not move.
	f.sales.post("/api/v1/deals/"+itoa(id)+"/move", map[string]any{"version": version - 1, "stage_id": f.topic.Stages[0].ID}).
		wantProblem(t, http.StatusConflict, "stale move")
	f.other.get("/api/v1/deals/"+itoa(id)).want(t, http.StatusOK, "read another directorate's deal")
	f.other.post("/api/v1/deals/"+itoa(id)+"/move", map[string]any{"version": version, "stage_id": f.topic.Stages[0].ID}).
		wantProblem(t, http.StatusForbidden, "move another directorate's deal")
	f.other.patch("/api/v1/deals/"+itoa(id), map[string]any{"version": version, "amount": 1}).
		wantProblem(t, http.StatusForbidden, "patch another directorate's deal")
	f.other.del("/api/v1/deals/"+itoa(id)+"?version="+itoa(version)).wantProblem(t, http.StatusForbidden, "delete another directorate's deal")

	// Leaving lost reopens; won closes with probability 100.
	r = f.sales.post("/api/v1/deals/"+itoa(id)+"/move", map[string]any{"version": version, "stage_id": f.topic.Stages[0].ID}).
		want(t, http.StatusOK, "reopen")
	if r.str("status") != "open" || r.JSON["closed_at"] != nil || r.str("loss_reason") != "" || r.JSON["lost_at_stage_id"] != nil {
		t.Fatalf("reopened: %s", r.Raw)
	}
	r = f.sales.post("/api/v1/deals/"+itoa(r.id())+"/move", map[string]any{"version": r.version(), "stage_id": f.topic.Stages[2].ID}).
		want(t, http.StatusOK, "win")
	if r.str("status") != "won" || r.JSON["probability"] != 100.0 || r.JSON["closed_at"] == nil {
		t.Fatalf("won: %s", r.Raw)
	}
	version = r.version()

	// Hold is for open deals only; a probability set by hand stays over stage changes.
	f.sales.patch("/api/v1/deals/"+itoa(id), map[string]any{"version": version, "on_hold": true}).
		wantProblem(t, http.StatusUnprocessableEntity, "hold a won deal")
	r = f.sales.post("/api/v1/deals", map[string]any{"contact_id": f.contact.ID, "topic_id": f.topic.ID, "probability": 35,
		"tags": []string{"выставка"}}).want(t, http.StatusCreated, "POST manual probability")
	second := r.id()
	if r.JSON["probability"] != 35.0 || r.JSON["probability_manual"] != true || r.str("name") != "Петров Иван — Поставки оборудования" {
		t.Fatalf("manual probability: %s", r.Raw)
	}
	r = f.sales.patch("/api/v1/deals/"+itoa(second), map[string]any{"version": r.version(), "stage_id": f.topic.Stages[1].ID, "on_hold": true}).
		want(t, http.StatusOK, "patch stage and hold")
	if r.JSON["probability"] != 35.0 || r.str("status") != "on_hold" || r.JSON["stage_id"] != f.stage(1) {
		t.Fatalf("patched: %s", r.Raw)
	}
	// A topic change lands on the new topic's first open stage (R34).
	r = f.sales.patch("/api/v1/deals/"+itoa(second), map[string]any{"version": r.version(), "topic_id": topics[0].ID, "probability": nil}).
		want(t, http.StatusOK, "change topic")
	if r.JSON["stage_id"] != float64(topics[0].FirstOpen().ID) || r.JSON["probability_manual"] != false ||
		r.JSON["probability"] != float64(topics[0].FirstOpen().Probability) {
		t.Fatalf("topic change: %s", r.Raw)
	}

	// The board: the topic's stages with heads and cards; the list filters.
	board := f.sales.get("/api/v1/deals/board?topic_id="+itoa(f.topic.ID)).want(t, http.StatusOK, "board")
	cols := board.JSON["columns"].([]any)
	if len(cols) != 4 {
		t.Fatalf("board columns: %s", board.Raw)
	}
	won := cols[2].(map[string]any)
	if won["count"] != 1.0 || won["amount"] != 125000050.0 || len(won["cards"].([]any)) != 1 || cols[0].(map[string]any)["count"] != 0.0 {
		t.Fatalf("board heads: %s", board.Raw)
	}
	f.sales.get("/api/v1/deals/board").wantProblem(t, http.StatusUnprocessableEntity, "board without topic")
	list := f.sales.get("/api/v1/deals?status=won&company_id="+itoa(f.company.ID)).want(t, http.StatusOK, "list")
	if items := list.JSON["items"].([]any); len(items) != 1 || list.JSON["total"] != 1.0 {
		t.Fatalf("list: %s", list.Raw)
	}
	list = f.sales.get("/api/v1/deals?tag="+"%D0%B2%D1%8B%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B0&sort=-amount").want(t, http.StatusOK, "tag list")
	if items := list.JSON["items"].([]any); len(items) != 1 {
		t.Fatalf("tag list: %s", list.Raw)
	}
	f.sales.get("/api/v1/deals?close_from=31.12.2026").wantProblem(t, http.StatusUnprocessableEntity, "bad date filter")

	// Delete by the owner; restore is for admins.
	f.sales.del("/api/v1/deals/"+itoa(id)+"?version="+itoa(version)).want(t, http.StatusNoContent, "delete")
	f.sales.get("/api/v1/deals/"+itoa(id)).wantProblem(t, http.StatusNotFound, "deleted deal")
	f.sales.post("/api/v1/deals/"+itoa(id)+"/restore", nil).wantProblem(t, http.StatusForbidden, "restore by seller")
	f.admin.post("/api/v1/deals/"+itoa(id)+"/restore", nil).want(t, http.StatusOK, "restore by admin")
}

func historyRows(t *testing.T, r *response) []map[string]any {
	t.Helper()
	var rows []any
	if err := json.Unmarshal(r.Raw, &rows); err != nil {
		t.Fatalf("history: %v %s", err, r.Raw)
	}
	out := make([]map[string]any, 0, len(rows))
	for _, x := range rows {
		out = append(out, x.(map[string]any))
	}
	return out
}

func TestContractsAPI(t *testing.T) {
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) { testContractsAPI(t, testenv.Start(t, testenv.Options{DBURL: k.URL(t)})) })
	}
}

func testContractsAPI(t *testing.T, env *testenv.Env) {
	f := newSalesFixture(t, env)
	deal := f.sales.post("/api/v1/deals", map[string]any{"company_id": f.company.ID, "topic_id": f.topic.ID, "amount": 90000000}).
		want(t, http.StatusCreated, "deal")

	// From a deal: company and topic come from it (R37); signed without a date is signed now.
	r := f.sales.post("/api/v1/contracts", map[string]any{"number": "15/2026", "date": "2026-03-10", "deal_id": deal.id(),
		"amount": 90000000, "status": "signed"}).want(t, http.StatusCreated, "POST /contracts")
	cid, cver := r.id(), r.version()
	if r.JSON["company_id"] != float64(f.company.ID) || r.JSON["topic_id"] != float64(f.topic.ID) || r.JSON["signed_at"] == nil ||
		r.JSON["directorate_id"] != float64(f.d1.ID) || r.JSON["paid"] != 0.0 {
		t.Fatalf("created contract: %s", r.Raw)
	}

	// The number is unique within its year.
	before := snapshot(t, env)
	bad := f.sales.post("/api/v1/contracts", map[string]any{"number": "15/2026", "date": "2026-12-01", "company_id": f.rival.ID, "amount": 1}).
		wantProblem(t, http.StatusUnprocessableEntity, "duplicate number")
	if bad.fieldErrors()["body.number"] == "" {
		t.Fatalf("duplicate errors: %s", bad.Raw)
	}
	if snapshot(t, env) != before {
		t.Fatal("a refused contract changed data")
	}
	f.sales.post("/api/v1/contracts", map[string]any{"number": "15/2026", "date": "2027-01-12", "company_id": f.rival.ID, "amount": 1}).
		want(t, http.StatusCreated, "same number next year")
	f.sales.post("/api/v1/contracts", map[string]any{"number": "16/2026", "date": "2026-05-01", "amount": 1}).
		wantProblem(t, http.StatusUnprocessableEntity, "no company")

	// R39: income counts signed and completed only; paid counts every payment.
	for _, c := range []struct {
		number, status string
		amount         int64
	}{{"17/2026", "draft", 1000}, {"18/2026", "cancelled", 2000}, {"19/2026", "completed", 4000}} {
		f.sales.post("/api/v1/contracts", map[string]any{"number": c.number, "date": "2026-06-01", "company_id": f.company.ID,
			"amount": c.amount, "status": c.status}).want(t, http.StatusCreated, "contract "+c.number)
	}
	p := f.sales.post("/api/v1/contracts/"+itoa(cid)+"/payments", map[string]any{"paid_on": "2026-04-01", "amount": 30000000, "note": "Аванс"}).
		want(t, http.StatusCreated, "payment")
	f.sales.post("/api/v1/contracts/"+itoa(cid)+"/payments", map[string]any{"paid_on": "2026-04-01", "amount": 0}).
		wantProblem(t, http.StatusUnprocessableEntity, "zero payment")
	inc := f.sales.get("/api/v1/contracts/income?company_id="+itoa(f.company.ID)).want(t, http.StatusOK, "income")
	if inc.JSON["income"] != 90004000.0 || inc.JSON["paid"] != 30000000.0 {
		t.Fatalf("income: %s", inc.Raw)
	}
	inc = f.sales.get("/api/v1/contracts/income?company_id="+itoa(f.company.ID)+"&status=draft").want(t, http.StatusOK, "draft income")
	if inc.JSON["income"] != 0.0 {
		t.Fatalf("draft income: %s", inc.Raw)
	}
	got := f.sales.get("/api/v1/contracts/"+itoa(cid)).want(t, http.StatusOK, "GET contract")
	if got.JSON["paid"] != 30000000.0 || len(got.JSON["payments"].([]any)) != 1 {
		t.Fatalf("contract with payment: %s", got.Raw)
	}

	// Another directorate's seller reads but cannot change or pay.
	f.other.patch("/api/v1/contracts/"+itoa(cid), map[string]any{"version": cver, "amount": 1}).
		wantProblem(t, http.StatusForbidden, "patch another directorate's contract")
	f.other.post("/api/v1/contracts/"+itoa(cid)+"/payments", map[string]any{"paid_on": "2026-04-02", "amount": 1}).
		wantProblem(t, http.StatusForbidden, "pay another directorate's contract")
	f.other.del("/api/v1/contracts/"+itoa(cid)+"/payments/"+itoa(p.id())).wantProblem(t, http.StatusForbidden, "delete another's payment")

	f.sales.del("/api/v1/contracts/"+itoa(cid)+"/payments/"+itoa(p.id())).want(t, http.StatusNoContent, "delete payment")
	f.sales.del("/api/v1/contracts/"+itoa(cid)+"/payments/"+itoa(p.id())).wantProblem(t, http.StatusNotFound, "payment gone")
	r = f.sales.patch("/api/v1/contracts/"+itoa(cid), map[string]any{"version": cver, "status": "completed", "amount": 95000000}).
		want(t, http.StatusOK, "PATCH contract")
	if r.str("status") != "completed" || r.JSON["paid"] != 0.0 || r.JSON["amount"] != 95000000.0 {
		t.Fatalf("patched contract: %s", r.Raw)
	}
	f.sales.patch("/api/v1/contracts/"+itoa(cid), map[string]any{"version": cver, "amount": 1}).wantProblem(t, http.StatusConflict, "stale contract")
	// A deleted contract frees its number; restoring it while another holds the number is a 422.
	r = f.sales.post("/api/v1/contracts", map[string]any{"number": "20/2026", "date": "2026-07-01", "company_id": f.company.ID, "amount": 1}).
		want(t, http.StatusCreated, "contract 20")
	f.sales.del("/api/v1/contracts/"+itoa(r.id())+"?version="+itoa(r.version())).want(t, http.StatusNoContent, "delete contract 20")
	again := f.sales.post("/api/v1/contracts", map[string]any{"number": "20/2026", "date": "2026-08-01", "company_id": f.company.ID, "amount": 2}).
		want(t, http.StatusCreated, "number 20 again")
	bad = f.admin.post("/api/v1/contracts/"+itoa(r.id())+"/restore", nil).wantProblem(t, http.StatusUnprocessableEntity, "restore onto a taken number")
	if len(bad.fieldErrors()) != 1 {
		t.Fatalf("restore errors: %s", bad.Raw)
	}
	f.sales.del("/api/v1/contracts/"+itoa(again.id())+"?version="+itoa(again.version())).want(t, http.StatusNoContent, "delete the second 20")
	f.admin.post("/api/v1/contracts/"+itoa(r.id())+"/restore", nil).want(t, http.StatusOK, "restore once free")

	list := f.sales.get("/api/v1/contracts?company_id="+itoa(f.company.ID)+"&sort=-amount").want(t, http.StatusOK, "list")
	items := list.JSON["items"].([]any)
	if len(items) != 5 || items[0].(map[string]any)["id"] != float64(cid) {
		t.Fatalf("contract list: %s", list.Raw)
	}
}
