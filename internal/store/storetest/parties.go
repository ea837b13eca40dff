package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
)

var partyTests = []storeTest{
	{"CompanyRoundTrip", testCompanyRoundTrip},
	{"CompanyFilters", testCompanyFilters},
	{"CompanySortsAndPages", testCompanySortsAndPages},
	{"CompanySearchTerms", testCompanySearchTerms},
	{"CompanyDuplicates", testCompanyDuplicates},
	{"ContactRoundTrip", testContactRoundTrip},
	{"ContactFilters", testContactFilters},
	{"ContactDuplicates", testContactDuplicates},
	{"Consents", testConsents},
	{"MergeCompanies", testMergeCompanies},
	{"MergeContacts", testMergeContacts},
}

func ph(e164, raw string) crm.Phone { return crm.Phone{E164: e164, Raw: raw} }

func newCompany(t *testing.T, db *store.DB, name string, change func(c *crm.Company)) *crm.Company {
	t.Helper()
	c := &crm.Company{Name: name, Kind: crm.KindLegal}
	if change != nil {
		change(c)
	}
	c.Normalise()
	must(t, c.Validate())
	must(t, db.CreateCompany(ctx, c))
	return c
}

func newContact(t *testing.T, db *store.DB, last, first string, change func(c *crm.Contact)) *crm.Contact {
	t.Helper()
	c := &crm.Contact{LastName: last, FirstName: first}
	if change != nil {
		change(c)
	}
	c.Normalise()
	must(t, c.Validate())
	must(t, db.CreateContact(ctx, c))
	return c
}

func companyNames(p crm.Page[crm.Company]) []string {
	out := []string{}
	for _, c := range p.Items {
		out = append(out, c.Name)
	}
	return out
}

func contactIDs(p crm.Page[crm.Contact]) []int64 {
	out := []int64{}
	for _, c := range p.Items {
		out = append(out, c.ID)
	}
	return out
}

func testCompanyRoundTrip(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("Party-dir "))
	u := newUser(t, db, crm.Roles{crm.RoleSales}, dir.ID)
	c := newCompany(t, db, "ООО «Ромашка»", func(c *crm.Company) {
		c.LegalName, c.ExternalRef, c.Type, c.Industry, c.Size = "Общество с ограниченной ответственностью «Ромашка»", unique("EXT-"), "client", "it", "small"
		c.INN, c.KPP, c.Region, c.Website, c.Address = "7707083893", "773601001", "Москва", "romashka.ru", "ул. Ленина, 1"
		c.Phones = []crm.Phone{ph("+74951234567", "+7 495 123-45-67"), {E164: "+79161234567", Raw: "8 916 123 45 67", Ext: "12"}}
		c.Emails, c.Tags = []string{"info@romashka.ru"}, []string{"VIP", "госсектор"}
		c.Attributes = crm.Attributes{"upsell": "high", "seats": 40.0, "pilot": true}
		c.ResponsibleID, c.DirectorateID, c.IsSupplier, c.Notes, c.CreatedBy = &u.ID, &dir.ID, true, "Заметка", &u.ID
	})
	got, err := db.CompanyByID(ctx, c.ID)
	must(t, err)
	if got.Name != c.Name || got.LegalName != c.LegalName || got.ExternalRef != c.ExternalRef || got.INN != "7707083893" ||
		got.KPP != "773601001" || got.Kind != crm.KindLegal || !got.IsSupplier || got.Size != "small" || got.Website != "romashka.ru" {
		t.Fatalf("round trip: %+v", got)
	}
	if len(got.Phones) != 2 || got.Phones[1].Ext != "12" || got.Phones[1].Raw != "8 916 123 45 67" ||
		!slices.Equal(got.Emails, []string{"info@romashka.ru"}) || !slices.Equal(got.Tags, []string{"VIP", "госсектор"}) {
		t.Fatalf("lists: %+v %+v %+v", got.Phones, got.Emails, got.Tags)
	}
	if got.Attributes["upsell"] != "high" || got.Attributes["seats"] != 40.0 || got.Attributes["pilot"] != true {
		t.Fatalf("attributes: %+v", got.Attributes)
	}
	if *got.ResponsibleID != u.ID || *got.DirectorateID != dir.ID || got.Version != 1 || got.CreatedAt.IsZero() || *got.CreatedBy != u.ID {
		t.Fatalf("refs and meta: %+v", got)
	}

	// An empty company reads back with empty lists, not nil ones (the API sends [] not null).
	bare := newCompany(t, db, unique("ИП Петров "), nil)
	got, err = db.CompanyByID(ctx, bare.ID)
	must(t, err)
	if got.Phones == nil || got.Emails == nil || got.Tags == nil || got.Attributes == nil || got.ExternalRef != "" {
		t.Fatalf("empty lists: %+v", got)
	}

	c.Name, c.Tags, c.Emails, c.UpdatedBy = "ООО «Ромашка Плюс»", []string{"VIP"}, []string{}, &u.ID
	must(t, db.UpdateCompany(ctx, c))
	if c.Version != 2 {
		t.Fatalf("version after update = %d", c.Version)
	}
	got, _ = db.CompanyByID(ctx, c.ID)
	if got.Name != "ООО «Ромашка Плюс»" || len(got.Emails) != 0 || !slices.Equal(got.Tags, []string{"VIP"}) {
		t.Fatalf("after update: %+v", got)
	}
	stale := *got
	stale.Version = 1
	wantCode(t, db.UpdateCompany(ctx, &stale), crm.EConflict)

	// external_ref is unique among live companies.
	dup := &crm.Company{Name: "Другая", Kind: crm.KindLegal, ExternalRef: c.ExternalRef}
	err = db.CreateCompany(ctx, dup)
	wantCode(t, err, crm.EInvalid)

	must(t, db.SoftDelete(ctx, crm.EntityCompany, c.ID, c.Version, u.ID))
	wantCode(t, db.UpdateCompany(ctx, got), crm.ENotFound)
	got, err = db.CompanyByID(ctx, c.ID)
	must(t, err)
	if !got.Deleted() {
		t.Fatal("not deleted")
	}
	_, err = db.CompanyByID(ctx, 1<<40)
	wantCode(t, err, crm.ENotFound)
}

