package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// The parties' operations join the list the OpenAPI test checks.
func init() {
	for _, base := range []string{"/api/v1/companies", "/api/v1/contacts"} {
		wantEndpoints = append(wantEndpoints, "GET "+base, "POST "+base, "GET "+base+"/{id}", "PATCH "+base+"/{id}",
			"DELETE "+base+"/{id}", "POST "+base+"/{id}/restore", "POST "+base+"/{id}/merge")
	}
	wantEndpoints = append(wantEndpoints, "GET /api/v1/contacts/{id}/consents", "POST /api/v1/contacts/{id}/consents")
}

func TestPartiesAPI(t *testing.T) {
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) { testPartiesAPI(t, testenv.Start(t, testenv.Options{DBURL: k.URL(t)})) })
	}
}

func testPartiesAPI(t *testing.T, env *testenv.Env) {
	d1 := env.CreateDirectorate(t, "Госсектор")
	d2 := env.CreateDirectorate(t, "Корпоративные продажи")
	seller, _ := env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, d1.ID)
	stranger, _ := env.CreateUser(t, "stranger", crm.Roles{crm.RoleSales}, d2.ID)
	sales := newClient(t, env, env.Token(t, seller, false))
	other := newClient(t, env, env.Token(t, stranger, false))
	readOnly := newClient(t, env, env.Token(t, seller, true))
	admin := newClient(t, env, env.Token(t, env.Admin, false))
	sales.lang, other.lang = "ru", "en"

	// Phones are normalised to E.164 whatever way they are typed; the INN checksum is checked.
	r := sales.post("/api/v1/companies", map[string]any{"name": "ООО «Ромашка»", "inn": "7707083893", "kpp": "773601001",
		"type": "client", "phones": []string{"8 (916) 123-45-67", "+7 495 123-45-67 доб. 12"}, "emails": []string{"Info@Romashka.RU"},
		"tags": []string{"VIP"}}).want(t, http.StatusCreated, "POST /companies")
	companyID, version := r.id(), r.version()
	phones := r.JSON["phones"].([]any)
	if len(phones) != 2 || phones[0].(map[string]any)["e164"] != "+79161234567" || phones[1].(map[string]any)["ext"] != "12" ||
		phones[0].(map[string]any)["raw"] != "8 (916) 123-45-67" || r.JSON["emails"].([]any)[0] != "info@romashka.ru" ||
		r.JSON["directorate_id"] != float64(d1.ID) || r.JSON["kind"] != "legal" {
		t.Fatalf("created: %s", r.Raw)
	}
	if loc := r.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/companies/%d", companyID) {
		t.Fatalf("location %q", loc)
	}
	bad := sales.post("/api/v1/companies", map[string]any{"name": "Ошибка", "inn": "7707083894", "phones": []string{"12"}}).
		wantProblem(t, http.StatusUnprocessableEntity, "bad INN")
	if errs := bad.fieldErrors(); errs["body.inn"] == "" || errs["body.phones"] == "" {
		t.Fatalf("field errors: %s", bad.Raw)
	}

	// A duplicate by phone (another spelling) is a 409 naming the existing record.
	dup := other.post("/api/v1/companies", map[string]any{"name": "Romashka LLC", "phones": []string{"+7 916 1234567"}}).
		wantProblem(t, http.StatusConflict, "duplicate company")
	list, _ := dup.JSON["duplicates"].([]any)
	if dup.str("code") != "conflict" || len(list) != 1 || list[0].(map[string]any)["id"] != float64(companyID) {
		t.Fatalf("duplicate problem: %s", dup.Raw)
	}
	twin := other.post("/api/v1/companies", map[string]any{"name": "Romashka LLC", "phones": []string{"+7 916 1234567"},
		"allow_duplicate": true}).want(t, http.StatusCreated, "confirmed duplicate")
	twinID := twin.id()

	// crm_sales of another directorate reads but may not change it.
	other.get(fmt.Sprintf("/api/v1/companies/%d", companyID)).want(t, http.StatusOK, "read by other")
	other.patch(fmt.Sprintf("/api/v1/companies/%d", companyID), map[string]any{"version": version, "name": "Захват"}).
		wantProblem(t, http.StatusForbidden, "PATCH by other directorate")
	r = sales.patch(fmt.Sprintf("/api/v1/companies/%d", companyID), map[string]any{"version": version, "region": "Москва",
		"responsible_id": nil}).want(t, http.StatusOK, "PATCH by owner")
	if r.JSON["region"] != "Москва" || r.JSON["responsible_id"] != nil || r.JSON["inn"] != "7707083893" {
		t.Fatalf("patched: %s", r.Raw)
	}
	version = r.version()
	sales.patch(fmt.Sprintf("/api/v1/companies/%d", companyID), map[string]any{"version": version - 1, "region": "Тверь"}).
		wantProblem(t, http.StatusConflict, "stale PATCH")
	sales.patch(fmt.Sprintf("/api/v1/companies/%d", companyID), map[string]any{"version": version, "kpp": "12"}).
		wantProblem(t, http.StatusUnprocessableEntity, "bad KPP")

	// Lists: search in Cyrillic lower case, filters, keyset pages.
	page := sales.get("/api/v1/companies?q=%D1%80%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0&type=client&tag=VIP").want(t, http.StatusOK, "list")
	if items := page.JSON["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != float64(companyID) {
		t.Fatalf("search: %s", page.Raw)
	}
	page = sales.get("/api/v1/companies?q=%2B7%20916%20123-45-67&sort=-created_at").want(t, http.StatusOK, "phone search")
	if items := page.JSON["items"].([]any); len(items) != 2 {
		t.Fatalf("phone search: %s", page.Raw)
	}
	sales.get("/api/v1/companies?attr=nonsense:1").wantProblem(t, http.StatusUnprocessableEntity, "unknown attribute filter")
	sales.get("/api/v1/companies?sort=search").wantProblem(t, http.StatusUnprocessableEntity, "bad sort")

	// Contacts: of the company, and a private person.
	c := sales.post("/api/v1/contacts", map[string]any{"last_name": "Иванов", "first_name": "Иван", "company_id": companyID,
		"phones": []string{"9123456789"}, "messengers": []map[string]any{{"kind": "telegram", "handle": "@ivanov"}},
		"do_not_contact": []string{"sms"}, "is_decision_maker": true}).want(t, http.StatusCreated, "POST /contacts")
	contactID := c.id()
	if c.str("full_name") != "Иванов Иван" || c.JSON["phones"].([]any)[0].(map[string]any)["e164"] != "+79123456789" {
		t.Fatalf("contact: %s", c.Raw)
	}
	priv := sales.post("/api/v1/contacts", map[string]any{"last_name": "Частная", "emails": []string{"p@x.ru"}}).want(t, http.StatusCreated, "private person")
	sales.post("/api/v1/contacts", map[string]any{"last_name": "Без компании", "company_id": 999999}).
		wantProblem(t, http.StatusUnprocessableEntity, "unknown company")
	sales.post("/api/v1/contacts", map[string]any{"first_name": "Дубль", "phones": []string{"8 912 345 67 89"}}).
		wantProblem(t, http.StatusConflict, "duplicate contact")
	page = sales.get("/api/v1/contacts?private=true").want(t, http.StatusOK, "private list")
	if items := page.JSON["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != float64(priv.id()) {
		t.Fatalf("private list: %s", page.Raw)
	}
	page = sales.get(fmt.Sprintf("/api/v1/contacts?company_id=%d&decision_maker=true", companyID)).want(t, http.StatusOK, "company contacts")
	if items := page.JSON["items"].([]any); len(items) != 1 {
		t.Fatalf("company contacts: %s", page.Raw)
	}
	r = sales.patch(fmt.Sprintf("/api/v1/contacts/%d", priv.id()), map[string]any{"version": priv.version(), "company_id": companyID}).
		want(t, http.StatusOK, "attach to company")
	if r.JSON["company_id"] != float64(companyID) {
		t.Fatalf("attached: %s", r.Raw)
	}

	// Consents: every CRM role that writes records them; a read-only token (and crm_read_admin) may not.
	other.post(fmt.Sprintf("/api/v1/contacts/%d/consents", contactID), map[string]any{"channel": "email", "purpose": "marketing",
		"status": "granted", "source": "form", "text_version": "v1"}).want(t, http.StatusCreated, "consent by other directorate")
	sales.post(fmt.Sprintf("/api/v1/contacts/%d/consents", contactID), map[string]any{"channel": "email", "purpose": "marketing",
		"status": "withdrawn", "source": "unsubscribe"}).want(t, http.StatusCreated, "withdrawal")
	readOnly.post(fmt.Sprintf("/api/v1/contacts/%d/consents", contactID), map[string]any{"channel": "sms", "purpose": "marketing",
		"status": "granted"}).wantProblem(t, http.StatusForbidden, "read-only consent")
	hist := sales.get(fmt.Sprintf("/api/v1/contacts/%d/consents", contactID)).want(t, http.StatusOK, "consents")
	items, cur := hist.JSON["items"].([]any), hist.JSON["current"].([]any)
	if len(items) != 2 || len(cur) != 1 || cur[0].(map[string]any)["status"] != "withdrawn" {
		t.Fatalf("consents: %s", hist.Raw)
	}

	// Merge: only someone who may edit both. The twin is the other directorate's.
	sales.post(fmt.Sprintf("/api/v1/companies/%d/merge", companyID), map[string]any{"drop_id": twinID}).
		wantProblem(t, http.StatusForbidden, "merge of another's record")
	r = admin.post(fmt.Sprintf("/api/v1/companies/%d/merge", companyID), map[string]any{"drop_id": twinID,
		"from_dropped": []string{"name"}}).want(t, http.StatusOK, "merge")
	if r.str("name") != "Romashka LLC" || len(r.JSON["phones"].([]any)) != 2 {
		t.Fatalf("merged: %s", r.Raw)
	}
	gone := admin.get(fmt.Sprintf("/api/v1/companies/%d", twinID)).want(t, http.StatusOK, "dropped, as admin")
	if gone.JSON["merged_into"] != float64(companyID) || gone.JSON["deleted_at"] == nil {
		t.Fatalf("dropped: %s", gone.Raw)
	}
	admin.post(fmt.Sprintf("/api/v1/companies/%d/restore", twinID), nil).wantProblem(t, http.StatusUnprocessableEntity, "restore merged")
	admin.post(fmt.Sprintf("/api/v1/companies/%d/merge", companyID), map[string]any{"drop_id": companyID}).
		wantProblem(t, http.StatusUnprocessableEntity, "merge into itself")

	// Delete and restore.
	cur2 := sales.get(fmt.Sprintf("/api/v1/contacts/%d", contactID)).want(t, http.StatusOK, "contact")
	sales.del(fmt.Sprintf("/api/v1/contacts/%d?version=%d", contactID, cur2.version())).want(t, http.StatusNoContent, "delete contact")
	sales.get(fmt.Sprintf("/api/v1/contacts/%d", contactID)).wantProblem(t, http.StatusNotFound, "deleted contact")
	admin.post(fmt.Sprintf("/api/v1/contacts/%d/restore", contactID), nil).want(t, http.StatusOK, "restore contact")
}
