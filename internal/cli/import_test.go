package cli

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	_ "modernc.org/sqlite"
)

func TestImportAndExportCommands(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "Компании.csv")
	csv := "Наименование;ИНН;Телефон;Сайт\n" +
		"ООО «Альфа»;7707083893;8 (916) 123-45-67;alfa.ru\n" +
		"=1+2;;;\n" +
		"Гамма;1234567890;;\n" +
		"Альфа снова;7707083893;;\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "import", "companies", file, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "created 2, updated 0, duplicates 1, errors 1") || !strings.Contains(out, "row 3: inn:") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	// Running it again adds nothing: every row is known from the first run.
	code, out, errs = run(t, "import", "companies", file, "--dedup", "create", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "created 0, updated 0, duplicates 3, errors 1") {
		t.Fatalf("second import: %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := run(t, "import", "planets", file, "--data-dir", dir); code != exitUsage || !strings.Contains(errs, "unknown entity") {
		t.Fatalf("bad entity: %d %s", code, errs)
	}
	if code, _, errs := run(t, "import", "companies", file, "--map", "Нет такой=name", "--data-dir", dir); code != exitUsage {
		t.Fatalf("bad map: %d %s", code, errs)
	}

	code, out, errs = run(t, "export", "companies", "--data-dir", dir)
	if code != 0 || !strings.HasPrefix(out, "\ufeffid;name;") || !strings.Contains(out, "ООО «Альфа»") ||
		!strings.Contains(out, ";'=1+2;") || strings.Count(out, "\r\n") != 3 {
		t.Fatalf("export csv: %d %q %s", code, out, errs)
	}
	xlsx := filepath.Join(dir, "out.xlsx")
	if code, _, errs := run(t, "export", "companies", "--format", "xlsx", "-o", xlsx, "--q", "альфа", "--data-dir", dir); code != 0 {
		t.Fatalf("export xlsx: %s", errs)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil || len(rows) != 2 || rows[1][1] != "ООО «Альфа»" || rows[1][7] != "7707083893" {
		t.Fatalf("xlsx rows %q %v", rows, err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "ladder.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var audits int
	if err := db.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND entity = 'company'").Scan(&audits); err != nil || audits != 2 {
		t.Fatalf("export audit entries: %d %v", audits, err)
	}
}

// importCSV writes a contacts file of n rows, each with its own e-mail and phone.
func importCSV(t *testing.T, path string, n int) {
	var b bytes.Buffer
	b.WriteString("Фамилия;Имя;E-mail;Телефон\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Фамилия%d;Имя;p%d@example.ru;+7 916 %07d\n", i, i, i)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
