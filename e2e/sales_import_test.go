package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// The import file of step 8: 1,000 contact rows, of which the first 50 match contacts that
// exist already (25 by phone written another way, 25 by e-mail in other letter case), and
// one new row whose position is a formula (step 9 looks for it escaped in the export).
const (
	importRows      = 1000
	importDuplicate = 50
	formulaPosition = "=1+2"
	formulaEmail    = "imp0050@example.ru"
)

// existingContact is what the file repeats of a contact made before the import.
type existingContact struct {
	last, first, middle string
	phoneOther          string // the same number as stored, written another way
	emailOther          string // the same address in other letter case
}

// seedContacts makes the 49 contacts the file duplicates besides Иванова (made in step 1):
// data the import meets, written through the app as any other client would.
func (r *salesRun) seedContacts() []existingContact {
	r.t.Helper()
	out := []existingContact{{last: "Иванова", first: "Мария", middle: "Петровна", phoneOther: "8 (916) 123-45-67"}}
	ctx := r.env.Ctx(r.manager)
	for i := 1; i < importDuplicate; i++ {
		c := existingContact{last: "Соколов", first: fmt.Sprintf("Андрей%02d", i), middle: "Ильич"}
		phone := fmt.Sprintf("+7 903 200-%02d-%02d", i/100, i%100)
		email := fmt.Sprintf("sokolov%02d@partner.example.ru", i)
		if i%2 == 0 {
			c.phoneOther = fmt.Sprintf("8 903 200 %02d %02d", i/100, i%100)
		} else {
			c.emailOther = strings.ToUpper(email)
		}
		if _, err := r.env.App.CreateContact(ctx, app.ContactInput{LastName: c.last, FirstName: c.first, MiddleName: c.middle,
			Phones: []string{phone}, Emails: []string{email}}); err != nil {
			r.t.Fatalf("seed contact %d: %v", i, err)
		}
		out = append(out, c)
	}
	return out
}

