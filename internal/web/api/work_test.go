package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// Tasks, files and notes join the list the OpenAPI test checks.
func init() {
	wantEndpoints = append(wantEndpoints,
		"GET /api/v1/tasks", "POST /api/v1/tasks", "GET /api/v1/tasks/{id}", "PATCH /api/v1/tasks/{id}",
		"DELETE /api/v1/tasks/{id}", "POST /api/v1/tasks/{id}/restore",
		"GET /api/v1/files", "POST /api/v1/files", "GET /api/v1/files/{id}", "GET /api/v1/files/{id}/content",
		"DELETE /api/v1/files/{id}",
		"GET /api/v1/notes", "POST /api/v1/notes", "GET /api/v1/notes/{id}", "DELETE /api/v1/notes/{id}")
}

type workFixture struct {
	env             *testenv.Env
	owner, helper   *crm.User
	ownerC, helperC *client
	project         *crm.Project
}

func newWorkFixture(t *testing.T) *workFixture {
	env := testenv.Start(t, testenv.Options{})
	d1, d2 := env.CreateDirectorate(t, "Госсектор"), env.CreateDirectorate(t, "Корпоративные")
	owner, _ := env.CreateUser(t, "", crm.Roles{crm.RoleSales}, d1.ID)
	helper, _ := env.CreateUser(t, "", crm.Roles{crm.RoleSales}, d2.ID)
	p, err := env.App.CreateProject(env.Ctx(owner), app.ProjectInput{Name: "Форум"})
	if err != nil {
		t.Fatal(err)
	}
	return &workFixture{env: env, owner: owner, helper: helper, project: p,
		ownerC: newClient(t, env, env.Token(t, owner, false)), helperC: newClient(t, env, env.Token(t, helper, false))}
}

func TestTasksAPI(t *testing.T) {
	f := newWorkFixture(t)
	due := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	// The helper (another directorate) cannot add a task to the project…
	f.helperC.post("/api/v1/tasks", map[string]any{"title": "x", "entity": "project", "record_id": f.project.ID}).
		wantProblem(t, http.StatusForbidden, "task on another directorate's record")
	// …but the owner can give them one.
	r := f.ownerC.post("/api/v1/tasks", map[string]any{"title": "Согласовать смету", "kind": "call", "assignee_id": f.helper.ID,
		"due_at": due, "entity": "project", "record_id": f.project.ID}).want(t, http.StatusCreated, "create")
	id, version := r.id(), r.version()
	if r.str("record_title") != "Форум" || r.JSON["overdue"] != true || r.str("status") != "open" || !strings.HasSuffix(r.Header.Get("Location"), fmt.Sprint("/api/v1/tasks/", id)) {
		t.Fatalf("created: %s", r.Raw)
	}
	f.ownerC.post("/api/v1/tasks", map[string]any{"title": "x", "due_at": due, "remind_at": time.Now().UTC().Format(time.RFC3339)}).
		wantProblem(t, http.StatusUnprocessableEntity, "reminder after due")
	// mine / overdue filters.
	mine := f.helperC.get("/api/v1/tasks?mine=true&overdue=true").want(t, http.StatusOK, "mine")
	if items := mine.JSON["items"].([]any); len(items) != 1 {
		t.Fatalf("mine overdue: %s", mine.Raw)
	}
	if items := f.ownerC.get("/api/v1/tasks?mine=true").want(t, http.StatusOK, "owner's").JSON["items"].([]any); len(items) != 0 {
		t.Fatalf("owner has none of their own: %v", items)
	}
	onRecord := f.ownerC.get(fmt.Sprintf("/api/v1/tasks?entity=project&record_id=%d", f.project.ID)).want(t, http.StatusOK, "on record")
	if items := onRecord.JSON["items"].([]any); len(items) != 1 {
		t.Fatalf("on record: %s", onRecord.Raw)
	}
	// The assignee closes it (status only), not retitles it.
	f.helperC.patch(fmt.Sprint("/api/v1/tasks/", id), map[string]any{"version": version, "title": "другое"}).
		wantProblem(t, http.StatusForbidden, "assignee retitles")
	r = f.helperC.patch(fmt.Sprint("/api/v1/tasks/", id), map[string]any{"version": version, "status": "done"}).want(t, http.StatusOK, "assignee closes")
	if r.str("status") != "done" || r.JSON["done_at"] == nil || r.JSON["overdue"] != false {
		t.Fatalf("closed: %s", r.Raw)
	}
	f.helperC.patch(fmt.Sprint("/api/v1/tasks/", id), map[string]any{"version": version, "status": "open"}).
		wantProblem(t, http.StatusConflict, "stale")
	f.helperC.del(fmt.Sprintf("/api/v1/tasks/%d?version=%d", id, r.version())).wantProblem(t, http.StatusForbidden, "assignee deletes")
	f.ownerC.del(fmt.Sprintf("/api/v1/tasks/%d?version=%d", id, r.version())).want(t, http.StatusNoContent, "owner deletes")
	f.ownerC.get(fmt.Sprint("/api/v1/tasks/", id)).want(t, http.StatusNotFound, "deleted")
}

