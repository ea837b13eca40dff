package ui_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// readCSV parses an export: UTF-8 with a byte-order mark, ';' between cells.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("no byte-order mark: %q", body[:min(len(body), 40)])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	return rows
}

func createCompanies(t *testing.T, env *testenv.Env, typ, region string, names ...string) []*crm.Company {
	t.Helper()
	var out []*crm.Company
	for _, n := range names {
		c, err := env.App.CreateCompany(env.AdminCtx(), app.CompanyInput{Name: n, Kind: crm.KindLegal, Type: typ, Region: region})
		if err != nil {
			t.Fatalf("create %q: %v", n, err)
		}
		out = append(out, c)
	}
	return out
}

func TestListExportCSVHasTheFilteredRowsEscaped(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	createCompanies(t, env, "client", "Москва", "ООО Альфа", "=1+2")
	createCompanies(t, env, "partner", "Москва", "ООО Бета")
	b := loggedIn(t, env, "admin", env.AdminPassword)

	// The toolbar offers both formats under the list's current filter.
	list := b.get("/companies?type=client")
	mustStatus(t, list, http.StatusOK)
	mustContain(t, list, `id="export-csv" href="/companies/export?format=csv&amp;type=client"`, `id="export-xlsx"`, "Экспорт CSV")

	p := b.get("/companies/export?format=csv&type=client")
	mustStatus(t, p, http.StatusOK)
	if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	if cd := p.Header.Get("Content-Disposition"); !strings.Contains(cd, "companies-") || !strings.Contains(cd, ".csv") {
		t.Fatalf("content disposition %q", cd)
	}
	rows := readCSV(t, p.Body)
	if len(rows) != 3 {
		t.Fatalf("want a header and 2 rows, got %d: %q", len(rows), rows)
	}
	if rows[0][0] != "Наименование" || !contains(rows[0], "Тип") {
		t.Fatalf("header %q", rows[0])
	}
	names := []string{rows[1][0], rows[2][0]}
	if !contains(names, "ООО Альфа") || !contains(names, "'=1+2") || contains(names, "ООО Бета") {
		t.Fatalf("exported names %q", names)
	}
	// Cells are what the list shows: the Type label, not its code.
	if !strings.Contains(p.Body, "Клиент") {
		t.Fatalf("type label missing: %q", p.Body)
	}

	// The export is audited once, with what was asked for.
	page, err := env.App.ListAudit(env.AdminCtx(), crm.AuditFilter{Action: crm.AuditExport})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].Entity != crm.EntityCompany {
		t.Fatalf("audit entries %+v", page.Items)
	}

	// English labels for an English user; a bad format is refused.
	b.lang = "en"
	if p := b.get("/companies/export?format=pdf"); p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("format pdf: %d", p.Status)
	}
}

func TestListExportXLSXPagesThroughEveryRow(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	var names []string
	for i := range 230 {
		names = append(names, fmt.Sprintf("Тульская компания %03d", i))
	}
	createCompanies(t, env, "client", "Тула", names...)
	createCompanies(t, env, "client", "Москва", "@SUM(A1)")
	b := loggedIn(t, env, "admin", env.AdminPassword)

	p := b.get("/companies/export?format=xlsx&region=Тула&sort=name&desc=1")
	mustStatus(t, p, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(p.Body)))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 231 {
		t.Fatalf("want a header and 230 rows (more than one page), got %d", len(rows))
	}
	if rows[1][0] != "Тульская компания 229" || rows[230][0] != "Тульская компания 000" {
		t.Fatalf("sort not kept: first %q last %q", rows[1][0], rows[230][0])
	}

	// The selection: only the checked ids, found under the list's query.
	all, err := env.App.ListCompanies(env.AdminCtx(), crm.CompanyFilter{Region: "Москва"})
	if err != nil || len(all.Items) != 1 {
		t.Fatalf("moscow companies: %v %d", err, len(all.Items))
	}
	p = b.get("/companies/export?format=csv&query=" + "sort%3Dname&id=" + itoa(all.Items[0].ID))
	mustStatus(t, p, http.StatusOK)
	rows = readCSV(t, p.Body)
	if len(rows) != 2 || rows[1][0] != "'@SUM(A1)" {
		t.Fatalf("selection export %q", rows)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
