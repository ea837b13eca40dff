package crm

import (
	"encoding/json"
	"testing"
)

func TestUserValidate(t *testing.T) {
	ok := User{Login: "ivanov", Email: "Ivanov@Example.RU ", FullName: " Иванов И. И. ", Roles: Roles{RoleSales}}
	ok.Normalise()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid user: %v", err)
	}
	if ok.Email != "ivanov@example.ru" || ok.FullName != "Иванов И. И." || ok.Locale != "ru" || ok.TimeZone != "Europe/Moscow" {
		t.Fatalf("normalise: %+v", ok)
	}
	cases := map[string]User{
		"login":             {Login: "Иван", Email: "a@b.ru", FullName: "x"},
		"email":             {Login: "ab", Email: "not-an-email", FullName: "x"},
		"full_name":         {Login: "ab", Email: "a@b.ru"},
		"locale":            {Login: "ab", Email: "a@b.ru", FullName: "x", Locale: "de"},
		"timezone":          {Login: "ab", Email: "a@b.ru", FullName: "x", TimeZone: "Mars/Base"},
		"roles":             {Login: "ab", Email: "a@b.ru", FullName: "x", Roles: Roles{"root"}},
		"directorates":      {Login: "ab", Email: "a@b.ru", FullName: "x", Directorates: []int64{1, 1}},
		"weekly_capacity_h": {Login: "ab", Email: "a@b.ru", FullName: "x", WeeklyCapacityH: 500},
	}
	for field, u := range cases {
		u.Normalise()
		if ErrorFields(u.Validate())[field] == "" {
			t.Errorf("%s: no error for %+v", field, u)
		}
	}
}

func TestProjectValidate(t *testing.T) {
	from, _ := ParseDate("2026-05-10")
	to, _ := ParseDate("2026-05-01")
	p := Project{Name: "x", DateFrom: &from, DateTo: &to}
	p.Normalise()
	if ErrorFields(p.Validate())["date_to"] != "err.date_order" {
		t.Error("date order")
	}
	p = Project{Name: "  ", Status: "archived"}
	f := ErrorFields(p.Validate())
	if f["name"] != "err.required" || f["status"] != "err.choice" {
		t.Errorf("fields: %v", f)
	}
}

func TestProductValidate(t *testing.T) {
	p := Product{Name: "ITSM", Kind: KindProduct, PriceMinor: -1, Currency: "rubles"}
	p.Normalise()
	f := ErrorFields(p.Validate())
	if f["price_minor"] == "" || f["currency"] == "" {
		t.Errorf("fields: %v", f)
	}
}

func TestDiff(t *testing.T) {
	a := &Directorate{Name: "Old", Active: true, Meta: Meta{Version: 1}}
	b := &Directorate{Name: "New", Active: true, Meta: Meta{Version: 2}}
	d := Diff(a, b)
	if len(d) != 1 || d["name"] != [2]any{"Old", "New"} {
		t.Fatalf("diff: %v", d)
	}
	if c := Diff(nil, b); c["name"][1] != "New" || c["name"][0] != nil {
		t.Fatalf("create diff: %v", c)
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c, err := DecodeCursor(EncodeCursor(Cursor{Value: "Альфа", ID: 42}))
	if err != nil || c.ID != 42 || c.Value != "Альфа" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := DecodeCursor("%%%"); ErrorFields(err)["after"] == "" {
		t.Fatal("bad cursor accepted")
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(EncodeCursor(Cursor{Value: 1.5, ID: 1}))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = DecodeCursor(s) // must not panic
	})
}

func TestDateJSON(t *testing.T) {
	d, _ := ParseDate("2026-05-02")
	b, err := json.Marshal(struct {
		D Date  `json:"d"`
		P *Date `json:"p"`
	}{d, &d})
	if err != nil || string(b) != `{"d":"2026-05-02","p":"2026-05-02"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var back struct{ D Date }
	if err := json.Unmarshal([]byte(`{"D":"2026-12-31"}`), &back); err != nil || back.D.String() != "2026-12-31" {
		t.Fatalf("unmarshal: %v %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"D":"31.12.2026"}`), &back); err == nil {
		t.Fatal("bad date accepted")
	}
}
