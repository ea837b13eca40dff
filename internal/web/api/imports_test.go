package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// Import, export and group actions join the list the OpenAPI test checks.
func init() {
	wantEndpoints = append(wantEndpoints,
		"POST /api/v1/imports", "GET /api/v1/imports", "GET /api/v1/imports/{id}", "PATCH /api/v1/imports/{id}",
		"GET /api/v1/imports/{id}/preview", "POST /api/v1/imports/{id}/start", "POST /api/v1/imports/{id}/cancel",
		"GET /api/v1/imports/{id}/rows",
		"GET /api/v1/companies/export", "GET /api/v1/contacts/export", "GET /api/v1/deals/export",
		"POST /api/v1/bulk")
}

// uploadImport posts a file as multipart/form-data with fields.
func (c *client) uploadImport(path, fileName string, content []byte, fields ...string) *response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", fileName)
	_, _ = fw.Write(content)
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

func TestImportsAPI(t *testing.T) {
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) { testImportsAPI(t, testenv.Start(t, testenv.Options{DBURL: k.URL(t)})) })
	}
}

func testImportsAPI(t *testing.T, env *testenv.Env) {
	f := newSalesFixture(t, env)
	known, err := env.App.CreateCompany(env.AdminCtx(), app.CompanyInput{Name: "АО «Известная»", Kind: crm.KindLegal,
		Phones: []string{"+7 495 200-00-02"}, DirectorateID: f.d1.ID})
	if err != nil {
		t.Fatal(err)
	}
	file := "Наименование;ИНН;Телефон\r\n" +
		"ООО «Новая»;;+7 495 100-00-01\r\n" +
		"Известная;;8 (495) 200-00-02\r\n" + // the known company by its phone written another way
		"ООО «Ошибка»;123;\r\n"

	// A bad file and a bad entity are 422 problems naming the field.
	f.sales.uploadImport("/api/v1/imports", "x.csv", nil, "entity", "company").wantProblem(t, http.StatusUnprocessableEntity, "empty file")
	f.sales.uploadImport("/api/v1/imports", "x.csv", []byte(file), "entity", "planet").wantProblem(t, http.StatusUnprocessableEntity, "bad entity")

	r := f.sales.uploadImport("/api/v1/imports", "Компании.csv", []byte(file), "entity", "company", "dedup", "skip").
		want(t, http.StatusCreated, "POST /imports")
	id, version := r.id(), r.version()
	if r.str("status") != "uploaded" || r.JSON["rows_total"] != 3.0 || fmt.Sprint(r.JSON["mapping"]) != "[name inn phone]" ||
		fmt.Sprint(r.JSON["header"]) != "[Наименование ИНН Телефон]" || len(r.JSON["samples"].([]any)) != 3 {
		t.Fatalf("upload: %s", r.Raw)
	}
	if !strings.HasSuffix(r.Header.Get("Location"), fmt.Sprintf("/api/v1/imports/%d", id)) {
		t.Fatalf("location %q", r.Header.Get("Location"))
	}

	// Someone else's job is not there for another seller.
	f.other.get(fmt.Sprintf("/api/v1/imports/%d", id)).wantProblem(t, http.StatusNotFound, "other's job")

	// Mapping: a bad one names the column; a stale version is 409.
	path := fmt.Sprintf("/api/v1/imports/%d", id)
	f.sales.patch(path, map[string]any{"version": version, "mapping": []string{"", "inn", "phone"}}).
		wantProblem(t, http.StatusUnprocessableEntity, "no name column")
	f.sales.patch(path, map[string]any{"version": version + 5, "mapping": []string{"name", "inn", "phone"}}).
		wantProblem(t, http.StatusConflict, "stale mapping")
	r = f.sales.patch(path, map[string]any{"version": version, "mapping": []string{"name", "inn", "phone"}, "dedup": "skip"}).
		want(t, http.StatusOK, "PATCH /imports/{id}")
	version = r.version()
	if r.str("status") != "previewed" {
		t.Fatalf("after mapping: %s", r.Raw)
	}

	r = f.sales.get(path+"/preview").want(t, http.StatusOK, "preview")
	items := r.JSON["items"].([]any)
	if len(items) != 3 {
		t.Fatalf("preview rows: %s", r.Raw)
	}
	outcomes := []string{}
	for _, it := range items {
		outcomes = append(outcomes, it.(map[string]any)["outcome"].(string))
	}
	if strings.Join(outcomes, ",") != "created,duplicate,error" || items[1].(map[string]any)["record_id"] != float64(known.ID) {
		t.Fatalf("preview outcomes %v: %s", outcomes, r.Raw)
	}
	if p := items[2].(map[string]any)["problems"].(map[string]any); len(p) == 0 {
		t.Fatalf("error row has no problems: %s", r.Raw)
	}

	r = f.sales.post(path+"/start", map[string]any{"version": version}).want(t, http.StatusAccepted, "start")
	if r.str("status") != "queued" {
		t.Fatalf("start: %s", r.Raw)
	}
	if _, err := env.App.RunImport(context.Background(), "test", id, nil); err != nil {
		t.Fatal(err)
	}
	r = f.sales.get(path).want(t, http.StatusOK, "GET /imports/{id}")
	if r.str("status") != "done" || r.JSON["created"] != 1.0 || r.JSON["duplicates"] != 1.0 || r.JSON["errors"] != 1.0 {
		t.Fatalf("done job: %s", r.Raw)
	}
	r = f.sales.get(path+"/rows?outcome=duplicate").want(t, http.StatusOK, "rows")
	rows := r.JSON["items"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["record_id"] != float64(known.ID) || rows[0].(map[string]any)["match"] != "phone" {
		t.Fatalf("duplicate rows: %s", r.Raw)
	}
	r = f.sales.get(path+"/rows?limit=2").want(t, http.StatusOK, "rows page")
	if len(r.JSON["items"].([]any)) != 2 || r.JSON["next_after_row"] != 2.0 {
		t.Fatalf("rows page: %s", r.Raw)
	}
	r = f.sales.get("/api/v1/imports").want(t, http.StatusOK, "list")
	if len(r.JSON["items"].([]any)) != 1 {
		t.Fatalf("jobs: %s", r.Raw)
	}
	if r := f.other.get("/api/v1/imports").want(t, http.StatusOK, "other's list"); len(r.JSON["items"].([]any)) != 0 {
		t.Fatalf("another seller sees the job: %s", r.Raw)
	}

	// A second upload is cancelled before it starts.
	r = f.sales.uploadImport("/api/v1/imports", "again.csv", []byte(file), "entity", "company", "dedup", "update").want(t, http.StatusCreated, "second upload")
	if r.str("dedup") != "update" {
		t.Fatalf("dedup not kept: %s", r.Raw)
	}
	f.sales.post(fmt.Sprintf("/api/v1/imports/%d/cancel", r.id()), nil).want(t, http.StatusNoContent, "cancel")
	if r := f.sales.get(fmt.Sprintf("/api/v1/imports/%d", r.id())); r.str("status") != "cancelled" {
		t.Fatalf("cancelled: %s", r.Raw)
	}
}

func TestExportAndBulkAPI(t *testing.T) {
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) { testExportAndBulkAPI(t, testenv.Start(t, testenv.Options{DBURL: k.URL(t)})) })
	}
}

