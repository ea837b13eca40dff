package importer

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/ladder-crm/ladder/internal/crm"
)

func readAll(t testing.TB, format string, data []byte) ([]string, [][]string, []error) {
	t.Helper()
	r, err := Open(format, data)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rows [][]string
	var errs []error
	for {
		n, cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if n != int64(len(rows)+1) {
			t.Fatalf("row number %d after %d rows", n, len(rows))
		}
		rows, errs = append(rows, cells), append(errs, err)
	}
	return r.Header(), rows, errs
}

func TestCSVEncodingsAndDelimiters(t *testing.T) {
	utf := "Наименование;ИНН;Телефон\r\n\"ООО «Альфа; Бета»\";7707083893;8 (916) 123-45-67\r\n\r\nИП Петров;;\r\n"
	cp, err := charmap.Windows1251.NewEncoder().String(utf)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"utf8":     []byte(utf),
		"utf8-bom": append([]byte("\xef\xbb\xbf"), utf...),
		"cp1251":   []byte(cp),
		"comma":    []byte("Наименование,ИНН,Телефон\n\"ООО «Альфа; Бета»\",7707083893,8 (916) 123-45-67\n\nИП Петров,,\n"),
		"tab":      []byte("Наименование\tИНН\tТелефон\nООО «Альфа; Бета»\t7707083893\t8 (916) 123-45-67\nИП Петров\t\t\n"),
	} {
		t.Run(name, func(t *testing.T) {
			header, rows, errs := readAll(t, FormatCSV, data)
			if !slices.Equal(header, []string{"Наименование", "ИНН", "Телефон"}) {
				t.Fatalf("header %q", header)
			}
			if len(rows) != 2 || rows[0][0] != "ООО «Альфа; Бета»" || rows[0][2] != "8 (916) 123-45-67" || rows[1][0] != "ИП Петров" || errs[0] != nil {
				t.Fatalf("rows %q errs %v", rows, errs)
			}
		})
	}
}

func TestMalformedRowsArePerRowErrors(t *testing.T) {
	data := []byte("name;inn\nАльфа;7707083893\nБета;1;лишняя ячейка\nГамма;\"незакрытая\nДельта;7736050003\n")
	_, rows, errs := readAll(t, FormatCSV, data)
	if len(rows) < 3 {
		t.Fatalf("rows %q", rows)
	}
	if errs[0] != nil || rows[0][0] != "Альфа" {
		t.Fatalf("first row %q %v", rows[0], errs[0])
	}
	var re *RowError
	if !errors.As(errs[1], &re) || re.Key != "import.err.row_too_many_cells" || rows[1] != nil {
		t.Fatalf("row with an extra cell: %q %v", rows[1], errs[1])
	}
	if !errors.As(errs[2], &re) {
		t.Fatalf("broken quote: %q %v", rows[2], errs[2])
	}
}

func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetRow("Sheet1", "A1", &[]any{"ФИО", "E-mail", "Телефон", "Дата"}))
	must(f.SetSheetRow("Sheet1", "A2", &[]any{"Иванов Иван Иванович", "IVANOV@Example.RU", 79161234567, 46387}))
	must(f.SetSheetRow("Sheet1", "A4", &[]any{"Петрова Анна", "", "+7 495 123-45-67"}))
	var buf bytes.Buffer
	must(f.Write(&buf))
	format, err := DetectFormat("contacts.xlsx", buf.Bytes())
	if err != nil || format != FormatXLSX {
		t.Fatalf("format %q %v", format, err)
	}
	header, rows, _ := readAll(t, format, buf.Bytes())
	if len(header) != 4 || len(rows) != 2 || rows[0][2] != "79161234567" || rows[1][0] != "Петрова Анна" || rows[1][3] != "" {
		t.Fatalf("header %q rows %q", header, rows)
	}
	day, ok := ParseDay(rows[0][3])
	if !ok || day.String() != "2026-12-31" {
		t.Fatalf("serial day %q → %v %v", rows[0][3], day, ok)
	}
	if _, err := Open(FormatXLSX, []byte("PK\x03\x04garbage")); !errors.Is(err, ErrFormat) {
		t.Fatalf("broken zip: %v", err)
	}
}

