package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
)

// importDBs runs fn on SQLite and, when it answers (always under CI=true), PostgreSQL.
func importDBs(t *testing.T, fn func(t *testing.T, a *app.App, db crm.Store)) {
	app.SetPasswordCostForTests()
	t.Run("sqlite", func(t *testing.T) {
		db := storetest.Open(t, storetest.NewSQLiteURL(t))
		fn(t, app.New(db, nil), db)
	})
	t.Run("postgres", func(t *testing.T) {
		db := storetest.Open(t, storetest.NewPostgresURL(t))
		fn(t, app.New(db, nil), db)
	})
}

func importUser(t *testing.T, a *app.App, login string, roles crm.Roles) (context.Context, *crm.Directorate) {
	t.Helper()
	sys := app.WithActor(context.Background(), app.System)
	d, err := a.CreateDirectorate(sys, app.DirectorateInput{Name: "Дирекция " + login, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.CreateUser(sys, app.UserInput{Login: login, Email: login + "@x.ru", FullName: login, Password: "long-enough-pw",
		Roles: roles, Directorates: []int64{d.ID}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return app.WithActor(context.Background(), &app.Actor{User: u}), d
}

// runFile uploads, maps (guessed), starts and runs a file to the end.
func runFile(t *testing.T, ctx context.Context, a *app.App, entity, name, content string, dedup crm.DedupMode) *crm.ImportJob {
	t.Helper()
	j, err := a.CreateImport(ctx, entity, name, []byte(content), 0)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	j, err = a.SetImportMapping(ctx, j.ID, j.Version, j.Mapping, dedup)
	if err != nil {
		t.Fatalf("mapping %q: %v", j.Mapping, err)
	}
	if j, err = a.StartImport(ctx, j.ID, j.Version); err != nil {
		t.Fatal(err)
	}
	done, err := a.RunImport(context.Background(), "test-worker", j.ID, nil)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if done.Status != crm.ImportDone {
		t.Fatalf("job ended %s: %s", done.Status, done.Error)
	}
	return done
}

func counts(j *crm.ImportJob) string {
	return fmt.Sprintf("total %d done %d created %d updated %d dup %d err %d", j.RowsTotal, j.RowsDone, j.Created, j.Updated, j.Duplicates, j.Errors)
}

const companiesCSV = "Наименование;ИНН;Телефон;E-mail;Теги\r\n" +
	"ООО «Альфа»;7707083893;8 (916) 123-45-67;info@alfa.ru;vip\r\n" +
	"Бета;;+7 495 000-00-01;;\r\n" +
	"Альфа (дубль по ИНН);7707 083 893;;;\r\n" + // a duplicate inside the file
	"Гамма;1234567890;;;\r\n" + // bad INN checksum
	"Дельта;;;не-почта;\r\n" + // bad e-mail
	"Эпсилон;;;;;лишняя\r\n" + // an extra cell: malformed row
	"Зета;;;sales@zeta.ru;\r\n" + // matches an existing company by e-mail
	";;;;\r\n" + // empty: skipped, not numbered
	"Эта;;;;опт\r\n"

func TestImportCompaniesDedupAndIdempotence(t *testing.T) {
	importDBs(t, func(t *testing.T, a *app.App, db crm.Store) {
		ctx, _ := importUser(t, a, "importer", crm.Roles{crm.RoleSales})
		existing, err := a.CreateCompany(ctx, app.CompanyInput{Name: "Зета старая", Emails: []string{"Sales@Zeta.ru"}})
		if err != nil {
			t.Fatal(err)
		}
		j := runFile(t, ctx, a, crm.EntityCompany, "Контрагенты.csv", companiesCSV, crm.DedupSkip)
		if j.RowsTotal != 8 || j.RowsDone != 8 || j.Created != 3 || j.Duplicates != 2 || j.Errors != 3 {
			t.Fatalf("first run: %s", counts(j))
		}
		rows, err := a.ImportRowOutcomes(ctx, j.ID, "", 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		byRow := map[int64]crm.ImportRow{}
		for _, r := range rows {
			byRow[r.RowNo] = r
		}
		if r := byRow[3]; r.Outcome != crm.RowDuplicate || r.Message != "inn" || r.RecordID == nil || *r.RecordID != *byRow[1].RecordID {
			t.Fatalf("in-file duplicate: %+v", r)
		}
		if r := byRow[7]; r.Outcome != crm.RowDuplicate || *r.RecordID != existing.ID || r.Message != "email" {
			t.Fatalf("duplicate of an existing record: %+v", r)
		}
		var problems map[string]string
		for no, field := range map[int64]string{4: "inn", 5: "email", 6: "row"} {
			if byRow[no].Outcome != crm.RowError || json.Unmarshal([]byte(byRow[no].Message), &problems) != nil || problems[field] == "" {
				t.Fatalf("row %d: %+v", no, byRow[no])
			}
		}
		alfa, err := a.Company(ctx, *byRow[1].RecordID)
		if err != nil || alfa.INN != "7707083893" || len(alfa.Phones) != 1 || alfa.Phones[0].E164 != "+79161234567" || alfa.Tags[0] != "vip" {
			t.Fatalf("imported company %+v %v", alfa, err)
		}
		// No record of the malformed or invalid rows exists in part.
		page, err := a.ListCompanies(ctx, crm.CompanyFilter{Q: "Эпсилон"})
		if err != nil || len(page.Items) != 0 {
			t.Fatalf("malformed row left %d records (%v)", len(page.Items), err)
		}

		// The same file again adds nothing, in every dedup mode.
		for _, mode := range []crm.DedupMode{crm.DedupSkip, crm.DedupCreate, crm.DedupUpdate} {
			again := runFile(t, ctx, a, crm.EntityCompany, "Контрагенты (копия).csv", companiesCSV, mode)
			if again.Created != 0 || again.Duplicates+again.Updated != 5 || again.Errors != 3 {
				t.Fatalf("re-import in %s mode: %s", mode, counts(again))
			}
		}
		all, err := a.ListCompanies(ctx, crm.CompanyFilter{})
		if err != nil || len(all.Items) != 4 {
			t.Fatalf("companies after re-imports: %d (%v)", len(all.Items), err)
		}

		// Update mode fills empty fields of the matched record and adds phones and tags.
		upd := runFile(t, ctx, a, crm.EntityCompany, "update.csv",
			"Name,Email,Website,Phone,Tags\nЗета,sales@zeta.ru,https://zeta.ru,+7 812 000-00-00,партнёр\n", crm.DedupUpdate)
		if upd.Updated != 1 || upd.Created != 0 {
			t.Fatalf("update run: %s", counts(upd))
		}
		z, _ := a.Company(ctx, existing.ID)
		if z.Name != "Зета старая" || z.Website != "https://zeta.ru" || len(z.Phones) != 1 || len(z.Tags) != 1 {
			t.Fatalf("updated company %+v", z)
		}
		// Create mode creates a record even when one matches.
		cr := runFile(t, ctx, a, crm.EntityCompany, "create.csv", "Name,Email\nЗета снова,sales@zeta.ru\n", crm.DedupCreate)
		if cr.Created != 1 {
			t.Fatalf("create run: %s", counts(cr))
		}
	})
}

func TestImportResumesAfterInterruption(t *testing.T) {
	importDBs(t, func(t *testing.T, a *app.App, db crm.Store) {
		defer func(n int) { app.ImportBatch = n }(app.ImportBatch)
		app.ImportBatch = 7
		ctx, _ := importUser(t, a, "bulk", crm.Roles{crm.RoleMarketeer})
		var b strings.Builder
		b.WriteString("Фамилия,Имя,Email,Телефон\n")
		for i := 1; i <= 100; i++ {
			fmt.Fprintf(&b, "Иванов%d,Иван,ivan%d@example.ru,+7 916 %07d\n", i, i, i)
		}
		j, err := a.CreateImport(ctx, crm.EntityContact, "contacts.csv", []byte(b.String()), 0)
		if err != nil {
			t.Fatal(err)
		}
		if j, err = a.SetImportMapping(ctx, j.ID, j.Version, j.Mapping, crm.DedupSkip); err != nil {
			t.Fatal(err)
		}
		if _, err = a.StartImport(ctx, j.ID, j.Version); err != nil {
			t.Fatal(err)
		}
		// The first worker stops after three batches (a shutdown between batches).
		stop, cancel := context.WithCancel(context.Background())
		batches := 0
		_, err = a.RunImport(stop, "worker-1", j.ID, func(cur *crm.ImportJob) {
			if batches++; batches == 3 {
				cancel()
			}
		})
		if err == nil {
			t.Fatal("an interrupted run reported no error")
		}
		mid, _ := a.ImportJob(ctx, j.ID)
		if mid.Status != crm.ImportRunning || mid.Checkpoint != 21 || mid.Created != 21 {
			t.Fatalf("after interruption: %s checkpoint %d, %s", mid.Status, mid.Checkpoint, counts(mid))
		}
		// Another worker takes it at once (the lease was handed back) and finishes it.
		done, err := a.RunImport(context.Background(), "worker-2", 0, nil)
		if err != nil || done.ID != j.ID || done.Status != crm.ImportDone || done.Created != 100 || done.RowsDone != 100 {
			t.Fatalf("resumed: %v %s", err, counts(done))
		}
		page, err := a.ListContacts(ctx, crm.ContactFilter{Page: crm.PageRequest{Limit: 200}})
		if err != nil || len(page.Items) != 100 {
			t.Fatalf("contacts: %d (%v)", len(page.Items), err)
		}
		if _, err := a.RunImport(context.Background(), "worker-3", 0, nil); crm.ErrorCode(err) != crm.ENotFound {
			t.Fatalf("nothing left to claim: %v", err)
		}
	})
}

func TestImportPermissionsAndPreview(t *testing.T) {
	importDBs(t, func(t *testing.T, a *app.App, db crm.Store) {
		reader, _ := importUser(t, a, "reader", crm.Roles{crm.RoleReadAdmin})
		if _, err := a.CreateImport(reader, crm.EntityCompany, "x.csv", []byte("Name\nA\n"), 0); crm.ErrorCode(err) != crm.EForbidden {
			t.Fatalf("read-only role imports: %v", err)
		}
		ctx, _ := importUser(t, a, "owner", crm.Roles{crm.RoleSales})
		other, _ := importUser(t, a, "other", crm.Roles{crm.RoleSales})
		if _, err := a.CreateImport(ctx, crm.EntityCompany, "x.xlsx", []byte("not a workbook"), 0); crm.ErrorFields(err)["file"] == "" {
			t.Fatalf("bad xlsx: %v", err)
		}
		j, err := a.CreateImport(ctx, crm.EntityCompany, "c.csv", []byte(companiesCSV), 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ImportJob(other, j.ID); crm.ErrorCode(err) != crm.ENotFound {
			t.Fatalf("someone else's job: %v", err)
		}
		if _, err := a.SetImportMapping(ctx, j.ID, j.Version, []string{"inn", "inn", "", "", ""}, crm.DedupSkip); crm.ErrorFields(err)["col1"] == "" {
			t.Fatalf("single field twice: %v", err)
		}
		rows, err := a.PreviewImport(ctx, j.ID, app.ImportPreviewRows)
		if err != nil || len(rows) != 8 {
			t.Fatalf("preview: %d rows, %v", len(rows), err)
		}
		if rows[0].Outcome != crm.RowCreated || rows[2].Outcome != crm.RowDuplicate || rows[3].Problems["inn"] == "" || rows[5].Problems["row"] == "" {
			t.Fatalf("preview rows: %+v", rows)
		}
		if page, _ := a.ListCompanies(ctx, crm.CompanyFilter{}); len(page.Items) != 0 {
			t.Fatalf("preview wrote %d companies", len(page.Items))
		}
		// Cancelled before it ran: it never runs.
		if err := a.CancelImport(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.RunImport(context.Background(), "w", j.ID, nil); crm.ErrorCode(err) != crm.ENotFound {
			t.Fatalf("cancelled job ran: %v", err)
		}
	})
}

// The upload screen names an earlier import of the same file, but only the uploader's own: a
// file may hold what its uploader alone should see, so another user learns nothing of it.
func TestImportPriorIsTheCallersOwn(t *testing.T) {
	importDBs(t, func(t *testing.T, a *app.App, db crm.Store) {
		owner, _ := importUser(t, a, "prior_owner", crm.Roles{crm.RoleSales})
		other, _ := importUser(t, a, "prior_other", crm.Roles{crm.RoleSales})
		const file = "Наименование;ИНН\r\nООО «Альфа»;7707083893\r\n"
		first := runFile(t, owner, a, crm.EntityCompany, "a.csv", file, crm.DedupSkip)
		head := func(ctx context.Context) *crm.ImportJob {
			t.Helper()
			j, err := a.CreateImport(ctx, crm.EntityCompany, "again.csv", []byte(file), 0)
			if err != nil {
				t.Fatal(err)
			}
			h, err := a.ImportHead(ctx, j, 3)
			if err != nil {
				t.Fatal(err)
			}
			return h.Prior
		}
		if p := head(owner); p == nil || p.ID != first.ID {
			t.Fatalf("the owner's earlier import of the file: %+v, want job %d", p, first.ID)
		}
		if p := head(other); p != nil {
			t.Fatalf("another user sees job %d of the owner", p.ID)
		}
	})
}