func testCompanyFilters(t *testing.T, db *store.DB) {
	d1 := newDirectorate(t, db, unique("Filter-dir "))
	d2 := newDirectorate(t, db, unique("Filter-dir "))
	u1 := newUser(t, db, crm.Roles{crm.RoleSales}, d1.ID)
	u2 := newUser(t, db, crm.Roles{crm.RoleSales}, d2.ID)
	tag := unique("метка")
	a := newCompany(t, db, "Альфа", func(c *crm.Company) {
		c.DirectorateID, c.ResponsibleID, c.Type, c.Industry, c.Region = &d1.ID, &u1.ID, "client", "it", "Москва"
		c.Tags, c.Attributes, c.IsSupplier = []string{tag}, crm.Attributes{"upsell": "high", "seats": 40.0, "pilot": true}, true
	})
	b := newCompany(t, db, "Бета", func(c *crm.Company) {
		c.DirectorateID, c.ResponsibleID, c.Type, c.Industry, c.Region = &d1.ID, &u2.ID, "partner", "retail", "Казань"
		c.Kind, c.INN = crm.KindSoleProp, "500100732259"
		c.Attributes = crm.Attributes{"upsell": "low", "seats": 5.0, "pilot": false}
	})
	g := newCompany(t, db, "Гамма", func(c *crm.Company) {
		c.DirectorateID, c.ResponsibleID, c.Type = &d2.ID, &u1.ID, "client"
		c.Tags = []string{tag, "другая"}
	})
	page := func(f crm.CompanyFilter) []string {
		t.Helper()
		if f.DirectorateID == 0 && len(f.IDs) == 0 {
			f.IDs = []int64{a.ID, b.ID, g.ID}
		}
		f.Page = crm.PageRequest{Limit: 50, Sort: "name"}
		p, err := db.ListCompanies(ctx, f)
		must(t, err)
		return companyNames(p)
	}
	yes, no := true, false
	for name, tc := range map[string]struct {
		f    crm.CompanyFilter
		want []string
	}{
		"directorate":  {crm.CompanyFilter{DirectorateID: d1.ID}, []string{"Альфа", "Бета"}},
		"responsible":  {crm.CompanyFilter{ResponsibleID: u1.ID}, []string{"Альфа", "Гамма"}},
		"type":         {crm.CompanyFilter{Type: "client"}, []string{"Альфа", "Гамма"}},
		"type+dir":     {crm.CompanyFilter{Type: "client", DirectorateID: d2.ID}, []string{"Гамма"}},
		"kind":         {crm.CompanyFilter{Kind: crm.KindSoleProp}, []string{"Бета"}},
		"industry":     {crm.CompanyFilter{Industry: "retail"}, []string{"Бета"}},
		"region":       {crm.CompanyFilter{Region: "Москва"}, []string{"Альфа"}},
		"tag":          {crm.CompanyFilter{Tag: tag}, []string{"Альфа", "Гамма"}},
		"supplier":     {crm.CompanyFilter{Supplier: &yes}, []string{"Альфа"}},
		"not supplier": {crm.CompanyFilter{Supplier: &no}, []string{"Бета", "Гамма"}},
		"attr text":    {crm.CompanyFilter{Attr: map[string]string{"upsell": "high"}}, []string{"Альфа"}},
		"attr number":  {crm.CompanyFilter{Attr: map[string]string{"seats": "5"}}, []string{"Бета"}},
		"attr flag":    {crm.CompanyFilter{Attr: map[string]string{"pilot": "true"}}, []string{"Альфа"}},
		"attr two":     {crm.CompanyFilter{Attr: map[string]string{"pilot": "false", "upsell": "low"}}, []string{"Бета"}},
		"attr missing": {crm.CompanyFilter{Attr: map[string]string{"nothing": "x"}}, []string{}},
		"search":       {crm.CompanyFilter{Q: "бет"}, []string{"Бета"}},
		"search inn":   {crm.CompanyFilter{Q: "500100732259"}, []string{"Бета"}},
	} {
		if got := page(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", name, got, tc.want)
		}
	}
	// Created range: whole days, the end day included.
	today := crm.Date{Time: time.Now().UTC().Truncate(24 * time.Hour)}
	tomorrow := crm.Date{Time: today.AddDate(0, 0, 1)}
	yesterday := crm.Date{Time: today.AddDate(0, 0, -1)}
	if got := page(crm.CompanyFilter{CreatedFrom: &today, CreatedTo: &today}); len(got) != 3 {
		t.Errorf("created today: %v", got)
	}
	if got := page(crm.CompanyFilter{CreatedFrom: &tomorrow}); len(got) != 0 {
		t.Errorf("created from tomorrow: %v", got)
	}
	if got := page(crm.CompanyFilter{CreatedTo: &yesterday}); len(got) != 0 {
		t.Errorf("created until yesterday: %v", got)
	}
	// The trash is its own list.
	must(t, db.SoftDelete(ctx, crm.EntityCompany, b.ID, b.Version, u1.ID))
	if got := page(crm.CompanyFilter{DirectorateID: d1.ID}); !slices.Equal(got, []string{"Альфа"}) {
		t.Errorf("live after delete: %v", got)
	}
	if got := page(crm.CompanyFilter{DirectorateID: d1.ID, Deleted: true}); !slices.Equal(got, []string{"Бета"}) {
		t.Errorf("trash: %v", got)
	}
}