func TestGuessMapping(t *testing.T) {
	got := GuessMapping(crm.EntityCompany, []string{"Наименование", "ИНН", "КПП", "Телефон", "Телефон 2", "E-mail", "Сайт", "Ответственный", "Что-то"})
	want := []string{"name", "inn", "kpp", "phone", "phone", "email", "website", "responsible", ""}
	if !slices.Equal(got, want) {
		t.Fatalf("companies: %q", got)
	}
	got = GuessMapping(crm.EntityContact, []string{"Фамилия", "Имя", "Отчество", "Должность", "Компания", "ИНН", "Email", "Mobile"})
	want = []string{"last_name", "first_name", "middle_name", "position", "company", "company_inn", "email", "phone"}
	if !slices.Equal(got, want) {
		t.Fatalf("contacts: %q", got)
	}
	got = GuessMapping(crm.EntityDeal, []string{"Deal name", "Company", "Stage", "Amount", "Close date"})
	want = []string{"name", "company", "stage", "amount", "expected_close"}
	if !slices.Equal(got, want) {
		t.Fatalf("deals: %q", got)
	}
	if p := CheckMapping(crm.EntityCompany, []string{"inn", "name", "name"}, 3); p["col2"] != "import.err.mapping_twice" {
		t.Fatalf("twice: %v", p)
	}
	if p := CheckMapping(crm.EntityCompany, []string{"inn", "phone", "phone"}, 3); p["mapping"] != "import.err.mapping_need_name" || len(p) != 1 {
		t.Fatalf("no name: %v", p)
	}
	if p := CheckMapping(crm.EntityContact, []string{"bogus"}, 1); p["col0"] != "import.err.mapping_field" {
		t.Fatalf("bogus: %v", p)
	}
}

func TestConvert(t *testing.T) {
	m := []string{"name", "inn", "phone", "email", "tags", "type"}
	rec := Convert(crm.EntityCompany, m, 1, []string{"ООО «Альфа»", "7707 083 893", "8 (916) 123-45-67, +7 916 1234567", "Sales@Alfa.RU", "vip; опт, vip", "Клиент"})
	if len(rec.Problems) != 0 {
		t.Fatalf("problems %v", rec.Problems)
	}
	c := rec.Company
	if c.INN != "7707083893" || len(c.Phones) != 1 || c.Phones[0].E164 != "+79161234567" || c.Emails[0] != "sales@alfa.ru" ||
		!slices.Equal(c.Tags, []string{"vip", "опт"}) || rec.Refs.Choices["type"] != "Клиент" {
		t.Fatalf("company %+v refs %+v", c, rec.Refs)
	}
	if !slices.Equal(rec.Keys, []string{"inn:7707083893", "email:sales@alfa.ru", "phone:79161234567"}) {
		t.Fatalf("keys %q", rec.Keys)
	}
	bad := Convert(crm.EntityCompany, m, 2, []string{"", "1234567890", "12", "not-an-email", "", ""})
	for _, f := range []string{"name", "inn", "phone", "email"} {
		if bad.Problems[f] == "" {
			t.Fatalf("no problem for %s: %v", f, bad.Problems)
		}
	}
	p := Convert(crm.EntityContact, []string{"full_name", "email"}, 3, []string{"Иванов Иван Иванович", "i@x.ru"})
	if p.Contact.LastName != "Иванов" || p.Contact.FirstName != "Иван" || p.Contact.MiddleName != "Иванович" || len(p.Problems) != 0 {
		t.Fatalf("contact %+v %v", p.Contact, p.Problems)
	}
	d := Convert(crm.EntityDeal, []string{"name", "amount", "expected_close", "stage"}, 4, []string{"Поставка", "1 234 567,89 ₽", "31.12.2026", "Переговоры"})
	if d.Deal.Amount != 123456789 || d.Deal.ExpectedClose.String() != "2026-12-31" || d.Refs.Stage != "Переговоры" || len(d.Problems) != 0 {
		t.Fatalf("deal %+v %v", d.Deal, d.Problems)
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]int64{"1 234 567,89": 123456789, "1,234,567.89": 123456789, "1234567.8": 123456780,
		"150 000 ₽": 15000000, "100": 10000, "0,5": 50, "1.000.000": 100000000, "12 руб.": 1200} {
		if got, ok := ParseAmount(in); !ok || got != want {
			t.Errorf("ParseAmount(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"abc", "-5", "1р2", "99999999999999999999", "1-2"} {
		if _, ok := ParseAmount(in); ok {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
}
