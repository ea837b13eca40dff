package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/jobs"
	"github.com/ladder-crm/ladder/internal/store/storetest"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// TestSalesScenario is acceptance item 1 of the sales core, run through the real UI in
// Chromium by a sales manager on each database: a company with a contact, found by a
// lower-case Cyrillic search; a deal dragged across the kanban and lost with a reason; a file
// and a task with a live reminder on the deal; a 1,000-row contact import with 50 duplicates;
// the contact list exported to XLSX and read back.
func TestSalesScenario(t *testing.T) {
	chromiumPath(t)
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			started := time.Now()
			// LADDER_E2E_VERBOSE=1 shows the server's log, for a step that fails with a 500.
			env := testenv.Start(t, testenv.Options{DBURL: k.URL(t), Verbose: os.Getenv("LADDER_E2E_VERBOSE") != ""})
			runSalesScenario(t, env)
			t.Logf("scenario on %s took %v", k.Name, time.Since(started).Round(time.Millisecond))
		})
	}
}

// salesRun carries what one scenario learns as it goes (ids read from addresses).
type salesRun struct {
	*session
	manager   *crm.User
	companyID int64
	contactID int64
	dealID    int64
}

func runSalesScenario(t *testing.T, env *testenv.Env) {
	// The background workers of `ladder serve`: reminders (step 7) and import jobs (step 8).
	ctx, cancel := context.WithCancel(context.Background())
	wait := jobs.Start(ctx, env.App, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { cancel(); wait() })

	dir := env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	manager, password := env.CreateUser(t, "manager", crm.Roles{crm.RoleManager}, dir.ID)
	r := &salesRun{session: newSession(t, env, "ru-RU,ru"), manager: manager}
	r.logIn("manager", password)

	r.createCompanyAndContact()
	r.findContact()
	r.createDeal()
	r.dragOnKanban()
	r.loseDeal()
	r.attachFile()
	r.addTaskWithReminder()
	r.importContacts()
	r.exportContacts()
}

// Step 1: Контрагенты → Создать, a company with a valid INN and a phone; its card offers a
// new contact of that company.
func (r *salesRun) createCompanyAndContact() {
	r.t.Helper()
	r.open("companies", "/companies", "#create")
	r.do("new company form", chromedp.Click(chromedp.CSS("#create")), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	r.do("fill the company",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "ООО «Ладога Трейд»"),
		chromedp.SendKeys(chromedp.CSS("#f-inn"), "7707083893"),
		chromedp.SendKeys(chromedp.CSS(`#f-phones input[name="phones"]`), "8 (812) 555-12-34"),
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#card-title")),
	)
	r.expect("company card", "#card-title", "ООО «Ладога Трейд»")
	r.expect("company INN on the card", "#card-body", "7707083893")
	r.expect("company phone normalised", "#card-body", "+7 812 555")
	r.companyID = r.idFromLocation("company created", "/companies/")

	r.do("new contact of the company", chromedp.Click(chromedp.CSS("#new-contact")), chromedp.WaitVisible(chromedp.CSS("#f-last-name")))
	r.checkValue("company chosen in the picker", "#f-company_id", strconv.FormatInt(r.companyID, 10))
	r.do("fill the contact",
		chromedp.SendKeys(chromedp.CSS("#f-last-name"), "Иванова"),
		chromedp.SendKeys(chromedp.CSS("#f-first-name"), "Мария"),
		chromedp.SendKeys(chromedp.CSS("#f-middle-name"), "Петровна"),
		chromedp.SendKeys(chromedp.CSS("#f-position"), "Коммерческий директор"),
		chromedp.SendKeys(chromedp.CSS(`#f-phones input[name="phones"]`), "+7 916 123-45-67"),
		chromedp.SendKeys(chromedp.CSS(`#f-emails input[name="emails"]`), "M.Ivanova@Ladoga-Trade.RU"),
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#card-title")),
	)
	r.expect("contact card", "#card-title", "Иванова Мария Петровна")
	r.expect("contact's company", "#card-body", "ООО «Ладога Трейд»")
	r.expect("e-mail lower-cased", "#card-body", "m.ivanova@ladoga-trade.ru")
	r.contactID = r.idFromLocation("contact created", "/contacts/")
}

