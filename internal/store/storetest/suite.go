package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
)

// Run runs the whole conformance suite against db (freshly migrated, empty).
func Run(t *testing.T, db *store.DB) {
	tests := []storeTest{
		{"Users", testUsers},
		{"UserSearchCyrillic", testUserSearchCyrillic},
		{"OptimisticLocking", testOptimisticLocking},
		{"SoftDeleteRestore", testSoftDeleteRestore},
		{"Products", testProducts},
		{"Projects", testProjects},
		{"KeysetPagination", testKeysetPagination},
		{"Audit", testAudit},
		{"Tokens", testTokens},
		{"Sessions", testSessions},
		{"TransactionRollback", testTransactionRollback},
		{"ViewsAndPrefs", testViewsAndPrefs},
		{"BadSortAndCursor", testBadSortAndCursor},
	}
	// Each slice of the sales core keeps its tests in a file of its own.
	tests = append(tests, configTests...)
	tests = append(tests, partyTests...)
	tests = append(tests, dealTests...)
	tests = append(tests, workTests...)
	tests = append(tests, importTests...)
	tests = append(tests, searchTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, db) })
	}
}

// storeTest is one named test of the suite.
type storeTest struct {
	name string
	fn   func(*testing.T, *store.DB)
}

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if crm.ErrorCode(err) != code {
		t.Fatalf("want %s error, got %v", code, err)
	}
}

var seq int

// unique gives names that do not collide between subtests sharing one database.
func unique(prefix string) string {
	seq++
	return fmt.Sprintf("%s%d", prefix, seq)
}

func newDirectorate(t *testing.T, db *store.DB, name string) *crm.Directorate {
	t.Helper()
	d := &crm.Directorate{Name: name, Active: true}
	must(t, db.CreateDirectorate(ctx, d))
	return d
}

func newUser(t *testing.T, db *store.DB, roles crm.Roles, dirs ...int64) *crm.User {
	t.Helper()
	login := unique("user")
	u := &crm.User{Login: login, Email: login + "@example.ru", FullName: "Test " + login, Locale: "ru",
		TimeZone: crm.DefaultTimeZone, Roles: roles, Directorates: dirs, Active: true, WeeklyCapacityH: 40, PasswordHash: "x"}
	must(t, db.CreateUser(ctx, u))
	return u
}

func testUsers(t *testing.T, db *store.DB) {
	d1 := newDirectorate(t, db, unique("Дирекция по работе с госсектором "))
	d2 := newDirectorate(t, db, unique("Дирекция корпоративных продаж "))
	u := newUser(t, db, crm.Roles{crm.RoleSales, crm.RoleMarketeer}, d2.ID, d1.ID)
	got, err := db.UserByID(ctx, u.ID)
	must(t, err)
	if got.Login != u.Login || len(got.Roles) != 2 || len(got.Directorates) != 2 || got.Directorates[0] != d2.ID {
		t.Fatalf("round trip: %+v", got)
	}
	if got.FirstDirectorate() != d2.ID {
		t.Fatalf("first directorate = %d, want %d (order kept)", got.FirstDirectorate(), d2.ID)
	}
	if got.Version != 1 || got.CreatedAt.IsZero() {
		t.Fatalf("meta: %+v", got.Meta)
	}
	byMail, err := db.UserByLogin(ctx, "  "+u.Email)
	must(t, err)
	if byMail.ID != u.ID {
		t.Fatal("by e-mail")
	}
	_, err = db.UserByLogin(ctx, "nobody")
	wantCode(t, err, crm.ENotFound)

	dup := &crm.User{Login: u.Login, Email: "other@example.ru", FullName: "X", Locale: "ru", TimeZone: crm.DefaultTimeZone}
	err = db.CreateUser(ctx, dup)
	wantCode(t, err, crm.EInvalid)
	if crm.ErrorFields(err)["login"] != "err.unique" {
		t.Fatalf("duplicate login fields: %v", crm.ErrorFields(err))
	}

	role := true
	page, err := db.ListUsers(ctx, crm.UserFilter{Role: crm.RoleMarketeer, DirectorateID: d1.ID, Active: &role})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].ID != u.ID || page.Total != 1 {
		t.Fatalf("filtered list: %+v", page)
	}

	must(t, db.SetPassword(ctx, u.ID, "new-hash"))
	e, err := db.AuthEpoch(ctx, u.ID)
	must(t, err)
	if e != 2 {
		t.Fatalf("epoch after password change = %d", e)
	}
	until := time.Now().Add(time.Hour).UTC()
	must(t, db.AddLoginFailure(ctx, u.ID, 3, until))
	must(t, db.AddLoginFailure(ctx, u.ID, 3, until))
	got, _ = db.UserByID(ctx, u.ID)
	if got.FailedLogins != 2 || got.Locked(time.Now()) {
		t.Fatalf("two failures: %+v", got)
	}
	must(t, db.AddLoginFailure(ctx, u.ID, 3, until))
	got, _ = db.UserByID(ctx, u.ID)
	if got.FailedLogins != 0 || !got.Locked(time.Now()) {
		t.Fatalf("lockout not stored: %+v", got)
	}
	must(t, db.ResetLoginFailures(ctx, u.ID))
	got, _ = db.UserByID(ctx, u.ID)
	if got.FailedLogins != 0 || got.LockedUntil != nil {
		t.Fatalf("reset: %+v", got)
	}
	// Parallel failures all count: none overwrites another.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.AddLoginFailure(ctx, u.ID, 100, until); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, _ = db.UserByID(ctx, u.ID)
	if got.FailedLogins != 8 {
		t.Fatalf("parallel failures counted %d of 8", got.FailedLogins)
	}
}

