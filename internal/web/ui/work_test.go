package ui_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/jobs"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// workWorld: a directorate, a sales user in it, a project of theirs.
func workWorld(t *testing.T, env *testenv.Env) (*browser, *crm.User, *crm.Project) {
	t.Helper()
	d := env.CreateDirectorate(t, "Госсектор")
	u, pw := env.CreateUser(t, "", crm.Roles{crm.RoleSales}, d.ID)
	p, err := env.App.CreateProject(env.Ctx(u), app.ProjectInput{Name: "Выставка «Связь»"})
	if err != nil {
		t.Fatal(err)
	}
	return loggedIn(t, env, u.Login, pw), u, p
}

// upload posts a file the way the files tab does; htmx adds the htmx headers.
func (b *browser) upload(path, field, name string, content []byte, htmx bool) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(content)
	_ = mw.WriteField("description", "скан договора")
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.env.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.env.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if htmx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "work-files")
	}
	return b.do(req)
}

var fileLinkRE = regexp.MustCompile(`href="/files/(\d+)"`)

func TestUploadAndDownloadAFileOnACard(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b, _, p := workWorld(t, env)
	card := "/projects/" + itoa(p.ID)
	page := b.get(card)
	mustStatus(t, page, http.StatusOK)
	mustContain(t, page, `id="tab-tasks"`, `id="tab-files"`, `id="tab-history"`, "Лента")

	pdf := append([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), bytes.Repeat([]byte{0, 1, 2, 3, 250, 251}, 50000)...)
	res := b.upload("/work/project/"+itoa(p.ID)+"/files", "file", "Договор №7 (финал).pdf", pdf, false)
	mustStatus(t, res, http.StatusSeeOther)
	files := b.get(card + "?tab=files")
	mustContain(t, files, "Договор №7 (финал).pdf", "скан договора")
	m := fileLinkRE.FindStringSubmatch(files.Body)
	if m == nil {
		t.Fatalf("no download link:\n%s", excerpt(files.Body))
	}
	dl := b.get("/files/" + m[1])
	mustStatus(t, dl, http.StatusOK)
	if dl.Body != string(pdf) {
		t.Fatalf("downloaded %d bytes, uploaded %d (or they differ)", len(dl.Body), len(pdf))
	}
	cd := dl.Header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("Договор")) ||
		!strings.Contains(cd, `filename="_______ _7 (_____).pdf"`) {
		t.Fatalf("Content-Disposition %q", cd)
	}
	if dl.Header.Get("Content-Type") != "application/pdf" || dl.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers %v", dl.Header)
	}
	// Anyone with a CRM role reads it; the timeline shows it.
	reader, rpw := env.CreateUser(t, "", crm.Roles{crm.RoleReadAdmin})
	rb := loggedIn(t, env, reader.Login, rpw)
	mustStatus(t, rb.get("/files/"+m[1]), http.StatusOK)
	mustContain(t, rb.get(card+"?tab=history"), "Договор №7 (финал).pdf", "добавил(а) файл")
	// A reader may not upload.
	mustStatus(t, rb.upload("/work/project/"+itoa(p.ID)+"/files", "file", "x.pdf", pdf, true), http.StatusForbidden)
}

func TestHTMLUploadIsRefusedWithAMessage(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b, _, p := workWorld(t, env)
	res := b.upload("/work/project/"+itoa(p.ID)+"/files", "file", "invoice.html", []byte("<!doctype html><script>alert(1)</script>"), true)
	mustStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `id="work-files"`, `id="f-file-error"`, "Такой тип файла загружать нельзя", "HTML, SVG")
	// The same without htmx: back to the tab with the message as a toast.
	res = b.upload("/work/project/"+itoa(p.ID)+"/files", "file", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), false)
	mustStatus(t, res, http.StatusSeeOther)
	mustContain(t, b.get(res.Location), "Такой тип файла загружать нельзя")
	if list, _ := env.App.Attachments(env.AdminCtx(), crm.EntityProject, p.ID); len(list) != 0 {
		t.Fatalf("refused files stored: %d", len(list))
	}
}