func testCompanySortsAndPages(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("Sort-dir "))
	names := []string{"Дельта", "Альфа", "Вега", "Бета", "Гамма", "Альфа"}
	for i, n := range names {
		newCompany(t, db, n, func(c *crm.Company) {
			c.DirectorateID, c.Region = &dir.ID, []string{"Б", "А"}[i%2]
		})
	}
	for _, sort := range []string{"name", "created_at", "updated_at", "type", "kind", "region", "industry", "inn", "id"} {
		for _, desc := range []bool{false, true} {
			var seen []int64
			after := ""
			for {
				p, err := db.ListCompanies(ctx, crm.CompanyFilter{DirectorateID: dir.ID, Page: crm.PageRequest{Limit: 4, Sort: sort, Desc: desc, After: after}})
				must(t, err)
				if p.Total != len(names) {
					t.Fatalf("%s: total %d", sort, p.Total)
				}
				for _, c := range p.Items {
					seen = append(seen, c.ID)
				}
				if p.Next == "" {
					break
				}
				after = p.Next
			}
			if len(seen) != len(names) {
				t.Fatalf("sort %s desc=%v: walked %d rows, want %d", sort, desc, len(seen), len(names))
			}
			slices.Sort(seen)
			if len(slices.Compact(seen)) != len(names) {
				t.Fatalf("sort %s desc=%v: a row twice", sort, desc)
			}
		}
	}
	p, err := db.ListCompanies(ctx, crm.CompanyFilter{DirectorateID: dir.ID, Page: crm.PageRequest{Limit: 10, Sort: "name", Desc: true}})
	must(t, err)
	if got := companyNames(p); !slices.Equal(got, []string{"Дельта", "Гамма", "Вега", "Бета", "Альфа", "Альфа"}) {
		t.Fatalf("by name desc: %v", got)
	}
	_, err = db.ListCompanies(ctx, crm.CompanyFilter{Page: crm.PageRequest{Sort: "search"}})
	wantCode(t, err, crm.EInvalid)
}

