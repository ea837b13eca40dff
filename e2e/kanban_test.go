package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// TestKanbanDragAndDrop drags a deal card between stage columns as a person does (the
// browser's own drag events, which Alpine's x-sort listens to): an open stage saves at once
// and moves the column heads; a lost stage asks for the reason, cancel puts the card back,
// a reason loses the deal.
func TestKanbanDragAndDrop(t *testing.T) {
	chromiumPath(t)
	env := testenv.Start(t, testenv.Options{})
	dir := env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	seller, password := env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, dir.ID)
	company := &crm.Company{Name: "ООО «Ромашка»", Kind: crm.KindLegal, DirectorateID: &dir.ID}
	company.Normalise()
	if err := env.DB.CreateCompany(context.Background(), company); err != nil {
		t.Fatal(err)
	}
	topic, err := env.App.CreateTopic(env.AdminCtx(), app.TopicInput{Name: "Поставки", Active: true, Stages: []crm.Stage{
		{NameRU: "Квалификация", Kind: crm.StageOpen, Probability: 10},
		{NameRU: "Предложение", Kind: crm.StageOpen, Probability: 50},
		{NameRU: "Договор заключён", Kind: crm.StageWon, Probability: 100},
		{NameRU: "Отказ", Kind: crm.StageLost},
	}})
	if err != nil {
		t.Fatal(err)
	}
	deal, err := env.App.CreateDeal(env.Ctx(seller), app.DealInput{Name: "Поставка серверов", CompanyID: &company.ID,
		TopicID: topic.ID, Amount: 1_500_000_00})
	if err != nil {
		t.Fatal(err)
	}
	stage := func(i int) int64 { return topic.Stages[i].ID }
	card := fmt.Sprintf(`[data-deal="%d"]`, deal.ID)
	column := func(i int) string { return fmt.Sprintf(`.kanban-cards[data-stage="%d"]`, stage(i)) }
	waitDeal := func(s *session, step string, ok func(d *crm.Deal) bool) *crm.Deal {
		t.Helper()
		var d *crm.Deal
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if d, err = env.App.Deal(env.AdminCtx(), deal.ID); err == nil && ok(d) {
				return d
			}
		}
		s.fail(step, fmt.Errorf("deal is %+v", d))
		return nil
	}

	s := newSession(t, env, "ru-RU,ru")
	s.logIn("seller", password)
	s.open("board", fmt.Sprintf("/deals/board?topic=%d", topic.ID), "#kanban "+card)
	s.expect("card on the first stage", column(0), "Поставка серверов")

	// An open stage: saved at once, the heads follow.
	s.do("drag to the proposal stage", chromedp.DragAndDrop(chromedp.CSS(card), chromedp.CSS(column(1))))
	waitDeal(s, "deal on the proposal stage", func(d *crm.Deal) bool { return d.StageID == stage(1) && d.Probability == 50 })
	s.expect("head of the proposal stage", fmt.Sprintf(`[data-column="%d"] [data-count]`, stage(1)), "1")
	s.expect("head of the first stage", fmt.Sprintf(`[data-column="%d"] [data-count]`, stage(0)), "0")
	s.expect("sum of the proposal stage", fmt.Sprintf(`[data-column="%d"] [data-sum]`, stage(1)), "1\u00a0500\u00a0000,00")

	// A lost stage asks for the reason; cancel puts the card back and saves nothing.
	s.do("drag to lost", chromedp.DragAndDrop(chromedp.CSS(card), chromedp.CSS(column(3))), chromedp.WaitVisible(chromedp.CSS("#lost-reason")))
	s.do("cancel the reason", chromedp.Click(chromedp.CSS("#lost-cancel")), chromedp.WaitNotVisible(chromedp.CSS("#lost-reason")))
	s.expect("card back on the proposal stage", column(1), "Поставка серверов")
	if d, _ := env.App.Deal(env.AdminCtx(), deal.ID); d.Status != crm.DealOpen || d.StageID != stage(1) {
		t.Fatalf("cancel changed the deal: %+v", d)
	}

	// Without a reason the dialog refuses; with one the deal is lost at the stage it left.
	s.do("drag to lost again", chromedp.DragAndDrop(chromedp.CSS(card), chromedp.CSS(column(3))), chromedp.WaitVisible(chromedp.CSS("#lost-reason")))
	s.do("confirm without a reason", chromedp.Click(chromedp.CSS("#lost-ok")))
	s.expect("reason asked for", "#lost-form", "Укажите причину отказа")
	s.do("choose a reason",
		js(`(() => { const s = document.getElementById("lost-reason"); s.value = "too_expensive"; s.dispatchEvent(new Event("change", {bubbles: true})) })()`),
		chromedp.Click(chromedp.CSS("#lost-ok")),
		chromedp.WaitNotVisible(chromedp.CSS("#lost-reason")))
	lost := waitDeal(s, "deal lost", func(d *crm.Deal) bool { return d.Status == crm.DealLost })
	if lost.LossReason != "too_expensive" || lost.LostAtStageID == nil || *lost.LostAtStageID != stage(1) {
		t.Fatalf("lost deal: %+v", lost)
	}
	s.expect("card on the lost stage", column(3), "Поставка серверов")

	// Winning offers the contract (R38).
	s.do("drag to won", chromedp.DragAndDrop(chromedp.CSS(card), chromedp.CSS(column(2))), chromedp.WaitVisible(chromedp.CSS("#won-contract")))
	waitDeal(s, "deal won", func(d *crm.Deal) bool { return d.Status == crm.DealWon })
	s.do("create the contract", chromedp.Click(chromedp.CSS("#won-contract")), chromedp.WaitVisible(chromedp.CSS("#contract-form")))
	s.expect("contract form from the deal", "#contract-deal", "Поставка серверов")
}