// Step 2: the header search finds the contact by a lower-case Cyrillic prefix; the hit opens
// the card, and the search page lists it too.
func (r *salesRun) findContact() {
	r.t.Helper()
	r.open("home", "/", "#search-box-input")
	r.do("type in the header search", chromedp.SendKeys(chromedp.CSS("#search-box-input"), "иванова"))
	hit := fmt.Sprintf(`#search-dropdown a.search-hit[href="/contacts/%d"]`, r.contactID)
	if r.visibleSoon("contact in the header dropdown", hit) {
		r.expect("hit shows the full name", hit, "Иванова Мария Петровна")
		r.do("open the hit", chromedp.Click(chromedp.CSS(hit)), chromedp.WaitVisible(chromedp.CSS("#card-title")))
	} else {
		// The failure is recorded; Enter still opens the search page, so the scenario goes on.
		r.do("open the search page with Enter", chromedp.SendKeys(chromedp.CSS("#search-box-input"), kb.Enter),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`a.search-hit[href="/contacts/%d"]`, r.contactID))))
		r.do("open the hit from the search page", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a.search-hit[href="/contacts/%d"]`, r.contactID))),
			chromedp.WaitVisible(chromedp.CSS("#card-title")))
	}
	r.expectLocation("contact card from the search", fmt.Sprintf("/contacts/%d", r.contactID))
	r.expect("contact card title", "#card-title", "Иванова Мария Петровна")

	r.open("search page", "/search?q="+urlQuery("иванова"), "main")
	r.do("contact on the search page", chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`a.search-hit[href="/contacts/%d"]`, r.contactID))))
}

// Step 3: Сделки → Создать, a deal of the company and its contact on «Основные продажи».
func (r *salesRun) createDeal() {
	r.t.Helper()
	r.open("deals", "/deals", "#create")
	r.do("new deal form", chromedp.Click(chromedp.CSS("#create")), chromedp.WaitVisible(chromedp.CSS("#deal-form #f-name")))
	r.do("name the deal", chromedp.SendKeys(chromedp.CSS("#f-name"), "Поставка лицензий для Ладоги"))
	r.pickRecord("choose the company", "company_id", "ладога", "ООО «Ладога Трейд»")
	r.pickRecord("choose the contact", "contact_id", "", "Иванова Мария Петровна")
	r.do("choose the topic and amount",
		selectByLabel("#f-topic-id", "Основные продажи"),
		chromedp.SendKeys(chromedp.CSS("#f-amount"), "250000"),
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#card-title")),
	)
	r.expect("deal card", "#card-title", "Поставка лицензий для Ладоги")
	r.expect("deal on the first stage of the default topic", ".page-header", "Основные продажи · Первичный контакт")
	r.expect("deal's company", "#card-body", "ООО «Ладога Трейд»")
	r.expect("deal's contact", "#card-body", "Иванова Мария Петровна")
	r.dealID = r.idFromLocation("deal created", "/deals/")
}

// Step 4: the card is dragged from the first column to the second with the mouse; after a
// reload it is still there, and the deal card's stage history shows the move.
func (r *salesRun) dragOnKanban() {
	r.t.Helper()
	d := r.deal("deal read")
	card := fmt.Sprintf(`[data-deal="%d"]`, r.dealID)
	column := func(n int) string {
		return fmt.Sprintf(`#kanban section.kanban-column:nth-of-type(%d) .kanban-cards`, n)
	}
	r.open("kanban", fmt.Sprintf("/deals/board?topic=%d", d.TopicID), "#kanban "+card)
	r.expect("card in the first column", column(1), "Поставка лицензий для Ладоги")
	r.expect("second column is the meeting", "#kanban section.kanban-column:nth-of-type(2) .kanban-title", "Встреча")
	meeting, err := chromedp.Run(r.ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).dataset.stage`, column(2))))
	if err != nil {
		r.fail("stage of the second column", err)
	}
	r.do("drag to the second stage", chromedp.DragAndDrop(chromedp.CSS(card), chromedp.CSS(column(2))))
	r.expect("saved", "#toasts", "Сделка перенесена на другой этап.")
	r.waitDeal("deal on the meeting stage", func(d *crm.Deal) bool {
		return strconv.FormatInt(d.StageID, 10) == meeting && d.Probability == 20
	})

	r.do("reload the board", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#kanban "+card)))
	r.do("card in the second column after reload", chromedp.WaitVisible(chromedp.CSS(column(2)+" "+card)))
	r.expectNumbers("head of the second column", "#kanban section.kanban-column:nth-of-type(2) [data-count]", 1)
	r.expectNumbers("head of the first column", "#kanban section.kanban-column:nth-of-type(1) [data-count]", 0)

	r.do("open the deal from its card", chromedp.Click(chromedp.CSS(card+" a.kanban-card-name")), chromedp.WaitVisible(chromedp.CSS("#stage-history")))
	r.expect("history: the move, newest first", "#stage-history tbody tr:first-child", "Первичный контакт")
	r.expect("history: to the meeting", "#stage-history tbody tr:first-child", "Встреча")
	r.expect("history: by the manager", "#stage-history tbody tr:first-child", r.manager.FullName)
}

// Step 5: moving to the lost stage without a reason is refused; with a reason the deal is
// «Проиграна».
func (r *salesRun) loseDeal() {
	r.t.Helper()
	r.open("deal card", fmt.Sprintf("/deals/%d", r.dealID), "#move-form")
	r.do("lost stage without a reason",
		selectByValueSuffix("#move-stage", ":lost"),
		chromedp.WaitVisible(chromedp.CSS("#move-reason")),
		chromedp.Click(chromedp.CSS("#move")),
		chromedp.WaitVisible(chromedp.CSS("#move-form")),
	)
	r.expect("reason required", "#toasts", "Укажите причину отказа.")
	r.expect("still open", "h1.page-title", "В работе")
	if d := r.deal("deal after the refusal"); d.Status != crm.DealOpen {
		r.fail("refused move changed nothing", fmt.Errorf("deal is %s", d.Status))
	}

	r.do("lost stage with a reason",
		selectByValueSuffix("#move-stage", ":lost"),
		chromedp.WaitVisible(chromedp.CSS("#move-reason")),
		selectByLabel("#move-reason", "Дорого"),
		chromedp.Click(chromedp.CSS("#move")),
	)
	r.expect("status lost", "h1.page-title", "Проиграна")
	r.expect("reason on the card", "#card-body", "Дорого")
	r.expect("history: to the lost stage", "#stage-history tbody tr:first-child", "Отказ")
	d := r.waitDeal("deal lost", func(d *crm.Deal) bool { return d.Status == crm.DealLost })
	if d.LossReason != "too_expensive" {
		r.fail("loss reason stored", fmt.Errorf("reason %q", d.LossReason))
	}
}

// samplePDF is a small, valid PDF (one empty page) made in the test: the upload is typed by
// its content, not by its name.
const samplePDF = "%PDF-1.4\n" +
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n" +
	"trailer << /Root 1 0 R >>\n%%EOF\n"

// Step 6: a PDF on the deal's Files tab is listed; its link downloads the same bytes under
// its Cyrillic name.
func (r *salesRun) attachFile() {
	r.t.Helper()
	path := filepath.Join(r.t.TempDir(), "КП Ладога.pdf")
	if err := os.WriteFile(path, []byte(samplePDF), 0o644); err != nil {
		r.t.Fatal(err)
	}
	r.open("deal card", fmt.Sprintf("/deals/%d", r.dealID), "#tab-files")
	r.do("files tab", chromedp.Click(chromedp.CSS("#tab-files")), chromedp.WaitVisible(chromedp.CSS("#f-file")))
	r.do("upload the PDF",
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{path}),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Коммерческое предложение"),
		chromedp.Click(chromedp.CSS("#file-upload")),
		chromedp.WaitVisible(chromedp.CSS("#file-list")),
	)
	r.expect("file listed", "#file-list", "КП Ладога.pdf")
	r.expect("description listed", "#file-list", "Коммерческое предложение")

	// The link, fetched by the page itself (the session cookie goes along).
	got := r.fetch("download the file", "#file-list tbody tr:first-child a[download]")
	if got.Status != 200 || got.Body != samplePDF {
		r.fail("downloaded bytes", fmt.Errorf("status %d, %d bytes, body %q", got.Status, len(got.Body), limit(got.Body, 80)))
	}
	if !strings.HasPrefix(got.Type, "application/pdf") {
		r.fail("download type", fmt.Errorf("Content-Type %q", got.Type))
	}
	if !strings.Contains(got.Disposition, "attachment") || !strings.Contains(got.Disposition, "filename*=UTF-8''"+urlPath("КП Ладога.pdf")) {
		r.fail("download name", fmt.Errorf("Content-Disposition %q", got.Disposition))
	}
}

// Step 7: a task on the deal reminds a few seconds later; the bell counts it without a reload
// (the reminder comes over the page's event stream) and its dropdown lists it.
func (r *salesRun) addTaskWithReminder() {
	r.t.Helper()
	loc, err := time.LoadLocation(r.manager.TimeZone)
	if err != nil {
		r.t.Fatal(err)
	}
	r.open("deal card", fmt.Sprintf("/deals/%d", r.dealID), "#tab-tasks")
	r.do("tasks tab", chromedp.Click(chromedp.CSS("#tab-tasks")), chromedp.WaitVisible(chromedp.CSS("#task-form #f-title")))
	r.checkNoBellCount("no reminders yet")
	// The page is the one that must change: mark it, and the mark must survive (no reload).
	r.do("mark the page", js(`window.salesMark = "same page"`))
	r.waitFor("event stream subscribed", func() (bool, string) {
		n := r.env.App.Notifier().Subscribers(r.manager.ID)
		return n > 0, fmt.Sprintf("%d subscribers", n)
	})
	now := time.Now().In(loc)
	remind := now.Add(4 * time.Second).Format("2006-01-02T15:04:05")
	due := now.Add(time.Hour).Format("2006-01-02T15:04")
	r.do("add the task",
		chromedp.SendKeys(chromedp.CSS("#task-form #f-title"), "Позвонить Ивановой по КП"),
		chromedp.SetValue(chromedp.CSS("#task-form #f-due-at"), due),
		chromedp.SetValue(chromedp.CSS("#task-form #f-remind-at"), remind),
		chromedp.Click(chromedp.CSS("#task-add")),
		chromedp.WaitVisible(chromedp.CSS("#task-items")),
	)
	r.expect("task listed on the card", "#task-items", "Позвонить Ивановой по КП")
	r.expect("bell count after the reminder", "#bell-count", "1")
	mark, err := chromedp.Run(r.ctx, chromedp.Evaluate[string](`String(window.salesMark)`))
	if err != nil || mark != "same page" {
		r.fail("bell changed without a reload", fmt.Errorf("mark %q, %v", mark, err))
	}
	r.do("open the bell", chromedp.Click(chromedp.CSS("#bell-toggle")), chromedp.WaitVisible(chromedp.CSS("#bell-items")))
	r.expect("reminder in the bell", "#bell-items", "Позвонить Ивановой по КП")
	r.expect("reminder names the deal", "#bell-items", "Поставка лицензий для Ладоги")
}

// importContacts and exportContacts are steps 8 and 9 (sales_import_test.go).

// --- helpers -------------------------------------------------------------------------------

var recordID = regexp.MustCompile(`/(\d+)(?:[/?#]|$)`)

// idFromLocation reads the record id from the address once it starts with prefix.
func (r *salesRun) idFromLocation(step, prefix string) int64 {
	r.t.Helper()
	r.expectLocation(step, prefix)
	loc, err := chromedp.Run(r.ctx, chromedp.Location())
	if err != nil {
		r.fail(step, err)
	}
	i := strings.Index(loc, prefix)
	m := recordID.FindStringSubmatch(loc[i+len(prefix)-1:])
	if m == nil {
		r.fail(step, fmt.Errorf("no id in %q", loc))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// visibleSoon waits up to 10 seconds for sel to show. When it does not, the step is recorded
// as failed (with a screenshot) but the scenario goes on, so that one broken widget does not
// hide the state of every later step.
func (r *salesRun) visibleSoon(step, sel string) bool {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel)))
	if err == nil {
		return true
	}
	name := unsafeName.ReplaceAllString(r.t.Name()+"-"+step, "_")
	path := filepath.Join("screenshots", name+".png")
	if serr := r.screenshot(path); serr == nil {
		r.t.Logf("screenshot of the failed step: e2e/%s", path)
	}
	r.t.Errorf("step %q failed: %s did not show: %v", step, sel, err)
	return false
}

// checkValue waits until an input's value is want.
func (r *salesRun) checkValue(step, sel, want string) {
	r.t.Helper()
	r.waitFor(step, func() (bool, string) {
		ctx, cancel := context.WithTimeout(r.ctx, 5*time.Second)
		defer cancel()
		v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		return err == nil && v == want, fmt.Sprintf("%s value %q (%v), want %q", sel, v, err, want)
	})
}

// checkNoBellCount: the bell shows no count.
func (r *salesRun) checkNoBellCount(step string) {
	r.t.Helper()
	n, err := chromedp.Run(r.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#bell-count").length`))
	if err != nil || n != 0 {
		r.fail(step, fmt.Errorf("bell counts %d (%v)", n, err))
	}
}

// pickRecord types into a record picker and chooses the hit whose text has label (an empty
// query lists the first records, for contacts those of the chosen company).
func (r *salesRun) pickRecord(step, name, query, label string) {
	r.t.Helper()
	input := "#f-" + name + "-q"
	item := fmt.Sprintf(`#f-%s-list button.dropdown-item`, name)
	r.do(step+": search", chromedp.Click(chromedp.CSS(input)))
	if query != "" {
		r.do(step+": type", chromedp.SendKeys(chromedp.CSS(input), query))
	}
	r.do(step+": hits", chromedp.WaitVisible(chromedp.CSS(item)))
	r.expect(step+": hit", "#f-"+name+"-list", label)
	r.do(step+": choose", chromedp.Click(chromedp.CSS(item)), chromedp.WaitNotVisible(chromedp.CSS(item)))
	r.waitFor(step+": chosen", func() (bool, string) {
		ctx, cancel := context.WithTimeout(r.ctx, 5*time.Second)
		defer cancel()
		id, err1 := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-"+name)))
		text, err2 := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(input)))
		return err1 == nil && err2 == nil && id != "" && strings.Contains(text, label), fmt.Sprintf("id %q, text %q", id, text)
	})
}

