package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// The sales configuration's operations join the list the OpenAPI test checks.
func init() {
	for _, base := range []string{"/api/v1/choices", "/api/v1/custom-fields", "/api/v1/topics"} {
		wantEndpoints = append(wantEndpoints, "GET "+base, "POST "+base, "GET "+base+"/{id}", "PATCH "+base+"/{id}",
			"DELETE "+base+"/{id}", "POST "+base+"/{id}/restore")
	}
}

func threeStages() []map[string]any {
	return []map[string]any{
		{"name_ru": "Переговоры", "name_en": "Negotiation", "kind": "open", "probability": 30,
			"task_chain": []map[string]any{{"title": "Отправить КП", "due_days": 2, "kind": "task"}}},
		{"name_ru": "Договор", "kind": "won", "probability": 100},
		{"name_ru": "Отказ", "kind": "lost", "probability": 0},
	}
}

func TestConfigAPI(t *testing.T) {
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) { testConfigAPI(t, testenv.Start(t, testenv.Options{DBURL: k.URL(t)})) })
	}
}

func testConfigAPI(t *testing.T, env *testenv.Env) {
	d := env.CreateDirectorate(t, "Дирекция")
	mgrUser, _ := env.CreateUser(t, "manager", crm.Roles{crm.RoleManager}, d.ID)
	salesUser, _ := env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, d.ID)
	mktUser, _ := env.CreateUser(t, "marketeer", crm.Roles{crm.RoleMarketeer}, d.ID)
	manager := newClient(t, env, env.Token(t, mgrUser, false))
	sales := newClient(t, env, env.Token(t, salesUser, false))
	marketeer := newClient(t, env, env.Token(t, mktUser, false))
	admin := newClient(t, env, env.Token(t, env.Admin, false))
	manager.lang, sales.lang = "en", "ru"

	// Choice values: labels follow Accept-Language; the code is the API value.
	r := manager.post("/api/v1/choices", map[string]any{"list": "company_type", "code": "distributor", "label_ru": "Дистрибьютор",
		"label_en": "Distributor", "is_default": true}).want(t, http.StatusCreated, "POST /choices")
	valueID, version := r.id(), r.version()
	if r.str("label") != "Distributor" || r.JSON["active"] != true || r.JSON["sort"] != 70.0 {
		t.Fatalf("created value: %s", r.Raw)
	}
	list := sales.get("/api/v1/choices?list=company_type&active=true").want(t, http.StatusOK, "GET /choices")
	items := list.JSON["items"].([]any)
	if len(items) != 7 || items[0].(map[string]any)["label"] != "Клиент" || items[6].(map[string]any)["code"] != "distributor" {
		t.Fatalf("list: %s", list.Raw)
	}
	manager.post("/api/v1/choices", map[string]any{"list": "company_type", "code": "Дистр", "label_ru": "x"}).
		wantProblem(t, http.StatusUnprocessableEntity, "bad code")
	sales.post("/api/v1/choices", map[string]any{"list": "deal_type", "code": "rent", "label_ru": "Аренда"}).
		wantProblem(t, http.StatusForbidden, "crm_sales adds a value")
	r = manager.patch(fmt.Sprintf("/api/v1/choices/%d", valueID), map[string]any{"version": version, "label_ru": "Дистрибьютор (опт)", "active": false}).
		want(t, http.StatusOK, "PATCH /choices")
	if r.JSON["is_default"] != false || r.JSON["label_ru"] != "Дистрибьютор (опт)" {
		t.Fatalf("deactivated value keeps the default mark: %s", r.Raw)
	}
	manager.patch(fmt.Sprintf("/api/v1/choices/%d", valueID), map[string]any{"version": version, "label_ru": "Снова"}).
		wantProblem(t, http.StatusConflict, "stale PATCH /choices")
	// A value a company uses is not deleted (R15); once unused it is, and an admin restores it.
	at := any(time.Now().UTC())
	if env.DB.Dialect() == "sqlite" {
		at = time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	if _, err := env.DB.Writer().Exec(`INSERT INTO companies (name, type, created_at, updated_at) VALUES ('ООО Опт', 'distributor', $1, $1)`, at); err != nil {
		t.Fatal(err)
	}
	manager.del(fmt.Sprintf("/api/v1/choices/%d?version=%d", valueID, r.version())).
		wantProblem(t, http.StatusUnprocessableEntity, "DELETE a used value")
	if _, err := env.DB.Writer().Exec(`UPDATE companies SET type = '' WHERE type = 'distributor'`); err != nil {
		t.Fatal(err)
	}
	manager.del(fmt.Sprintf("/api/v1/choices/%d?version=%d", valueID, r.version())).want(t, http.StatusNoContent, "DELETE /choices")
	manager.get(fmt.Sprintf("/api/v1/choices/%d", valueID)).wantProblem(t, http.StatusNotFound, "deleted value to a manager")
	admin.post(fmt.Sprintf("/api/v1/choices/%d/restore", valueID), nil).want(t, http.StatusOK, "restore")

	// Custom fields: MC, so the marketeer writes and the manager does not.
	field := map[string]any{"entity": "deal", "code": "tender", "label_ru": "Тендер", "type": "list", "options": []string{"44-ФЗ", "223-ФЗ"}}
	manager.post("/api/v1/custom-fields", field).wantProblem(t, http.StatusForbidden, "crm_manager adds a field")
	r = marketeer.post("/api/v1/custom-fields", field).want(t, http.StatusCreated, "POST /custom-fields")
	if opts := r.JSON["options"].([]any); len(opts) != 2 || r.str("type") != "list" {
		t.Fatalf("field: %s", r.Raw)
	}
	fieldID := r.id()
	r = marketeer.post("/api/v1/custom-fields", map[string]any{"entity": "deal", "code": "stage_kind", "label_ru": "Вид", "type": "list"}).
		wantProblem(t, http.StatusUnprocessableEntity, "list field without options")
	if fe := r.fieldErrors(); fe["body.options"] == "" {
		t.Fatalf("errors %v, want body.options", fe)
	}
	r = marketeer.patch(fmt.Sprintf("/api/v1/custom-fields/%d", fieldID), map[string]any{"version": 1, "options": []string{"44-ФЗ", "223-ФЗ", "Коммерческий"}}).
		want(t, http.StatusOK, "PATCH /custom-fields")
	if len(r.JSON["options"].([]any)) != 3 {
		t.Fatalf("patched options: %s", r.Raw)
	}
	r = sales.get("/api/v1/custom-fields?entity=deal").want(t, http.StatusOK, "GET /custom-fields")
	if items := r.JSON["items"].([]any); len(items) != 1 || items[0].(map[string]any)["code"] != "tender" {
		t.Fatalf("fields: %s", r.Raw)
	}

	// Topics: SC. crm_sales is refused and nothing is written; a topic without a won stage is 422.
	topic := map[string]any{"name": "Лицензии", "name_en": "Licences", "stages": threeStages()}
	before := snapshot(t, env)
	sales.post("/api/v1/topics", topic).wantProblem(t, http.StatusForbidden, "crm_sales creates a topic")
	noWon := map[string]any{"name": "Без победы", "stages": []map[string]any{threeStages()[0], threeStages()[2]}}
	r = manager.post("/api/v1/topics", noWon).wantProblem(t, http.StatusUnprocessableEntity, "topic without a won stage")
	if fe := r.fieldErrors(); fe["body.stages"] != "A topic needs exactly one won stage." {
		t.Fatalf("errors %v, want body.stages in English", fe)
	}
	bad := threeStages()
	bad[1]["probability"] = 90
	r = manager.post("/api/v1/topics", map[string]any{"name": "Плохая", "stages": bad}).wantProblem(t, http.StatusUnprocessableEntity, "won at 90")
	if fe := r.fieldErrors(); fe["body.stages.1.probability"] == "" {
		t.Fatalf("errors %v, want body.stages.1.probability", fe)
	}
	if after := snapshot(t, env); after != before {
		t.Fatalf("refused topic writes changed the database:\n%s", diffLines(before, after))
	}
	r = manager.post("/api/v1/topics", topic).want(t, http.StatusCreated, "POST /topics")
	topicID := r.id()
	stages := r.JSON["stages"].([]any)
	first := stages[0].(map[string]any)
	if r.str("label") != "Licences" || len(stages) != 3 || first["name"] != "Negotiation" || first["position"] != 1.0 ||
		len(first["task_chain"].([]any)) != 1 {
		t.Fatalf("topic: %s", r.Raw)
	}
	// Stages keep their ids when sent back; a new one is added in place.
	firstID := first["id"]
	newStages := []map[string]any{
		{"id": firstID, "name_ru": "Переговоры и КП", "kind": "open", "probability": 40},
		{"name_ru": "Пилот", "kind": "open", "probability": 70},
		{"id": stages[1].(map[string]any)["id"], "name_ru": "Договор", "kind": "won", "probability": 100},
		{"id": stages[2].(map[string]any)["id"], "name_ru": "Отказ", "kind": "lost", "probability": 0},
	}
	r = manager.patch(fmt.Sprintf("/api/v1/topics/%d", topicID), map[string]any{"version": r.version(), "stages": newStages}).
		want(t, http.StatusOK, "PATCH /topics")
	got := r.JSON["stages"].([]any)
	if len(got) != 4 || got[0].(map[string]any)["id"] != firstID || got[1].(map[string]any)["name_ru"] != "Пилот" || r.str("name") != "Лицензии" {
		t.Fatalf("patched topic: %s", r.Raw)
	}
	r = sales.get("/api/v1/topics?sort=name&q=лиценз").want(t, http.StatusOK, "GET /topics")
	if items := r.JSON["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != float64(topicID) {
		t.Fatalf("topic search: %s", r.Raw)
	}
	r = sales.get("/api/v1/topics").want(t, http.StatusOK, "GET /topics")
	if items := r.JSON["items"].([]any); len(items) != 2 || items[0].(map[string]any)["name"] != "Основные продажи" {
		t.Fatalf("topics in order: %s", r.Raw)
	}
}