func TestTasksOnACardAndMyTasks(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b, u, p := workWorld(t, env)
	card := "/projects/" + itoa(p.ID)
	// Inline errors: a reminder after the due time.
	res := b.post("/work/project/"+itoa(p.ID)+"/tasks", form("title", "Подготовить КП", "kind", "task",
		"assignee_id", itoa(u.ID), "due_at", "2030-05-01T10:00", "remind_at", "2030-05-01T11:00"))
	mustStatus(t, res, http.StatusSeeOther)
	mustContain(t, b.get(res.Location), "Напоминание не может быть позже срока")
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/work/project/"+itoa(p.ID)+"/tasks", strings.NewReader(form("title", "Подготовить КП",
		"kind", "call", "assignee_id", itoa(u.ID), "due_at", "2030-05-01T10:00", "remind_at", "2030-05-01T11:00").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", env.URL)
	req.Header.Set("HX-Request", "true")
	res = b.do(req)
	mustStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `id="work-tasks"`, `id="f-remind-at-error"`, `value="Подготовить КП"`)

	res = b.post("/work/project/"+itoa(p.ID)+"/tasks", form("title", "Подготовить КП", "kind", "call",
		"assignee_id", itoa(u.ID), "due_at", "2030-05-01T10:00", "remind_at", "2030-05-01T09:45"))
	mustStatus(t, res, http.StatusSeeOther)
	tab := b.get(card + "?tab=tasks")
	mustContain(t, tab, "Подготовить КП", "Звонок", "01.05.2030 10:00")

	// An overdue task (written through the app: the form refuses nothing in the past, but a
	// past due time is easiest to make directly) shows red in "my tasks", overdue tab.
	past := time.Now().Add(-2 * time.Hour)
	late, err := env.App.CreateTask(env.Ctx(u), app.TaskInput{Title: "Отправить счёт", DueAt: &past, Entity: crm.EntityProject, RecordID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	mine := b.get("/tasks?tab=overdue")
	mustStatus(t, mine, http.StatusOK)
	mustContain(t, mine, "Отправить счёт", "task-overdue", `id="overdue-count">1<`, "Выставка «Связь»")
	mustNotContain(t, mine, "Подготовить КП")
	mustContain(t, b.get("/tasks?tab=upcoming"), "Подготовить КП")

	// Done inline with htmx: the toggle comes back checked, the task leaves the overdue tab.
	req, _ = http.NewRequest(http.MethodPost, env.URL+"/tasks/"+itoa(late.ID)+"/status",
		strings.NewReader(form("status", "done", "version", itoa(late.Version), "view", "row").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", env.URL)
	req.Header.Set("HX-Request", "true")
	res = b.do(req)
	mustStatus(t, res, http.StatusOK)
	mustContain(t, res, "is-done", `value="open"`)
	if !strings.Contains(res.Header.Get("HX-Trigger"), "ladder:toast") {
		t.Fatalf("no toast: %v", res.Header)
	}
	mustNotContain(t, b.get("/tasks?tab=overdue"), "Отправить счёт")
	mustContain(t, b.get("/tasks?tab=done"), "Отправить счёт")

	// Quick add on "my tasks", with an inline error first.
	res = b.post("/tasks/new", form("title", "", "back", "/tasks"))
	mustStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `id="f-title-error"`)
	res = b.post("/tasks/new", form("title", "Позвонить в банк", "due_at", time.Now().Add(time.Hour).In(time.FixedZone("MSK", 3*3600)).Format("2006-01-02T15:04"), "back", "/tasks"))
	mustStatus(t, res, http.StatusSeeOther)
	mustContain(t, b.get("/tasks"), "Позвонить в банк")

	// Notes on the timeline.
	res = b.post("/work/project/"+itoa(p.ID)+"/notes", form("body", "Клиент просит скидку 5%"))
	mustStatus(t, res, http.StatusSeeOther)
	mustContain(t, b.get(card+"?tab=history"), "Клиент просит скидку 5%", "написал(а) заметку", "добавил(а) задачу")

	// Another directorate's salesperson sees the tabs but no forms.
	d2 := env.CreateDirectorate(t, "Корпоративные")
	other, opw := env.CreateUser(t, "", crm.Roles{crm.RoleSales}, d2.ID)
	ob := loggedIn(t, env, other.Login, opw)
	mustNotContain(t, ob.get(card+"?tab=tasks"), `id="task-form"`)
	mustNotContain(t, ob.get(card+"?tab=files"), `id="file-form"`)
	mustNotContain(t, ob.get(card+"?tab=history"), `id="note-form"`)
	mustStatus(t, ob.post("/work/project/"+itoa(p.ID)+"/notes", form("body", "чужая")), http.StatusForbidden)
}

func TestBellShowsDueReminders(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b, u, _ := workWorld(t, env)
	home := b.get("/tasks")
	mustContain(t, home, `id="bell"`, `sse-connect="/events"`, `id="bell-empty"`)
	past := time.Now().Add(-time.Minute)
	due := time.Now().Add(time.Hour)
	tk, err := env.App.CreateTask(env.Ctx(u), app.TaskInput{Title: "Перезвонить Петрову", DueAt: &due, RemindAt: &past})
	if err != nil {
		t.Fatal(err)
	}
	page := b.get("/tasks")
	mustContain(t, page, `id="bell-count">1<`, "Перезвонить Петрову")
	// Dismissed from the dropdown: the bell comes back empty.
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/tasks/"+itoa(tk.ID)+"/dismiss", nil)
	req.Header.Set("Origin", env.URL)
	req.Header.Set("HX-Request", "true")
	res := b.do(req)
	mustStatus(t, res, http.StatusOK)
	mustContain(t, res, `id="bell-empty"`)
	mustNotContain(t, res, `id="bell-count"`)
}

// A reminder due in a second or two reaches a page's event stream: the redrawn bell with its
// count and a toast.
func TestReminderReachesTheEventStream(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b, u, p := workWorld(t, env)
	ctx, cancel := context.WithCancel(context.Background())
	wait := jobs.Start(ctx, env.App, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer func() { cancel(); wait() }()

	sctx, scancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer scancel()
	req, _ := http.NewRequestWithContext(sctx, http.MethodGet, env.URL+"/events", nil)
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// Wait until the stream is subscribed, then save a task that reminds in about a second.
	for i := 0; env.App.Notifier().Subscribers(u.ID) == 0; i++ {
		if i > 200 {
			t.Fatal("stream never subscribed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	due := time.Now().Add(time.Hour)
	remind := time.Now().Add(1500 * time.Millisecond)
	if _, err := env.App.CreateTask(env.Ctx(u), app.TaskInput{Title: "Созвон с заказчиком", DueAt: &due, RemindAt: &remind,
		Entity: crm.EntityProject, RecordID: p.ID}); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var event string
	gotBell, gotToast := false, false
	for sc.Scan() && !(gotBell && gotToast) {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "bell" && strings.Contains(line, `id="bell-count">1<`):
			gotBell = true
		case strings.HasPrefix(line, "data: ") && event == "toast" && strings.Contains(line, "Созвон с заказчиком"):
			gotToast = true
		}
	}
	if !gotBell || !gotToast {
		t.Fatalf("bell %v, toast %v after %v (%v)", gotBell, gotToast, time.Since(started), sc.Err())
	}
	if d := time.Since(started); d < time.Second {
		t.Fatalf("the reminder came %v after saving, before its time", d)
	}
	// Server shutdown: the worker's end closes the stream.
	cancel()
	wait()
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, res.Body)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream stayed open after shutdown")
	}
}