// importCSV writes the file: a header a Russian user would have, ';' as Excel writes it here.
func importCSV(path string, existing []existingContact) error {
	var b strings.Builder
	b.WriteString("Фамилия;Имя;Отчество;Компания;Должность;Телефон;E-mail\r\n")
	lastNames := []string{"Кузнецов", "Попов", "Васильев", "Петров", "Смирнов", "Михайлов", "Фёдоров", "Морозов", "Волков", "Алексеев"}
	firstNames := []string{"Алексей", "Дмитрий", "Сергей", "Игорь", "Олег", "Николай", "Павел", "Роман", "Юрий", "Виктор"}
	for i := 0; i < importRows; i++ {
		if i < len(existing) {
			e := existing[i]
			fmt.Fprintf(&b, "%s;%s;%s;;Закупки;%s;%s\r\n", e.last, e.first, e.middle, e.phoneOther, e.emailOther)
			continue
		}
		company, position := "", "Менеджер по закупкам"
		if i%10 == 0 {
			company = "ООО «Ладога Трейд»"
		}
		email := fmt.Sprintf("imp%04d@example.ru", i)
		if email == formulaEmail {
			position = formulaPosition
		}
		fmt.Fprintf(&b, "%s;%s;Импортович;%s;%s;+7 925 %03d-%02d-%02d;%s\r\n", lastNames[i%10], firstNames[(i/10)%10],
			company, position, i/10000, (i/100)%100, i%100, email)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// Step 8: the CSV goes through /import (upload, the guessed mapping, preview, start) and the
// progress page reports 950 created and 50 duplicates; the contacts grew by exactly 950.
func (r *salesRun) importContacts() {
	r.t.Helper()
	existing := r.seedContacts()
	before := r.contactTotal("contacts before the import")
	path := filepath.Join(r.t.TempDir(), "Контакты с выставки.csv")
	if err := importCSV(path, existing); err != nil {
		r.t.Fatal(err)
	}

	r.openPage("import page", "/import")
	r.do("upload form", chromedp.WaitVisible(chromedp.CSS(`input[type="file"]`)))
	r.do("upload the file",
		selectByValue(`select[name="entity"]`, crm.EntityContact),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"]`), []string{path}),
	)
	r.clickText("next", `button[type="submit"]`, "Далее")
	r.expect("mapping screen", "main", "Столбцы")
	r.expect("rows counted", "main", "Строк в файле: 1000")
	r.clickText("preview with the guessed mapping", `button[type="submit"]`, "Проверить первые строки")
	r.expect("preview: nothing written yet", "main", "Пока ничего не записано")
	r.expect("preview: duplicates found", "main", "Дубликат")
	if n := r.contactTotal("contacts after the preview"); n != before {
		r.fail("preview writes nothing", fmt.Errorf("contacts %d → %d", before, n))
	}
	r.clickText("start", `button[type="submit"]`, "Начать импорт")
	r.expect("progress page", "main", "Контакты с выставки.csv")
	r.waitText("import finished", "main", "Завершён", 60*time.Second)
	r.expect("all rows done", "main", "1000 из 1000 строк")
	r.expectCount("created reported", "Создано", importRows-importDuplicate)
	r.expectCount("duplicates reported", "Дубликатов", importDuplicate)
	r.expectCount("no errors", "Ошибок", 0)

	if after := r.contactTotal("contacts after the import"); after != before+importRows-importDuplicate {
		r.fail("contacts grew by the new rows only", fmt.Errorf("contacts %d → %d, want +%d", before, after, importRows-importDuplicate))
	}
	// None of the duplicated people was created twice.
	for _, e := range existing[:3] {
		p, err := r.env.App.ListContacts(r.env.AdminCtx(), crm.ContactFilter{Q: e.first, Page: crm.PageRequest{Limit: 10}})
		if err != nil || p.Total != 1 {
			r.fail("duplicate not created twice", fmt.Errorf("%s %s: %d contacts (%v)", e.last, e.first, p.Total, err))
		}
	}
}

// Step 9: the contact list is exported as XLSX from its screen; the file has a header in
// Russian, the imported rows, and the formula cell escaped.
func (r *salesRun) exportContacts() {
	r.t.Helper()
	dir := r.t.TempDir()
	r.open("contacts", "/contacts", "#list-table")
	ctx, cancel := context.WithTimeout(r.ctx, 60*time.Second)
	defer cancel()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	r.do("allow downloads", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptrTo(true)})
		return err
	}))
	// The XLSX export is a button of the list or an item of its export menu.
	xlsx, err := chromedp.Run(r.ctx, chromedp.Evaluate[bool](`Array.from(document.querySelectorAll("a, button")).some(e => e.offsetParent !== null && e.textContent.includes("Экспорт XLSX"))`))
	if err == nil && !xlsx {
		r.clickText("export menu", "a, button", "Экспорт")
	}
	r.clickText("export XLSX", "a, button", "Экспорт XLSX")
	var file string
	for ev, err := range progress {
		if err != nil {
			r.fail("download finished", err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			r.fail("download finished", fmt.Errorf("download cancelled"))
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	x, err := excelize.OpenFile(file)
	if err != nil {
		r.fail("open the XLSX", err)
	}
	defer x.Close()
	sheet := x.GetSheetName(0)
	rows, err := x.GetRows(sheet)
	if err != nil || len(rows) < 2 {
		r.fail("read the XLSX", fmt.Errorf("%d rows, %v", len(rows), err))
	}
	header := strings.Join(rows[0], " | ")
	if !strings.Contains(header, "Телефон") || !cyrillicHeader(rows[0]) {
		r.fail("header in Russian", fmt.Errorf("header %q", header))
	}
	if want := r.contactTotal("contacts at the export") + 1; len(rows) != want {
		r.fail("every contact exported", fmt.Errorf("%d rows, want %d with the header", len(rows), want))
	}
	found := false
	for i, row := range rows {
		if !strings.Contains(strings.Join(row, "\x00"), formulaEmail) {
			continue
		}
		found = true
		for j, cell := range row {
			if !strings.HasSuffix(cell, formulaPosition) {
				continue
			}
			name, _ := excelize.CoordinatesToCellName(j+1, i+1)
			formula, _ := x.GetCellFormula(sheet, name)
			if strings.HasPrefix(cell, "=") || formula != "" {
				r.fail("formula escaped", fmt.Errorf("cell %s is %q, formula %q", name, cell, formula))
			}
			return
		}
		r.fail("formula cell exported", fmt.Errorf("row %q has no position %q", row, formulaPosition))
	}
	if !found {
		r.fail("imported row exported", fmt.Errorf("no row with %s", formulaEmail))
	}
}

// cyrillicHeader: every title has a Cyrillic letter or is a common Latin word of the Russian
// UI (E-mail, ID), never a field key such as last_name.
func cyrillicHeader(titles []string) bool {
	key := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	for _, t := range titles {
		if key.MatchString(t) {
			return false
		}
	}
	return true
}

// openPage navigates and fails at once, naming the status, when the server does not answer
// the page with 200 (a missing screen should not look like a slow one).
func (r *salesRun) openPage(step, path string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 20*time.Second)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(r.env.URL+path))
	if err != nil {
		r.fail(step, err)
	}
	if res == nil || res.Status != 200 {
		status := int64(0)
		if res != nil {
			status = res.Status
		}
		r.fail(step, fmt.Errorf("GET %s answered %d", path, status))
	}
}