func testUserSearchCyrillic(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleSales})
	u.FullName = "Иванов Пётр Сергеевич"
	must(t, db.UpdateUser(ctx, u))
	for _, q := range []string{"иванов", "ИВАНОВ", "пётр", "Иван"} {
		page, err := db.ListUsers(ctx, crm.UserFilter{Q: q})
		must(t, err)
		found := false
		for _, x := range page.Items {
			found = found || x.ID == u.ID
		}
		if !found {
			t.Errorf("q=%q did not find %q", q, u.FullName)
		}
	}
	page, err := db.ListUsers(ctx, crm.UserFilter{Q: "100%_"})
	must(t, err)
	if len(page.Items) != 0 {
		t.Errorf("LIKE wildcards in q must be literal, got %d rows", len(page.Items))
	}
}

func testOptimisticLocking(t *testing.T, db *store.DB) {
	d := newDirectorate(t, db, unique("Locking "))
	stale := *d
	d.Name = unique("Renamed ")
	must(t, db.UpdateDirectorate(ctx, d))
	if d.Version != 2 {
		t.Fatalf("version = %d", d.Version)
	}
	stale.Name = "Lost update"
	wantCode(t, db.UpdateDirectorate(ctx, &stale), crm.EConflict)
	missing := crm.Directorate{Meta: crm.Meta{ID: 987654, Version: 1}, Name: "x"}
	wantCode(t, db.UpdateDirectorate(ctx, &missing), crm.ENotFound)
	got, _ := db.DirectorateByID(ctx, d.ID)
	if got.Name != d.Name {
		t.Fatalf("stale update overwrote: %q", got.Name)
	}
}

func testSoftDeleteRestore(t *testing.T, db *store.DB) {
	name := unique("Trash ")
	d := newDirectorate(t, db, name)
	wantCode(t, db.SoftDelete(ctx, crm.EntityDirectorate, d.ID, d.Version+5, 0), crm.EConflict)
	must(t, db.SoftDelete(ctx, crm.EntityDirectorate, d.ID, d.Version, 0))
	got, err := db.DirectorateByID(ctx, d.ID)
	must(t, err)
	if !got.Deleted() {
		t.Fatal("not marked deleted")
	}
	page, _ := db.ListDirectorates(ctx, crm.DirectorateFilter{Q: name})
	if len(page.Items) != 0 {
		t.Fatal("deleted row listed")
	}
	trash, _ := db.ListDirectorates(ctx, crm.DirectorateFilter{Q: name, Deleted: true})
	if len(trash.Items) != 1 {
		t.Fatal("trash does not list it")
	}
	// The name is free again while the record is in the trash…
	again := newDirectorate(t, db, name)
	// …so restoring the old one now collides and must say so, not corrupt data.
	wantCode(t, db.Restore(ctx, crm.EntityDirectorate, d.ID, 0), crm.EInvalid)
	must(t, db.SoftDelete(ctx, crm.EntityDirectorate, again.ID, again.Version, 0))
	must(t, db.Restore(ctx, crm.EntityDirectorate, d.ID, 0))
	got, _ = db.DirectorateByID(ctx, d.ID)
	if got.Deleted() {
		t.Fatal("restore did not bring it back")
	}
	wantCode(t, db.Restore(ctx, crm.EntityDirectorate, d.ID, 0), crm.ENotFound)
}