func testCompanySearchTerms(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("Search-dir "))
	word := unique("ромашкаплюс")
	c := newCompany(t, db, "ООО «"+word+"»", func(c *crm.Company) {
		c.DirectorateID, c.LegalName = &dir.ID, "Торговый дом"
		c.Phones = []crm.Phone{ph("+79161234500", "8 916 123-45-00")}
		c.Emails = []string{word + "@example.ru"}
	})
	find := func(q string) bool {
		t.Helper()
		p, err := db.ListCompanies(ctx, crm.CompanyFilter{Q: q, DirectorateID: dir.ID, Page: crm.PageRequest{Limit: 10}})
		must(t, err)
		return slices.Contains(companyNamesIDs(p), c.ID)
	}
	for _, q := range []string{word, "ООО " + word[:8], "торговый", "ТОРГ дом", "+7 916 123-45-00", "8 (916) 1234500", "9161234500",
		"916123", word + "@example.ru", "«" + word + "»"} {
		if !find(q) {
			t.Errorf("%q does not find the company", q)
		}
	}
	for _, q := range []string{"ромашкаминус", "лимонад", "dom", "+7 916 000-00-00"} {
		if find(q) {
			t.Errorf("%q finds the company", q)
		}
	}
	// Terms follow an update.
	c.LegalName = "Производственная компания"
	must(t, db.UpdateCompany(ctx, c))
	if find("торговый") || !find("производственная") {
		t.Fatal("terms not rewritten on update")
	}
}

func companyNamesIDs(p crm.Page[crm.Company]) []int64 {
	out := []int64{}
	for _, c := range p.Items {
		out = append(out, c.ID)
	}
	return out
}

func testCompanyDuplicates(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleSales})
	inn := "7736207543"
	a := newCompany(t, db, unique("Яндекс "), func(c *crm.Company) {
		c.INN = inn
		c.Phones = []crm.Phone{ph("+74957397000", "+7 495 739-70-00")}
		c.Emails = []string{"dup-a@yandex.ru"}
	})
	b := newCompany(t, db, unique("Яндекс-2 "), func(c *crm.Company) { c.Emails = []string{"dup-b@yandex.ru"} })
	probe := func(c *crm.Company) []int64 {
		t.Helper()
		got, err := db.DuplicateCompanies(ctx, c)
		must(t, err)
		ids := []int64{}
		for _, x := range got {
			ids = append(ids, x.ID)
		}
		return ids
	}
	if got := probe(&crm.Company{INN: inn}); !slices.Equal(got, []int64{a.ID}) {
		t.Errorf("by INN: %v", got)
	}
	if got := probe(&crm.Company{Phones: []crm.Phone{ph("+74957397000", "84957397000")}}); !slices.Equal(got, []int64{a.ID}) {
		t.Errorf("by phone: %v", got)
	}
	if got := probe(&crm.Company{Emails: []string{"dup-b@yandex.ru", "dup-a@yandex.ru"}}); !slices.Equal(got, []int64{a.ID, b.ID}) {
		t.Errorf("by e-mails: %v", got)
	}
	// The ten national digits are a search term, not an identity: a number of another
	// country that shares them does not count.
	if got := probe(&crm.Company{Phones: []crm.Phone{ph("+4957397000", "")}}); len(got) != 0 {
		t.Errorf("false match: %v", got)
	}
	if got := probe(a); !slices.Equal(got, []int64{}) {
		t.Errorf("a record matched itself: %v", got)
	}
	if got := probe(&crm.Company{}); len(got) != 0 {
		t.Errorf("nothing to match: %v", got)
	}
	must(t, db.SoftDelete(ctx, crm.EntityCompany, a.ID, a.Version, u.ID))
	if got := probe(&crm.Company{INN: inn}); len(got) != 0 {
		t.Errorf("deleted record matched: %v", got)
	}
}

