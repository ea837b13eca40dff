package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

func TestSearch(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	d := env.CreateDirectorate(t, "Дирекция корпоративных продаж")
	u, _ := env.CreateUser(t, "seller", crm.Roles{crm.RoleSales}, d.ID)
	nobody, _ := env.CreateUser(t, "norole", nil)
	ctx := context.Background()
	co := &crm.Company{Name: "Северсталь-Инфоком", INN: "3528000597", Region: "Вологодская область"}
	var person *crm.Contact
	err := env.DB.InTx(ctx, func(r crm.Repo) error {
		if err := r.BulkCreateCompanies(ctx, []*crm.Company{co}); err != nil {
			return err
		}
		person = &crm.Contact{LastName: "Иванов", FirstName: "Пётр", CompanyID: &co.ID, Position: "Директор по ИТ",
			Phones: []crm.Phone{{E164: "+79161234567", Raw: "8 916 123-45-67"}}}
		return r.BulkCreateContacts(ctx, []*crm.Contact{person})
	})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, env, env.Token(t, u, true)) // a read-only token may search

	res := c.get("/api/v1/search?q=%D0%B8%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2").want(t, http.StatusOK, "search иванов")
	items := res.JSON["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("иванов: %s", res.Raw)
	}
	hit := items[0].(map[string]any)
	if hit["entity"] != "contact" || int64(hit["id"].(float64)) != person.ID || hit["title"] != "Иванов Пётр" ||
		hit["subtitle"] != "Директор по ИТ · Северсталь-Инфоком" || hit["url"] != "/api/v1/contacts/"+itoa(person.ID) || hit["fuzzy"] != false {
		t.Fatalf("hit: %v", hit)
	}
	// A phone typed with 8 and spaces, an INN, and one typo.
	for q, want := range map[string]string{"8+916+123": "contact", "3528000597": "company", "%D1%81%D0%B5%D0%B2%D0%B5%D1%80%D1%81%D1%82%D0%BB%D1%8C": "company"} {
		res := c.get("/api/v1/search?q="+q).want(t, http.StatusOK, q)
		items := res.JSON["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["entity"] != want {
			t.Errorf("%s: %s", q, res.Raw)
		}
	}
	// One letter finds nothing rather than a tenth of the database; the items are [] not null.
	res = c.get("/api/v1/search?q=%D0%B8").want(t, http.StatusOK, "one letter")
	if string(res.Raw) == "" || len(res.JSON["items"].([]any)) != 0 {
		t.Fatalf("one letter: %s", res.Raw)
	}
	c.get("/api/v1/search?q=ivanov&limit=0").wantProblem(t, http.StatusUnprocessableEntity, "limit 0")
	c.get("/api/v1/search?q=ivanov&limit=101").wantProblem(t, http.StatusUnprocessableEntity, "limit 101")
	newClient(t, env, env.Token(t, nobody, false)).get("/api/v1/search?q=ivanov").wantProblem(t, http.StatusForbidden, "no CRM role")
	newClient(t, env, "").get("/api/v1/search?q=ivanov").wantProblem(t, http.StatusUnauthorized, "anonymous")
}