// deal reads the scenario's deal through the app.
func (r *salesRun) deal(step string) *crm.Deal {
	r.t.Helper()
	d, err := r.env.App.Deal(r.env.AdminCtx(), r.dealID)
	if err != nil {
		r.fail(step, err)
	}
	return d
}

// waitDeal waits until the stored deal satisfies ok.
func (r *salesRun) waitDeal(step string, ok func(d *crm.Deal) bool) *crm.Deal {
	r.t.Helper()
	var d *crm.Deal
	r.waitFor(step, func() (bool, string) {
		var err error
		d, err = r.env.App.Deal(r.env.AdminCtx(), r.dealID)
		return err == nil && ok(d), fmt.Sprintf("deal %+v (%v)", d, err)
	})
	return d
}

// waitFor polls cond for up to 15 seconds; the last description goes into the failure.
func (r *salesRun) waitFor(step string, cond func() (bool, string)) {
	r.t.Helper()
	var last string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var ok bool
		if ok, last = cond(); ok {
			return
		}
	}
	r.fail(step, fmt.Errorf("gave up waiting: %s", last))
}

// fetched is what the page got from fetch(): status, headers that matter, and the body as text.
type fetched struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	Body        string `json:"body"`
}

// fetch follows a link's href with the page's own fetch (same cookies as a click).
func (r *salesRun) fetch(step, linkSel string) fetched {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 20*time.Second)
	defer cancel()
	expr := fmt.Sprintf(`(async () => {
		const a = document.querySelector(%q);
		if (!a) throw new Error("no link %s");
		const res = await fetch(a.href, {credentials: "same-origin"});
		return {status: res.status, type: res.headers.get("Content-Type") || "",
			disposition: res.headers.get("Content-Disposition") || "", body: await res.text()};
	})()`, linkSel, linkSel)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[fetched](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		r.fail(step, err)
	}
	return got
}

// selectByLabel chooses the option whose text is label, as a person does, and fires the
// events Alpine and htmx listen to.
func selectByLabel(sel, label string) chromedp.Action[chromedp.Void] {
	return js(fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		const o = Array.from(s.options).find(o => o.textContent.trim() === %q);
		if (!o) throw new Error("no option %s in %s");
		s.value = o.value;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, sel, label, label, sel))
}

// selectByValueSuffix chooses the first option whose value ends with suffix.
func selectByValueSuffix(sel, suffix string) chromedp.Action[chromedp.Void] {
	return js(fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		const o = Array.from(s.options).find(o => o.value.endsWith(%q));
		if (!o) throw new Error("no option ending %s in %s");
		s.value = o.value;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, sel, suffix, suffix, sel))
}

func urlQuery(s string) string { return url.QueryEscape(s) }

// urlPath percent-encodes a file name as RFC 5987's filename* does (no reserved characters
// in the names this test uses).
func urlPath(s string) string { return url.PathEscape(s) }

func limit(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