func testContactRoundTrip(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("Contact-dir "))
	co := newCompany(t, db, unique("ООО Контакт "), func(c *crm.Company) { c.DirectorateID = &dir.ID })
	c := newContact(t, db, "Иванов", "Иван", func(c *crm.Contact) {
		c.MiddleName, c.CompanyID, c.Position, c.IsDecisionMaker, c.Type, c.Role = "Иванович", &co.ID, "Директор", true, "lpr", "buyer"
		c.Phones = []crm.Phone{{E164: "+79161112233", Raw: "8 916 111-22-33", Ext: "5"}}
		c.Emails = []string{"ivanov@example.ru"}
		c.Messengers = []crm.Messenger{{Kind: "telegram", Handle: "@ivanov"}}
		c.DoNotContact = []string{crm.ChannelSMS, crm.ChannelPostal}
		c.PostalAddress, c.DirectorateID, c.Tags = "Москва, ул. Тверская, 1", &dir.ID, []string{"конференция"}
		c.Attributes = crm.Attributes{"interest": "BI"}
	})
	got, err := db.ContactByID(ctx, c.ID)
	must(t, err)
	if got.FullName() != "Иванов Иван Иванович" || *got.CompanyID != co.ID || got.Position != "Директор" || !got.IsDecisionMaker ||
		got.Type != "lpr" || got.Role != "buyer" || got.PostalAddress == "" || got.Attributes["interest"] != "BI" {
		t.Fatalf("round trip: %+v", got)
	}
	if len(got.Phones) != 1 || got.Phones[0].Ext != "5" || !slices.Equal(got.Emails, []string{"ivanov@example.ru"}) ||
		len(got.Messengers) != 1 || got.Messengers[0].Handle != "@ivanov" || !slices.Equal(got.DoNotContact, []string{"sms", "postal"}) ||
		!slices.Equal(got.Tags, []string{"конференция"}) {
		t.Fatalf("lists: %+v", got)
	}
	got.FirstName, got.CompanyID = "Пётр", nil
	must(t, db.UpdateContact(ctx, got))
	again, _ := db.ContactByID(ctx, c.ID)
	if again.FullName() != "Иванов Пётр Иванович" || again.CompanyID != nil || again.Version != 2 {
		t.Fatalf("after update: %+v", again)
	}
	c.Version = 1
	wantCode(t, db.UpdateContact(ctx, c), crm.EConflict)
	_, err = db.ContactByID(ctx, 1<<40)
	wantCode(t, err, crm.ENotFound)
}

