package ui_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// uploadImport posts the import form with a file, as the browser does.
func (b *browser) uploadImport(path, fileName string, content []byte, fields ...string) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", fileName)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.env.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.env.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

var jobPathRE = regexp.MustCompile(`^/import/(\d+)/mapping`)

func TestImportWizardUploadMappingPreviewStartResult(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	seller, pw := env.CreateUser(t, "sales1", crm.Roles{crm.RoleSales}, d.ID)
	existing, err := env.App.CreateContact(env.Ctx(seller), app.ContactInput{LastName: "Иванова", FirstName: "Мария",
		Emails: []string{"maria@example.ru"}})
	if err != nil {
		t.Fatal(err)
	}
	b := loggedIn(t, env, "sales1", pw)

	home := b.get("/import")
	mustStatus(t, home, http.StatusOK)
	mustContain(t, home, `name="entity"`, `type="file"`, `value="update"`, "Далее", "Импортов ещё не было")

	// A file Ladder cannot read is refused inline.
	p := b.uploadImport("/import", "x.csv", nil, "entity", "contact", "dedup", "skip")
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-file-error"`)

	file := "Фамилия;Имя;Должность;E-mail\r\n" +
		"Петров;Иван;Директор;ivan@example.ru\r\n" +
		"Иванова;Мария;Закупки;MARIA@example.ru\r\n" +
		"Сидоров;Олег;=1+2;not-an-email\r\n"
	p = b.uploadImport("/import", "Контакты.csv", []byte(file), "entity", "contact", "dedup", "update")
	mustStatus(t, p, http.StatusSeeOther)
	m := jobPathRE.FindStringSubmatch(p.Location)
	if m == nil {
		t.Fatalf("upload went to %q", p.Location)
	}
	jobPath := "/import/" + m[1]

	// The columns screen: the guessed mapping, samples, the count of rows.
	p = b.get(p.Location)
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, "Строк в файле: 3", "ivan@example.ru", `<option value="last_name" selected>`, `<option value="email" selected>`,
		`name="col3"`, `name="columns" value="4"`, `value="update" checked`)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.Body)[1]

	// A mapping without a name is refused with the problem shown.
	bad := form("version", version, "columns", "4", "col0", "", "col1", "", "col2", "position", "col3", "email", "dedup", "skip")
	p = b.post(jobPath+"/mapping", bad)
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="mapping-error"`)

	ok := form("version", version, "columns", "4", "col0", "last_name", "col1", "first_name", "col2", "position", "col3", "email", "dedup", "skip")
	p = b.post(jobPath+"/mapping", ok)
	mustStatus(t, p, http.StatusSeeOther)
	if p.Location != jobPath+"/preview" {
		t.Fatalf("mapping went to %q", p.Location)
	}

	// The preview writes nothing and tells each row's fate.
	p = b.get(p.Location)
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, "Пока ничего не записано", "Дубликат", "/contacts/"+itoa(existing.ID), "Ошибка", "E-mail: ", "Новая")
	mustContain(t, p, "В проверке: новых 1, дубликатов 1, с ошибками 1")
	if n := contactCount(t, env); n != 1 {
		t.Fatalf("the preview wrote contacts: %d", n)
	}
	version = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.Body)[1]
	p = b.post(jobPath+"/start", form("version", version))
	mustStatus(t, p, http.StatusSeeOther)

	// Queued: the page polls itself.
	p = b.get(jobPath)
	mustStatus(t, p, http.StatusOK)
	mustContain(t, p, `hx-get="`+jobPath+`" hx-trigger="every 1s"`, "Ожидает запуска", "Контакты.csv")

	// The worker runs it (here in the test), the next poll shows the result and stops polling.
	id := parseID(t, m[1])
	j, err := env.App.RunImport(context.Background(), "test", id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if j.Created != 1 || j.Duplicates != 1 || j.Errors != 1 {
		t.Fatalf("job %+v", j)
	}
	p = b.get(jobPath, "HX-Request", "true", "HX-Target", "import-job")
	mustStatus(t, p, http.StatusOK)
	mustNotContain(t, p, "hx-trigger", "<html")
	mustContain(t, p, "Завершён", "3 из 3 строк", `id="count-created">1<`, `id="count-duplicates">1<`, `id="count-errors">1<`,
		`<a href="/contacts/`+itoa(existing.ID)+`">Контакт #`+itoa(existing.ID)+`</a>`, "тот же e-mail", "E-mail: ")

	// The outcomes as CSV: the duplicates with the matched record.
	p = b.get(jobPath + "/report?outcome=duplicate")
	mustStatus(t, p, http.StatusOK)
	rows := readCSV(t, p.Body)
	if len(rows) != 2 || rows[1][0] != "2" || !strings.HasSuffix(rows[1][2], "/contacts/"+itoa(existing.ID)) {
		t.Fatalf("duplicate report %q", rows)
	}
	p = b.get(jobPath + "/report")
	if rows := readCSV(t, p.Body); len(rows) != 4 {
		t.Fatalf("full report %q", rows)
	}

	// The history lists the job; another seller does not see it.
	mustContain(t, b.get("/import"), "Контакты.csv", "Завершён")
	_, pw2 := env.CreateUser(t, "sales2", crm.Roles{crm.RoleSales}, d.ID)
	other := loggedIn(t, env, "sales2", pw2)
	mustNotContain(t, other.get("/import"), "Контакты.csv")
	mustStatus(t, other.get(jobPath), http.StatusNotFound)
}

func contactCount(t *testing.T, env *testenv.Env) int {
	t.Helper()
	p, err := env.App.ListContacts(env.AdminCtx(), crm.ContactFilter{Page: crm.PageRequest{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

func parseID(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}
