package importer

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ladder-crm/ladder/internal/crm"
)

// drain reads a whole file as the import does; it must never panic, whatever the bytes.
func drain(format string, data []byte) {
	r, err := Open(format, data)
	if err != nil {
		return
	}
	defer r.Close()
	header := r.Header()
	mapping := GuessMapping(crm.EntityContact, header)
	for i := 0; i < 100_000; i++ {
		n, cells, err := r.Next()
		if err != nil && cells == nil && n == 0 {
			return
		}
		if cells != nil {
			Convert(crm.EntityContact, mapping, n, cells)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("Фамилия;Имя;E-mail\nИванов;Иван;i@x.ru\n"))
	f.Add([]byte("a,b\n\"x\"\"y\",2\n\"broken\n"))
	f.Add([]byte("\xef\xbb\xbfname\tphone\nA\t+7 916 123 45 67\n"))
	f.Add([]byte{0xcf, 0xf0, ';', 0xc8, '\n'})
	f.Fuzz(func(t *testing.T, data []byte) { drain(FormatCSV, data) })
}

func FuzzReadXLSX(f *testing.F) {
	x := excelize.NewFile()
	_ = x.SetSheetRow("Sheet1", "A1", &[]any{"ФИО", "Телефон"})
	_ = x.SetSheetRow("Sheet1", "A2", &[]any{"Иванов Иван", 79161234567})
	var buf bytes.Buffer
	_ = x.Write(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) { drain(FormatXLSX, data) })
}

func FuzzConvert(f *testing.F) {
	f.Add("company", "Альфа", "7707083893", "8 916 123-45-67", "a@b.ru", "1 000,50", "31.12.2026")
	f.Add("deal", "", "x", "++", "@@", "-1", "99999")
	f.Add("contact", "Иванов Иван", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, entity, a, b, c, d, e, g string) {
		for _, ent := range crm.ImportEntities {
			var keys []string
			for _, fl := range Fields[ent] {
				keys = append(keys, fl.Key)
			}
			cells := []string{a, b, c, d, e, g}
			for len(cells) < len(keys) {
				cells = append(cells, entity)
			}
			rec := Convert(ent, keys, 1, cells)
			if rec.Company == nil && rec.Contact == nil && rec.Deal == nil {
				t.Fatalf("no record for %s", ent)
			}
		}
		ParseAmount(a)
		ParseDay(b)
	})
}
