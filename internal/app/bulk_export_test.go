package app_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

func TestBulkMatchingAndExportFollowTheListFilter(t *testing.T) {
	importDBs(t, func(t *testing.T, a *app.App, _ crm.Store) {
		ctx, d := importUser(t, a, "seller", crm.Roles{crm.RoleSales})
		var clients []int64
		for i, typ := range []string{"client", "client", "partner", "client"} {
			c, err := a.CreateCompany(ctx, app.CompanyInput{Name: "ООО Компания " + string(rune('А'+i)), Kind: crm.KindLegal, Type: typ, DirectorateID: d.ID})
			if err != nil {
				t.Fatal(err)
			}
			if typ == "client" {
				clients = append(clients, c.ID)
			}
		}
		ids, err := a.BulkMatching(ctx, crm.EntityCompany, app.BulkFilter{Type: "client"}, 100)
		if err != nil || len(ids) != 3 || ids[0] != clients[0] || ids[2] != clients[2] {
			t.Fatalf("matching %v (%v), want %v", ids, err, clients)
		}
		// limit cuts: the caller asks for one more than it accepts.
		if ids, _ := a.BulkMatching(ctx, crm.EntityCompany, app.BulkFilter{Type: "client"}, 2); len(ids) != 2 {
			t.Fatalf("limit: %v", ids)
		}
		if _, err := a.BulkMatching(ctx, crm.EntityContract, app.BulkFilter{}, 2); crm.ErrorCode(err) != crm.EInvalid {
			t.Fatalf("contracts have no group actions: %v", err)
		}

		var buf bytes.Buffer
		n, err := a.Export(ctx, crm.EntityCompany, app.ExportFilter{Company: &crm.CompanyFilter{Type: "partner"}}, "csv", &buf,
			func(c string) string { return c })
		if err != nil || n != 1 {
			t.Fatalf("export: %d %v", n, err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil || len(rows) != 2 || rows[1][1] != "ООО Компания В" {
			t.Fatalf("export rows %q (%v)", rows, err)
		}
	})
}

func TestSetImportDedupKeepsTheJobState(t *testing.T) {
	importDBs(t, func(t *testing.T, a *app.App, _ crm.Store) {
		ctx, _ := importUser(t, a, "seller", crm.Roles{crm.RoleSales})
		j, err := a.CreateImport(ctx, crm.EntityCompany, "c.csv", []byte("Наименование\r\nООО Один\r\n"), 0)
		if err != nil {
			t.Fatal(err)
		}
		j, err = a.SetImportDedup(ctx, j.ID, j.Version, crm.DedupUpdate)
		if err != nil || j.Dedup != crm.DedupUpdate || j.Status != crm.ImportUploaded {
			t.Fatalf("dedup: %+v %v", j, err)
		}
		if _, err := a.SetImportDedup(ctx, j.ID, j.Version, "merge"); crm.ErrorCode(err) != crm.EInvalid {
			t.Fatalf("bad mode: %v", err)
		}
		if _, err := a.SetImportDedup(ctx, j.ID, j.Version-1, crm.DedupCreate); crm.ErrorCode(err) != crm.EConflict {
			t.Fatalf("stale version: %v", err)
		}
		other, _ := importUser(t, a, "other", crm.Roles{crm.RoleSales})
		if _, err := a.SetImportDedup(other, j.ID, j.Version, crm.DedupCreate); crm.ErrorCode(err) != crm.ENotFound {
			t.Fatalf("someone else's job: %v", err)
		}
	})
}