func testProducts(t *testing.T, db *store.DB) {
	d1 := newDirectorate(t, db, unique("P-dir "))
	d2 := newDirectorate(t, db, unique("P-dir "))
	p := &crm.Product{Name: "Внедрение SimpleOne ITSM", Kind: crm.KindService, Code: unique("ITSM-"), PriceMinor: 150000000, Currency: "RUB", Directorates: []int64{d1.ID}, Active: true}
	must(t, db.CreateProduct(ctx, p))
	got, err := db.ProductByID(ctx, p.ID)
	must(t, err)
	if got.PriceMinor != 150000000 || !got.SoldBy(d1.ID) || got.SoldBy(d2.ID) || got.Kind != crm.KindService {
		t.Fatalf("round trip: %+v", got)
	}
	got.Directorates = []int64{d2.ID}
	must(t, db.UpdateProduct(ctx, got))
	page, err := db.ListProducts(ctx, crm.ProductFilter{DirectorateID: d2.ID})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].ID != p.ID {
		t.Fatalf("by directorate: %+v", page.Items)
	}
	dup := &crm.Product{Name: "Другой", Kind: crm.KindProduct, Code: p.Code, Currency: "RUB"}
	err = db.CreateProduct(ctx, dup)
	if crm.ErrorFields(err)["code"] != "err.unique" {
		t.Fatalf("duplicate code: %v", err)
	}
}

func testProjects(t *testing.T, db *store.DB) {
	d := newDirectorate(t, db, unique("Proj-dir "))
	u := newUser(t, db, crm.Roles{crm.RoleManager}, d.ID)
	from, _ := crm.ParseDate("2026-03-01")
	to, _ := crm.ParseDate("2026-12-31")
	p := &crm.Project{Name: "Выставка «Связь-2026»", ResponsibleID: &u.ID, DateFrom: &from, DateTo: &to,
		Status: crm.ProjectActive, DirectorateID: &d.ID, Description: "Стенд B-12"}
	p.CreatedBy = &u.ID
	must(t, db.CreateProject(ctx, p))
	got, err := db.ProjectByID(ctx, p.ID)
	must(t, err)
	if got.DateFrom == nil || got.DateFrom.String() != "2026-03-01" || got.DateTo.String() != "2026-12-31" ||
		*got.DirectorateID != d.ID || *got.CreatedBy != u.ID || got.Description != "Стенд B-12" {
		t.Fatalf("round trip: %+v", got)
	}
	if time.Since(got.CreatedAt) > time.Minute || got.CreatedAt.Location() != time.UTC {
		t.Fatalf("created_at = %v", got.CreatedAt)
	}
	got.DateFrom, got.DirectorateID = nil, nil
	must(t, db.UpdateProject(ctx, got))
	again, _ := db.ProjectByID(ctx, p.ID)
	if again.DateFrom != nil || again.DirectorateID != nil {
		t.Fatalf("nulls not stored: %+v", again)
	}
	page, err := db.ListProjects(ctx, crm.ProjectFilter{Q: "связь", Page: crm.PageRequest{Sort: "date_from"}})
	must(t, err)
	if len(page.Items) != 1 {
		t.Fatalf("search: %d rows", len(page.Items))
	}
}