// contactTotal is the number of live contacts (exact below crm.TotalCap).
func (r *salesRun) contactTotal(step string) int {
	r.t.Helper()
	p, err := r.env.App.ListContacts(r.env.AdminCtx(), crm.ContactFilter{Page: crm.PageRequest{Limit: 1}})
	if err != nil {
		r.fail(step, err)
	}
	return p.Total
}

// expectCount waits for a label on the page followed by a number (thin spaces and all).
func (r *salesRun) expectCount(step, label string, want int) {
	r.t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(label) + `\D{0,20}?([\d\s\x{a0}\x{202f}]+)`)
	r.waitFor(step, func() (bool, string) {
		ctx, cancel := context.WithTimeout(r.ctx, 5*time.Second)
		defer cancel()
		txt, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		if err != nil {
			return false, err.Error()
		}
		m := re.FindStringSubmatch(txt)
		if m == nil {
			return false, fmt.Sprintf("no %q in %q", label, limit(txt, 400))
		}
		digits := strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' {
				return c
			}
			return -1
		}, m[1])
		return digits == fmt.Sprint(want), fmt.Sprintf("%s %s, want %d", label, digits, want)
	})
}

// waitText is expect with a longer wait, for background work.
func (r *salesRun) waitText(step, sel, want string, d time.Duration) {
	r.t.Helper()
	var got string
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(r.ctx, 5*time.Second)
		txt, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		cancel()
		if got = txt; err == nil && strings.Contains(txt, want) {
			return
		}
	}
	r.fail(step, fmt.Errorf("%s: %q does not contain %q", sel, limit(got, 400), want))
}

// clickText clicks, with the mouse as a person would, the first visible element matching sel
// whose text contains text: buttons are found by what they say, not by an id. It waits for
// the element (the page may still be loading).
func (r *salesRun) clickText(step, sel, text string) {
	r.t.Helper()
	expr := fmt.Sprintf(`(() => {
		document.querySelectorAll("[data-e2e-mark]").forEach(e => e.removeAttribute("data-e2e-mark"));
		const el = Array.from(document.querySelectorAll(%q)).find(e => e.offsetParent !== null && e.textContent.includes(%q));
		if (!el) return false;
		el.setAttribute("data-e2e-mark", "");
		el.scrollIntoView({block: "center"});
		return true;
	})()`, sel, text)
	r.waitFor(step, func() (bool, string) {
		ctx, cancel := context.WithTimeout(r.ctx, 5*time.Second)
		defer cancel()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		return err == nil && ok, fmt.Sprintf("no %s saying %q (%v)", sel, text, err)
	})
	r.do(step, chromedp.Click(chromedp.CSS("[data-e2e-mark]")))
}

// selectByValue chooses an option by its value and fires the change events.
func selectByValue(sel, value string) chromedp.Action[chromedp.Void] {
	return js(fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		if (!s) throw new Error("no %s");
		s.value = %q;
		if (s.value !== %q) throw new Error("no option %s in %s");
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, sel, sel, value, value, value, sel))
}

func ptrTo[T any](v T) *T { return &v }