func testContactFilters(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("CFilter-dir "))
	u := newUser(t, db, crm.Roles{crm.RoleSales}, dir.ID)
	co := newCompany(t, db, unique("ООО Фильтр "), func(c *crm.Company) { c.DirectorateID = &dir.ID })
	tag := unique("выставка")
	in := func(c *crm.Contact) { c.DirectorateID = &dir.ID }
	a := newContact(t, db, "Смирнова", "Анна", func(c *crm.Contact) {
		in(c)
		c.CompanyID, c.IsDecisionMaker, c.Type, c.Role, c.ResponsibleID, c.Tags = &co.ID, true, "lpr", "buyer", &u.ID, []string{tag}
		c.Attributes = crm.Attributes{"interest": "BI"}
	})
	b := newContact(t, db, "Кузнецов", "Борис", func(c *crm.Contact) {
		in(c)
		c.CompanyID, c.Type, c.Role = &co.ID, "specialist", "user"
	})
	p := newContact(t, db, "Попов", "Пётр", func(c *crm.Contact) {
		in(c)
		c.Type, c.Tags, c.ResponsibleID = "lpr", []string{tag}, &u.ID
		c.Emails = []string{"popov@example.org"}
	})
	list := func(f crm.ContactFilter) []int64 {
		t.Helper()
		f.DirectorateID = dir.ID
		f.Page = crm.PageRequest{Limit: 50}
		got, err := db.ListContacts(ctx, f)
		must(t, err)
		return contactIDs(got)
	}
	yes, no := true, false
	for name, tc := range map[string]struct {
		f    crm.ContactFilter
		want []int64
	}{
		"all by name":    {crm.ContactFilter{}, []int64{b.ID, p.ID, a.ID}},
		"company":        {crm.ContactFilter{CompanyID: co.ID}, []int64{b.ID, a.ID}},
		"private":        {crm.ContactFilter{PrivateOnly: true}, []int64{p.ID}},
		"type":           {crm.ContactFilter{Type: "lpr"}, []int64{p.ID, a.ID}},
		"role":           {crm.ContactFilter{Role: "user"}, []int64{b.ID}},
		"decision maker": {crm.ContactFilter{DecisionMaker: &yes}, []int64{a.ID}},
		"not dm":         {crm.ContactFilter{DecisionMaker: &no}, []int64{b.ID, p.ID}},
		"responsible":    {crm.ContactFilter{ResponsibleID: u.ID}, []int64{p.ID, a.ID}},
		"tag":            {crm.ContactFilter{Tag: tag}, []int64{p.ID, a.ID}},
		"attr":           {crm.ContactFilter{Attr: map[string]string{"interest": "BI"}}, []int64{a.ID}},
		"search":         {crm.ContactFilter{Q: "смирн"}, []int64{a.ID}},
		"search two":     {crm.ContactFilter{Q: "Пётр ПОПОВ"}, []int64{p.ID}},
		"search email":   {crm.ContactFilter{Q: "popov@example.org"}, []int64{p.ID}},
		"ids":            {crm.ContactFilter{IDs: []int64{a.ID, p.ID}}, []int64{p.ID, a.ID}},
	} {
		if got := list(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", name, got, tc.want)
		}
	}
	for _, sort := range []string{"name", "position", "type", "role", "created_at", "updated_at", "id"} {
		got, err := db.ListContacts(ctx, crm.ContactFilter{DirectorateID: dir.ID, Page: crm.PageRequest{Limit: 2, Sort: sort, Desc: true}})
		must(t, err)
		if len(got.Items) != 2 || got.Next == "" || got.Total != 3 {
			t.Fatalf("sort %s: %d rows, next %q", sort, len(got.Items), got.Next)
		}
		rest, err := db.ListContacts(ctx, crm.ContactFilter{DirectorateID: dir.ID, Page: crm.PageRequest{Limit: 2, Sort: sort, Desc: true, After: got.Next}})
		must(t, err)
		if len(rest.Items) != 1 || rest.Next != "" || slices.Contains(contactIDs(got), rest.Items[0].ID) {
			t.Fatalf("sort %s second page: %v", sort, contactIDs(rest))
		}
	}
}

func testContactDuplicates(t *testing.T, db *store.DB) {
	a := newContact(t, db, "Дубль", "Первый", func(c *crm.Contact) {
		c.Phones = []crm.Phone{ph("+79035550011", "8 903 555-00-11")}
		c.Emails = []string{"double@example.ru"}
	})
	got, err := db.DuplicateContacts(ctx, &crm.Contact{Phones: []crm.Phone{ph("+79035550011", "+7 903 555 00 11")}})
	must(t, err)
	if len(got) != 1 || got[0].ID != a.ID {
		t.Fatalf("by phone: %+v", got)
	}
	got, err = db.DuplicateContacts(ctx, &crm.Contact{Emails: []string{"double@example.ru"}})
	must(t, err)
	if len(got) != 1 || got[0].ID != a.ID {
		t.Fatalf("by e-mail: %+v", got)
	}
	got, err = db.DuplicateContacts(ctx, a)
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("itself: %+v", got)
	}
}