func testKeysetPagination(t *testing.T, db *store.DB) {
	d := newDirectorate(t, db, unique("Pages "))
	names := []string{"Альфа", "Бета", "Гамма", "Альфа", "Дельта", "Бета", "Эпсилон"}
	want := map[int64]bool{}
	for _, n := range names {
		p := &crm.Project{Name: n, Status: crm.ProjectActive, DirectorateID: &d.ID}
		must(t, db.CreateProject(ctx, p))
		want[p.ID] = true
	}
	for _, sort := range []string{"name", "created_at", "updated_at", "id", "status", "date_from", "date_to"} {
		for _, desc := range []bool{false, true} {
			seen := map[int64]bool{}
			var prev string
			after := ""
			for pages := 0; ; pages++ {
				page, err := db.ListProjects(ctx, crm.ProjectFilter{DirectorateID: d.ID,
					Page: crm.PageRequest{Limit: 2, After: after, Sort: sort, Desc: desc}})
				must(t, err)
				if page.Total != len(names) {
					t.Fatalf("total = %d", page.Total)
				}
				for _, p := range page.Items {
					if seen[p.ID] {
						t.Fatalf("sort %s desc=%v: %d seen twice", sort, desc, p.ID)
					}
					seen[p.ID] = true
					if sort == "name" && prev != "" && ((!desc && p.Name < prev) || (desc && p.Name > prev)) {
						t.Fatalf("sort name desc=%v out of order: %q after %q", desc, p.Name, prev)
					}
					prev = p.Name
				}
				if page.Next == "" {
					break
				}
				after = page.Next
				if pages > 10 {
					t.Fatal("pagination does not end")
				}
			}
			if len(seen) != len(want) {
				t.Fatalf("sort %s desc=%v: saw %d of %d", sort, desc, len(seen), len(want))
			}
			prev = ""
		}
	}
}

func testAudit(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleAdmin})
	at := time.Date(2026, 5, 1, 10, 0, 0, 123456000, time.UTC)
	e := &crm.AuditEntry{At: at, UserID: &u.ID, Action: crm.AuditUpdate, Entity: crm.EntityProject, RecordID: 42,
		Changes: map[string][2]any{"name": {"Старое", "Новое"}}, IP: "10.0.0.1", RequestID: "req-1"}
	must(t, db.InsertAudit(ctx, e))
	rid := int64(42)
	page, err := db.ListAudit(ctx, crm.AuditFilter{Entity: crm.EntityProject, RecordID: &rid})
	must(t, err)
	if len(page.Items) != 1 {
		t.Fatalf("audit rows: %d", len(page.Items))
	}
	got := page.Items[0]
	if !got.At.Equal(at) || got.UserName != u.FullName || got.Changes["name"][1] != "Новое" || got.IP != "10.0.0.1" {
		t.Fatalf("round trip: %+v", got)
	}
	from, to := at.Add(-time.Second), at.Add(time.Second)
	page, _ = db.ListAudit(ctx, crm.AuditFilter{UserID: &u.ID, From: &from, To: &to, Action: crm.AuditUpdate})
	if len(page.Items) != 1 {
		t.Fatalf("filter by user and time: %d", len(page.Items))
	}
	early := at.Add(-time.Hour)
	page, _ = db.ListAudit(ctx, crm.AuditFilter{UserID: &u.ID, To: &early})
	if len(page.Items) != 0 {
		t.Fatal("time filter ignored")
	}
}

func testTokens(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleSales})
	tok := &crm.APIToken{UserID: u.ID, Name: "CI", Hash: unique("hash-"), ReadOnly: true, CreatedAt: time.Now().UTC()}
	must(t, db.CreateToken(ctx, tok))
	got, err := db.TokenByHash(ctx, tok.Hash)
	must(t, err)
	if got.UserID != u.ID || !got.ReadOnly || got.RevokedAt != nil {
		t.Fatalf("round trip: %+v", got)
	}
	must(t, db.TouchToken(ctx, tok.ID, time.Now().UTC()))
	other := newUser(t, db, crm.Roles{crm.RoleSales})
	wantCode(t, db.RevokeToken(ctx, other.ID, tok.ID), crm.ENotFound)
	must(t, db.RevokeToken(ctx, u.ID, tok.ID))
	list, err := db.ListTokens(ctx, u.ID)
	must(t, err)
	if len(list) != 1 || list[0].RevokedAt == nil || list[0].LastUsedAt == nil {
		t.Fatalf("list: %+v", list)
	}
	_, err = db.TokenByHash(ctx, "nope")
	wantCode(t, err, crm.ENotFound)
}

