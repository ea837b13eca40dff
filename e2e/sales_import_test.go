package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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
	r.do("upload the file",
		chromedp.WaitVisible(chromedp.CSS("#f-file")),
		selectByValue("#f-entity", crm.EntityContact),
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{path}),
		chromedp.WaitVisible(chromedp.CSS(`input[name="dedup"][value="skip"]:checked`)),
		chromedp.Click(chromedp.CSS("#import-next")),
		chromedp.WaitVisible(chromedp.CSS("#mapping-table")),
	)
	jobID := r.idFromLocation("job made", "/import/")
	r.expect("mapping of the file", ".import-mapping .card-title", "Контакты с выставки.csv")
	r.expectNumbers("rows counted", "#rows-total", importRows)
	// The guessed mapping, accepted as it comes: every column of the file found its field.
	for i, field := range []string{"last_name", "first_name", "middle_name", "company", "position", "phone", "email"} {
		r.checkValue("guessed mapping", fmt.Sprintf("#f-col%d", i), field)
	}
	r.do("preview", chromedp.Click(chromedp.CSS("#import-preview")), chromedp.WaitVisible(chromedp.CSS("#preview-table")))
	r.expect("preview: duplicates found", "#preview-table", "Дубликат")
	r.expect("preview: the matched phone", "#preview-table", "тот же телефон")
	r.expect("preview: the matched e-mail", "#preview-table", "тот же e-mail")
	if n := r.contactTotal("contacts after the preview"); n != before {
		r.fail("preview writes nothing", fmt.Errorf("contacts %d → %d", before, n))
	}
	r.do("start", chromedp.Click(chromedp.CSS("#import-start")), chromedp.WaitVisible(chromedp.CSS("#import-job")))
	r.waitText("import finished", "#import-status", "Завершён", 60*time.Second)
	r.expectNumbers("all rows done", "#import-progress-text", importRows, importRows) // «1 000 из 1 000 строк»
	r.expectNumbers("created reported", "#count-created", importRows-importDuplicate)
	r.expectNumbers("duplicates reported", "#count-duplicates", importDuplicate)
	r.expectNumbers("nothing updated", "#count-updated", 0)
	r.expectNumbers("no errors", "#count-errors", 0)
	r.expect("duplicates listed with the match", "#import-duplicates", "тот же телефон")
	j, err := r.env.App.ImportJob(r.env.AdminCtx(), jobID)
	if err != nil || j.Created != importRows-importDuplicate || j.Duplicates != importDuplicate || j.Errors != 0 || j.RowsDone != importRows {
		r.fail("job outcome stored", fmt.Errorf("job %+v (%v)", j, err))
	}

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
	r.do("export XLSX",
		chromedp.Click(chromedp.CSS("#export-menu")),
		chromedp.WaitVisible(chromedp.CSS("#export-xlsx")),
		chromedp.Click(chromedp.CSS("#export-xlsx")),
	)
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
	if !strings.Contains(header, "Телефон") || !noFieldKeys(rows[0]) {
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
			r.t.Logf("export: %d rows under %q; %s holds %q", len(rows)-1, header, name, cell)
			return
		}
		r.fail("formula cell exported", fmt.Errorf("row %q has no position %q", row, formulaPosition))
	}
	if !found {
		r.fail("imported row exported", fmt.Errorf("no row with %s", formulaEmail))
	}
}

// noFieldKeys: no title is a field key such as last_name (the header is labels, in the
// user's language).
func noFieldKeys(titles []string) bool {
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

// numberPattern is a number as the UI writes it: groups of three digits after a space
// (a no-break or narrow one in Russian: «1 000»).
var numberPattern = regexp.MustCompile(`\d{1,3}(?:[ \x{a0}\x{202f}]\d{3})+|\d+`)

// expectNumbers waits until the numbers in an element's text are want, in order.
func (r *salesRun) expectNumbers(step, sel string, want ...int) {
	r.t.Helper()
	r.waitFor(step, func() (bool, string) {
		ctx, cancel := context.WithTimeout(r.ctx, 5*time.Second)
		defer cancel()
		txt, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			return false, err.Error()
		}
		var got []int
		for _, m := range numberPattern.FindAllString(txt, -1) {
			n, _ := strconv.Atoi(strings.Map(func(c rune) rune {
				if c >= '0' && c <= '9' {
					return c
				}
				return -1
			}, m))
			got = append(got, n)
		}
		return fmt.Sprint(got) == fmt.Sprint(want), fmt.Sprintf("%s says %q, want the numbers %v", sel, txt, want)
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