func testConsents(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleSales})
	c := newContact(t, db, "Согласная", "Ольга", nil)
	t0 := time.Now().UTC().Add(-time.Hour).Truncate(time.Microsecond)
	rows := []crm.Consent{
		{ContactID: c.ID, Channel: crm.ChannelEmail, Purpose: "marketing", Status: crm.ConsentGranted, Source: "form", TextVersion: "v1", At: t0},
		{ContactID: c.ID, Channel: crm.ChannelSMS, Purpose: "marketing", Status: crm.ConsentGranted, Source: "call", At: t0.Add(time.Minute)},
		{ContactID: c.ID, Channel: crm.ChannelEmail, Purpose: "marketing", Status: crm.ConsentWithdrawn, Source: "unsubscribe", At: t0.Add(2 * time.Minute), Evidence: "link"},
	}
	for i := range rows {
		rows[i].CreatedBy = &u.ID
		must(t, db.AddConsent(ctx, &rows[i]))
		if rows[i].ID == 0 {
			t.Fatal("no id")
		}
	}
	got, err := db.ListConsents(ctx, c.ID)
	must(t, err)
	if len(got) != 3 || got[0].Status != crm.ConsentWithdrawn || got[0].Evidence != "link" || !got[0].At.Equal(t0.Add(2*time.Minute)) ||
		got[2].TextVersion != "v1" || *got[2].CreatedBy != u.ID {
		t.Fatalf("history: %+v", got)
	}
	cur := crm.CurrentConsents(got)
	if len(cur) != 2 || cur[0].Channel != crm.ChannelEmail || cur[0].Status != crm.ConsentWithdrawn || cur[1].Status != crm.ConsentGranted {
		t.Fatalf("current: %+v", cur)
	}
	// The database refuses values outside the fixed sets even if a caller skipped Validate.
	bad := crm.Consent{ContactID: c.ID, Channel: "pigeon", Purpose: "marketing", Status: crm.ConsentGranted, Source: "manual"}
	if err := db.AddConsent(ctx, &bad); err == nil {
		t.Fatal("unknown channel stored")
	}
	none, err := db.ListConsents(ctx, 1<<40)
	must(t, err)
	if none == nil || len(none) != 0 {
		t.Fatalf("no history: %#v", none)
	}
}