func testSessions(t *testing.T, db *store.DB) {
	s := db.Sessions()
	must(t, s.CommitCtx(ctx, "tok1", []byte("data1"), time.Now().Add(time.Hour)))
	must(t, s.CommitCtx(ctx, "tok1", []byte("data2"), time.Now().Add(time.Hour)))
	b, ok, err := s.FindCtx(ctx, "tok1")
	must(t, err)
	if !ok || string(b) != "data2" {
		t.Fatalf("find: %q %v", b, ok)
	}
	must(t, s.CommitCtx(ctx, "old", []byte("x"), time.Now().Add(-time.Minute)))
	if _, ok, _ := s.FindCtx(ctx, "old"); ok {
		t.Fatal("expired session found")
	}
	n, err := s.PurgeExpired(ctx)
	must(t, err)
	if n < 1 {
		t.Fatal("nothing purged")
	}
	must(t, s.DeleteCtx(ctx, "tok1"))
	if _, ok, _ := s.FindCtx(ctx, "tok1"); ok {
		t.Fatal("deleted session found")
	}
}

func testTransactionRollback(t *testing.T, db *store.DB) {
	name := unique("Rollback ")
	boom := errors.New("boom")
	err := db.InTx(ctx, func(r crm.Repo) error {
		d := &crm.Directorate{Name: name, Active: true}
		if err := r.CreateDirectorate(ctx, d); err != nil {
			return err
		}
		if err := r.InsertAudit(ctx, &crm.AuditEntry{At: time.Now(), Action: crm.AuditCreate, Entity: crm.EntityDirectorate, RecordID: d.ID}); err != nil {
			return err
		}
		// Reads inside the transaction see its own writes.
		if _, err := r.DirectorateByID(ctx, d.ID); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	page, _ := db.ListDirectorates(ctx, crm.DirectorateFilter{Q: name})
	if len(page.Items) != 0 {
		t.Fatal("rolled-back write is visible")
	}
}

func testViewsAndPrefs(t *testing.T, db *store.DB) {
	u := newUser(t, db, crm.Roles{crm.RoleSales})
	v := &crm.SavedView{UserID: u.ID, List: "projects", Name: "Мои активные", Query: "status=active"}
	must(t, db.CreateSavedView(ctx, v))
	list, _ := db.ListSavedViews(ctx, u.ID, "projects")
	if len(list) != 1 || list[0].Query != "status=active" {
		t.Fatalf("views: %+v", list)
	}
	wantCode(t, db.DeleteSavedView(ctx, u.ID+1000, v.ID), crm.ENotFound)
	must(t, db.DeleteSavedView(ctx, u.ID, v.ID))
	must(t, db.SetUserPref(ctx, u.ID, "columns:projects", "name,status"))
	must(t, db.SetUserPref(ctx, u.ID, "columns:projects", "name"))
	got, _ := db.UserPref(ctx, u.ID, "columns:projects")
	if got != "name" {
		t.Fatalf("pref = %q", got)
	}
}

func testBadSortAndCursor(t *testing.T, db *store.DB) {
	_, err := db.ListProjects(ctx, crm.ProjectFilter{Page: crm.PageRequest{Sort: "name; DROP TABLE projects"}})
	if crm.ErrorFields(err)["sort"] == "" {
		t.Fatalf("bad sort: %v", err)
	}
	_, err = db.ListProjects(ctx, crm.ProjectFilter{Page: crm.PageRequest{After: "!!!"}})
	if crm.ErrorFields(err)["after"] == "" {
		t.Fatalf("bad cursor: %v", err)
	}
	_, err = db.ListProjects(ctx, crm.ProjectFilter{Page: crm.PageRequest{Sort: "created_at", After: crm.EncodeCursor(crm.Cursor{Value: 5, ID: 1})}})
	if crm.ErrorFields(err)["after"] == "" {
		t.Fatalf("cursor of the wrong kind: %v", err)
	}
}