// The permission matrix of the sales configuration (product.md §3.3): SC (choice lists,
// topics) is written by crm_manager, MC (custom fields) by crm_marketeer, both by crm_admin
// and admin; every CRM role reads; crm_read_admin writes nothing; no role, no access.
func TestConfigPermissions(t *testing.T) {
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			env := testenv.Start(t, testenv.Options{DBURL: k.URL(t)})
			d := env.CreateDirectorate(t, "Дирекция")
			writers := map[string]map[crm.Role]bool{
				"choices":       roleSet(crm.RoleManager, crm.RoleCRMAdmin, crm.RoleAdmin),
				"topics":        roleSet(crm.RoleManager, crm.RoleCRMAdmin, crm.RoleAdmin),
				"custom-fields": roleSet(crm.RoleMarketeer, crm.RoleCRMAdmin, crm.RoleAdmin),
			}
			for i, role := range matrixRoles {
				var roles crm.Roles
				if role != noRole {
					roles = crm.Roles{role}
				}
				u, _ := env.CreateUser(t, fmt.Sprintf("u%d", i), roles, d.ID)
				c := newClient(t, env, env.Token(t, u, false))
				code := fmt.Sprintf("c%d", i)
				bodies := map[string]map[string]any{
					"choices":       {"list": "deal_type", "code": code, "label_ru": "Значение " + code},
					"topics":        {"name": "Тема " + code, "stages": threeStages()},
					"custom-fields": {"entity": "company", "code": code, "label_ru": "Поле " + code, "type": "text"},
				}
				for entity, body := range bodies {
					name := roleName(role) + "/" + entity
					wantRead, wantWrite := http.StatusOK, http.StatusForbidden
					if role == noRole {
						wantRead = http.StatusForbidden
					}
					if writers[entity][role] {
						wantWrite = http.StatusCreated
					}
					c.get("/api/v1/"+entity).want(t, wantRead, name+" read")
					r := c.post("/api/v1/"+entity, body).want(t, wantWrite, name+" create")
					if wantWrite != http.StatusCreated {
						continue
					}
					// Writers change and delete what they made.
					patch := map[string]any{"version": r.version(), "label_ru": "Новое " + code}
					if entity == "topics" {
						patch = map[string]any{"version": r.version(), "name": "Новая " + code}
					}
					r = c.patch(fmt.Sprintf("/api/v1/%s/%d", entity, r.id()), patch).want(t, http.StatusOK, name+" update")
					c.del(fmt.Sprintf("/api/v1/%s/%d?version=%d", entity, r.id(), r.version())).want(t, http.StatusNoContent, name+" delete")
				}
			}
		})
	}
}