func testMergeCompanies(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("Merge-dir "))
	keepDir := newDirectorate(t, db, unique("Merge-keep-dir "))
	u := newUser(t, db, crm.Roles{crm.RoleSales}, dir.ID)
	tag := unique("слияние")
	keep := newCompany(t, db, unique("Оставить "), func(c *crm.Company) { c.DirectorateID = &keepDir.ID })
	drop := newCompany(t, db, unique("Удалить "), func(c *crm.Company) {
		c.DirectorateID, c.Tags, c.INN = &dir.ID, []string{tag}, "7830002293"
	})
	person := newContact(t, db, "Сотрудник", "Дропа", func(c *crm.Contact) { c.CompanyID = &drop.ID })
	gone := newContact(t, db, "Бывший", "Сотрудник", func(c *crm.Contact) { c.CompanyID = &drop.ID })
	must(t, db.SoftDelete(ctx, crm.EntityContact, gone.ID, gone.Version, u.ID))
	tp := newDealTopic(t, db)
	deal := newDeal(t, db, tp, 0, unique("Сделка дропа "), 100_00, func(d *crm.Deal) { d.CompanyID, d.ContactID = &drop.ID, &person.ID })
	task := &crm.Task{Title: "Позвонить", AssigneeID: u.ID, Entity: crm.EntityCompany, RecordID: &drop.ID, Kind: crm.TaskTask,
		Status: crm.TaskOpen, Origin: "manual", DirectorateID: &dir.ID}
	must(t, db.CreateTask(ctx, task))

	err := db.InTx(ctx, func(r crm.Repo) error {
		if err := r.MergeCompanyLinks(ctx, keep.ID, drop.ID); err != nil {
			return err
		}
		return r.SoftDelete(ctx, crm.EntityCompany, drop.ID, drop.Version, u.ID)
	})
	must(t, err)

	p, err := db.ListContacts(ctx, crm.ContactFilter{CompanyID: keep.ID, Page: crm.PageRequest{Limit: 10}})
	must(t, err)
	if !slices.Equal(contactIDs(p), []int64{person.ID}) {
		t.Fatalf("contacts of the kept company: %v", contactIDs(p))
	}
	if got, _ := db.ContactByID(ctx, gone.ID); *got.CompanyID != keep.ID {
		t.Fatal("a deleted contact still points at the dropped company (it would on restore)")
	}
	if got, _ := db.ContactByID(ctx, person.ID); got.Version != person.Version+1 {
		t.Fatalf("re-pointed contact keeps version %d: an open form would write the old company back", got.Version)
	}
	d, err := db.DealByID(ctx, deal.ID)
	must(t, err)
	if *d.CompanyID != keep.ID {
		t.Fatalf("deal company = %d", *d.CompanyID)
	}
	tk, err := db.TaskByID(ctx, task.ID)
	must(t, err)
	if *tk.RecordID != keep.ID || tk.DirectorateOf() != keepDir.ID {
		t.Fatalf("task record = %d, directorate %d: a task takes its record's directorate", *tk.RecordID, tk.DirectorateOf())
	}
	dropped, err := db.CompanyByID(ctx, drop.ID)
	must(t, err)
	if !dropped.Deleted() || dropped.MergedInto == nil || *dropped.MergedInto != keep.ID {
		t.Fatalf("dropped: %+v", dropped)
	}
	if got, _ := db.DuplicateCompanies(ctx, &crm.Company{INN: "7830002293"}); len(got) != 0 {
		t.Fatal("the merged record is still found as a duplicate")
	}
	if p, _ := db.ListCompanies(ctx, crm.CompanyFilter{Tag: tag, Deleted: true, Page: crm.PageRequest{Limit: 5}}); len(p.Items) != 0 {
		t.Fatal("the merged record keeps its tags in the tag index")
	}

	// A chain: a third company merged into the one that absorbed the first.
	third := newCompany(t, db, unique("Третья "), nil)
	must(t, db.InTx(ctx, func(r crm.Repo) error { return r.MergeCompanyLinks(ctx, drop.ID, third.ID) }))
	from, err := db.MergedFrom(ctx, crm.EntityCompany, keep.ID)
	must(t, err)
	if !slices.Equal(from, []int64{drop.ID, third.ID}) {
		t.Fatalf("merged from: %v", from)
	}
	none, err := db.MergedFrom(ctx, crm.EntityCompany, third.ID)
	must(t, err)
	if len(none) != 0 {
		t.Fatalf("merged into third: %v", none)
	}
	wantCode(t, db.InTx(ctx, func(r crm.Repo) error { return r.MergeCompanyLinks(ctx, keep.ID, 1<<40) }), crm.ENotFound)
	if err := db.InTx(ctx, func(r crm.Repo) error { return r.MergeCompanyLinks(ctx, keep.ID, keep.ID) }); err == nil {
		t.Fatal("merged a company into itself")
	}
}

func testMergeContacts(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleSales})
	keep := newContact(t, db, "Оставляемый", "Контакт", nil)
	drop := newContact(t, db, "Удаляемый", "Контакт", func(c *crm.Contact) { c.Emails = []string{unique("drop") + "@example.ru"} })
	cons := crm.Consent{ContactID: drop.ID, Channel: crm.ChannelEmail, Purpose: "marketing", Status: crm.ConsentGranted, Source: "form"}
	must(t, db.AddConsent(ctx, &cons))
	tp := newDealTopic(t, db)
	deal := newDeal(t, db, tp, 0, unique("Сделка контакта "), 1, func(d *crm.Deal) { d.ContactID = &drop.ID })
	must(t, db.InTx(ctx, func(r crm.Repo) error {
		if err := r.MergeContactLinks(ctx, keep.ID, drop.ID); err != nil {
			return err
		}
		return r.SoftDelete(ctx, crm.EntityContact, drop.ID, drop.Version, u.ID)
	}))
	got, err := db.ListConsents(ctx, keep.ID)
	must(t, err)
	if len(got) != 1 || got[0].ID != cons.ID {
		t.Fatalf("consents: %+v", got)
	}
	d, err := db.DealByID(ctx, deal.ID)
	must(t, err)
	if *d.ContactID != keep.ID {
		t.Fatalf("deal contact = %d", *d.ContactID)
	}
	if dups, _ := db.DuplicateContacts(ctx, &crm.Contact{Emails: drop.Emails}); len(dups) != 0 {
		t.Fatal("merged contact still a duplicate")
	}
	from, err := db.MergedFrom(ctx, crm.EntityContact, keep.ID)
	must(t, err)
	if !slices.Equal(from, []int64{drop.ID}) {
		t.Fatalf("merged from: %v", from)
	}
}