// uploadTo posts a multipart upload with c's token.
func (c *client) upload(path, name string, content []byte) *response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.WriteField("description", "скан")
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &response{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if strings.Contains(res.Header.Get("Content-Type"), "json") {
		_ = json.Unmarshal(raw, &out.JSON)
	}
	return out
}

func TestFilesAndNotesAPI(t *testing.T) {
	f := newWorkFixture(t)
	path := fmt.Sprintf("/api/v1/files?entity=project&record_id=%d", f.project.ID)
	pdf := append([]byte("%PDF-1.5\n"), bytes.Repeat([]byte("Коммерческое предложение\x00\x01"), 3000)...)
	f.helperC.upload(path, "kp.pdf", pdf).wantProblem(t, http.StatusForbidden, "other directorate uploads")
	r := f.ownerC.upload(path, "КП «Форум».pdf", pdf).want(t, http.StatusCreated, "upload")
	id := r.id()
	if r.str("mime") != "application/pdf" || r.str("file_name") != "КП «Форум».pdf" || r.JSON["size"] != float64(len(pdf)) {
		t.Fatalf("uploaded: %s", r.Raw)
	}
	bad := f.ownerC.upload(path, "page.pdf", []byte("<html><body>hi</body></html>")).wantProblem(t, http.StatusUnprocessableEntity, "html")
	if !strings.Contains(string(bad.Raw), `"body.file"`) {
		t.Fatalf("no file field in %s", bad.Raw)
	}
	list := f.helperC.get(path).want(t, http.StatusOK, "list")
	if items := list.JSON["items"].([]any); len(items) != 1 {
		t.Fatalf("list: %s", list.Raw)
	}
	dl := f.helperC.get(fmt.Sprintf("/api/v1/files/%d/content", id)).want(t, http.StatusOK, "download")
	if !bytes.Equal(dl.Raw, pdf) || dl.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") || dl.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d bytes, headers %v", len(dl.Raw), dl.Header)
	}
	f.ownerC.get(fmt.Sprintf("/api/v1/files/%d", id)).want(t, http.StatusOK, "meta")
	f.ownerC.get("/api/v1/files?entity=user&record_id=1").wantProblem(t, http.StatusUnprocessableEntity, "entity without files")

	n := f.ownerC.post("/api/v1/notes", map[string]any{"entity": "project", "record_id": f.project.ID, "body": "Ждём ответа"}).want(t, http.StatusCreated, "note")
	f.helperC.post("/api/v1/notes", map[string]any{"entity": "project", "record_id": f.project.ID, "body": "x"}).wantProblem(t, http.StatusForbidden, "other's note")
	notes := f.helperC.get(fmt.Sprintf("/api/v1/notes?entity=project&record_id=%d", f.project.ID)).want(t, http.StatusOK, "notes")
	if items := notes.JSON["items"].([]any); len(items) != 1 {
		t.Fatalf("notes: %s", notes.Raw)
	}
	f.ownerC.del(fmt.Sprintf("/api/v1/notes/%d?version=%d", n.id(), n.version())).want(t, http.StatusNoContent, "delete note")
	f.ownerC.del(fmt.Sprintf("/api/v1/files/%d?version=%d", id, r.version())).want(t, http.StatusNoContent, "delete file")
	if items := f.helperC.get(path).JSON["items"].([]any); len(items) != 0 {
		t.Fatalf("deleted file listed")
	}
}