func testExportAndBulkAPI(t *testing.T, env *testenv.Env) {
	f := newSalesFixture(t, env)
	ctx := context.Background()
	formula := &crm.Company{Name: "=1+2", Kind: crm.KindLegal, DirectorateID: &f.d2.ID, Tags: []string{"выставка"}}
	formula.Normalise()
	if err := env.DB.CreateCompany(ctx, formula); err != nil {
		t.Fatal(err)
	}

	// CSV of the filtered list, escaped, with Russian headers.
	r := f.sales.get("/api/v1/companies/export?format=csv&directorate_id="+fmt.Sprint(f.d2.ID)).want(t, http.StatusOK, "export csv")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "companies-") {
		t.Fatalf("headers %v", r.Header)
	}
	body := strings.TrimPrefix(string(r.Raw), "\ufeff")
	cr := csv.NewReader(strings.NewReader(body))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil || len(recs) != 2 || recs[1][1] != "'=1+2" || recs[0][1] != "Наименование" {
		t.Fatalf("csv %q (%v)", recs, err)
	}
	// XLSX of every contact.
	r = f.sales.get("/api/v1/contacts/export?format=xlsx").want(t, http.StatusOK, "export xlsx")
	x, err := excelize.OpenReader(bytes.NewReader(r.Raw))
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := x.GetRows("Sheet1")
	x.Close()
	if len(xrows) != 2 || xrows[1][1] != "Петров" {
		t.Fatalf("xlsx rows %q", xrows)
	}
	f.sales.get("/api/v1/deals/export?format=pdf").wantProblem(t, http.StatusUnprocessableEntity, "bad format")
	f.sales.get("/api/v1/deals/export?format=csv").want(t, http.StatusOK, "deal export")

	// Group action by ids: the seller may change the two companies of their directorate only.
	r = f.sales.post("/api/v1/bulk", map[string]any{"entity": "company", "action": "set_type", "type": "partner",
		"ids": []int64{f.company.ID, f.rival.ID, formula.ID}}).want(t, http.StatusOK, "bulk ids")
	if r.JSON["done"] != 2.0 || r.JSON["skipped"] != 1.0 {
		t.Fatalf("bulk: %s", r.Raw)
	}
	skips := r.JSON["skips"].([]any)
	if len(skips) != 1 || skips[0].(map[string]any)["id"] != float64(formula.ID) || skips[0].(map[string]any)["code"] != "bulk.skip.forbidden" {
		t.Fatalf("skips: %s", r.Raw)
	}
	// By filter: only the matching records.
	r = f.admin.post("/api/v1/bulk", map[string]any{"entity": "company", "action": "add_tag", "tag": "ключевой",
		"filter": map[string]any{"type": "partner"}}).want(t, http.StatusOK, "bulk filter")
	if r.JSON["done"] != 2.0 || r.JSON["skipped"] != 0.0 {
		t.Fatalf("bulk filter: %s", r.Raw)
	}
	got, _ := env.App.Company(env.AdminCtx(), formula.ID)
	if len(got.Tags) != 1 {
		t.Fatalf("the company outside the filter was tagged: %q", got.Tags)
	}
	f.admin.post("/api/v1/bulk", map[string]any{"entity": "company", "action": "add_tag", "tag": "x"}).
		wantProblem(t, http.StatusUnprocessableEntity, "nothing selected")
	f.admin.post("/api/v1/bulk", map[string]any{"entity": "company", "action": "add_tag", "tag": "x", "ids": []int64{1},
		"filter": map[string]any{"q": "x"}}).wantProblem(t, http.StatusUnprocessableEntity, "ids and filter")
	f.admin.post("/api/v1/bulk", map[string]any{"entity": "project", "action": "set_type", "type": "x", "ids": []int64{1}}).
		wantProblem(t, http.StatusUnprocessableEntity, "action the entity lacks")
}
