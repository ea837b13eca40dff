package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
)

type fixture struct {
	a          *app.App
	admin      *app.Actor
	d1, d2, d3 *crm.Directorate
}

func setup(t *testing.T) *fixture {
	app.SetPasswordCostForTests()
	db := storetest.Open(t, storetest.NewSQLiteURL(t))
	a := app.New(db, nil)
	ctx := app.WithActor(context.Background(), app.System)
	f := &fixture{a: a, admin: app.System}
	mk := func(name string) *crm.Directorate {
		d, err := a.CreateDirectorate(ctx, app.DirectorateInput{Name: name, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	f.d1, f.d2, f.d3 = mk("Госсектор"), mk("Корпоративные продажи"), mk("Партнёры")
	return f
}

func (f *fixture) user(t *testing.T, login string, roles crm.Roles, dirs ...int64) context.Context {
	t.Helper()
	u, err := f.a.CreateUser(app.WithActor(context.Background(), f.admin), app.UserInput{Login: login, Email: login + "@x.ru",
		FullName: login, Password: "long-enough-pw", Roles: roles, Directorates: dirs, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return app.WithActor(context.Background(), &app.Actor{User: u})
}

// R4: a new record lands in the user's first directorate; R4/R7: only an own one may be chosen.
func TestProjectDirectorateRules(t *testing.T) {
	f := setup(t)
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d2.ID, f.d1.ID)
	p, err := f.a.CreateProject(sales, app.ProjectInput{Name: "Пилот"})
	if err != nil {
		t.Fatal(err)
	}
	if p.DirectorateOf() != f.d2.ID {
		t.Fatalf("directorate = %d, want first (%d)", p.DirectorateOf(), f.d2.ID)
	}
	_, err = f.a.CreateProject(sales, app.ProjectInput{Name: "Чужой", DirectorateID: f.d3.ID})
	if crm.ErrorFields(err)["directorate_id"] != "err.directorate_not_own" {
		t.Fatalf("other directorate: %v", err)
	}
	d1 := f.d1.ID
	p, err = f.a.UpdateProject(sales, p.ID, app.ProjectPatch{Version: p.Version, DirectorateID: &d1})
	if err != nil || p.DirectorateOf() != f.d1.ID {
		t.Fatalf("move to own second directorate: %v", err)
	}
	// Another directorate's user cannot edit it; the record stays as it was.
	partner := f.user(t, "partner", crm.Roles{crm.RolePAM}, f.d3.ID)
	name := "Захват"
	_, err = f.a.UpdateProject(partner, p.ID, app.ProjectPatch{Version: p.Version, Name: &name})
	if crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("foreign edit: %v", err)
	}
	if err := f.a.DeleteProject(partner, p.ID, p.Version); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("foreign delete: %v", err)
	}
	got, _ := f.a.Project(sales, p.ID)
	if got.Name != "Пилот" || got.Deleted() || got.Version != p.Version {
		t.Fatalf("denied write changed the record: %+v", got)
	}
	// Stale version.
	_, err = f.a.UpdateProject(sales, p.ID, app.ProjectPatch{Version: p.Version - 1, Name: &name})
	if crm.ErrorCode(err) != crm.EConflict {
		t.Fatalf("stale: %v", err)
	}
	// A user with no directorate makes records without one, editable by the author only.
	loner := f.user(t, "loner", crm.Roles{crm.RoleMarketeer})
	lp, err := f.a.CreateProject(loner, app.ProjectInput{Name: "Без дирекции"})
	if err != nil || lp.DirectorateID != nil {
		t.Fatalf("no-directorate project: %+v %v", lp, err)
	}
	if _, err := f.a.UpdateProject(sales, lp.ID, app.ProjectPatch{Version: lp.Version, Name: &name}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("non-author edit of directorate-less record: %v", err)
	}
}

func TestProductNarrowing(t *testing.T) {
	f := setup(t)
	admin := app.WithActor(context.Background(), f.admin)
	itsm, err := f.a.CreateProduct(admin, app.ProductInput{Name: "ITSM", Kind: crm.KindProduct, Directorates: []int64{f.d1.ID, f.d2.ID}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.CreateProduct(admin, app.ProductInput{Name: "Обучение", Kind: crm.KindService, Directorates: []int64{f.d3.ID}, Active: true}); err != nil {
		t.Fatal(err)
	}
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID, f.d3.ID)
	prods, err := f.a.ProductChoices(sales, 0)
	if err != nil || len(prods) != 2 {
		t.Fatalf("R5 own products: %d %v", len(prods), err)
	}
	prods, _ = f.a.ProductChoices(sales, f.d1.ID)
	if len(prods) != 1 || prods[0].ID != itsm.ID {
		t.Fatalf("R5 narrowed to directorate: %+v", prods)
	}
	dirs, _ := f.a.DirectorateChoices(sales, itsm.ID)
	if len(dirs) != 1 || dirs[0].ID != f.d1.ID {
		t.Fatalf("R6 narrowed to product: %+v", dirs)
	}
}

func TestUserAdministration(t *testing.T) {
	f := setup(t)
	crmAdmin := f.user(t, "crmadmin", crm.Roles{crm.RoleCRMAdmin}, f.d1.ID)
	_, err := f.a.CreateUser(crmAdmin, app.UserInput{Login: "boss", Email: "boss@x.ru", FullName: "Boss", Password: "long-enough-pw", Roles: []crm.Role{crm.RoleAdmin}, Active: true})
	if crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("crm_admin granted admin: %v", err)
	}
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID)
	me, _ := f.a.Me(sales)
	_, err = f.a.UpdateUser(sales, me.ID, app.UserPatch{Version: me.Version, Roles: &[]crm.Role{crm.RoleAdmin}})
	if crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("self-promotion: %v", err)
	}
	lang := "en"
	me, err = f.a.UpdateProfile(sales, app.ProfilePatch{Version: me.Version, Locale: &lang})
	if err != nil || me.Locale != "en" || !me.Roles.Has(crm.RoleSales) {
		t.Fatalf("profile: %+v %v", me, err)
	}
}

func TestLoginLockout(t *testing.T) {
	f := setup(t)
	f.user(t, "victim", crm.Roles{crm.RoleSales})
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	f.a.SetClock(func() time.Time { return now })
	ctx := context.Background()
	for i := 0; i < f.a.LockoutAfter; i++ {
		if _, err := f.a.Login(ctx, "victim", "wrong"); err != app.ErrBadLogin {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	// Locked: even the right password gets the same answer.
	if _, err := f.a.Login(ctx, "victim", "long-enough-pw"); err != app.ErrBadLogin {
		t.Fatalf("locked account logged in: %v", err)
	}
	if _, err := f.a.Login(ctx, "nobody", "x"); err != app.ErrBadLogin {
		t.Fatalf("unknown user: %v", err)
	}
	now = now.Add(f.a.LockoutFor + time.Second)
	if _, err := f.a.Login(ctx, "victim", "long-enough-pw"); err != nil {
		t.Fatalf("after lockout: %v", err)
	}
}

func TestAuditInSameTransaction(t *testing.T) {
	f := setup(t)
	admin := app.WithActor(context.Background(), f.admin)
	page, err := f.a.ListAudit(admin, crm.AuditFilter{Entity: crm.EntityDirectorate})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 3 || page.Items[0].Action != crm.AuditCreate || page.Items[0].Changes["name"][1] != "Партнёры" {
		t.Fatalf("audit: %+v", page.Items)
	}
	// A failed write (duplicate name) leaves no audit entry either.
	if _, err := f.a.CreateDirectorate(admin, app.DirectorateInput{Name: "Партнёры", Active: true}); crm.ErrorCode(err) != crm.EInvalid {
		t.Fatalf("duplicate: %v", err)
	}
	page, _ = f.a.ListAudit(admin, crm.AuditFilter{Entity: crm.EntityDirectorate})
	if len(page.Items) != 3 {
		t.Fatalf("audit after failed write: %d entries", len(page.Items))
	}
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID)
	if _, err := f.a.ListAudit(sales, crm.AuditFilter{}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("sales read audit: %v", err)
	}
}

func TestCRMAdminCannotReachAdminsThroughTokensOrRestore(t *testing.T) {
	f := setup(t)
	admin := app.WithActor(context.Background(), f.admin)
	boss, err := f.a.CreateUser(admin, app.UserInput{Login: "boss", Email: "boss@x.ru", FullName: "Boss",
		Password: "long-enough-pw", Roles: []crm.Role{crm.RoleAdmin}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	crmAdmin := f.user(t, "crmadmin", crm.Roles{crm.RoleCRMAdmin})
	if _, _, err := f.a.CreateToken(crmAdmin, boss.ID, "x", false); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("crm_admin minted a token for an admin: %v", err)
	}
	if err := f.a.DeleteUser(admin, boss.ID, boss.Version); err != nil {
		t.Fatal(err)
	}
	if err := f.a.RestoreUser(crmAdmin, boss.ID); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("crm_admin restored an admin: %v", err)
	}
	if f.a.CanManageUser(crmAdmin, boss) || !f.a.CanManageUser(admin, boss) {
		t.Fatal("CanManageUser")
	}
	roles := f.a.GrantableRoles(crmAdmin)
	if len(roles) != len(crm.AllRoles)-1 || crm.Roles(roles).Has(crm.RoleAdmin) {
		t.Fatalf("grantable for crm_admin: %v", roles)
	}
}

func TestReadOnlyActorCannotChangePreferences(t *testing.T) {
	f := setup(t)
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID)
	ro := app.WithActor(context.Background(), &app.Actor{User: app.ActorFrom(sales).User, ReadOnly: true})
	if _, err := f.a.SaveView(ro, "projects", "x", "q=1"); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("read-only saved a view: %v", err)
	}
	if err := f.a.SetListColumns(ro, "projects", []string{"name"}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("read-only set columns: %v", err)
	}
	if err := f.a.ChangePassword(ro, "long-enough-pw", "another-long-pw"); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("read-only changed the password: %v", err)
	}
}

func TestParallelWrongPasswordsAllCount(t *testing.T) {
	f := setup(t)
	f.user(t, "victim", crm.Roles{crm.RoleSales})
	done := make(chan struct{})
	for i := 0; i < 2*f.a.LockoutAfter; i++ {
		go func() {
			_, _ = f.a.Login(context.Background(), "victim", "wrong")
			done <- struct{}{}
		}()
	}
	for i := 0; i < 2*f.a.LockoutAfter; i++ {
		<-done
	}
	if _, err := f.a.Login(context.Background(), "victim", "long-enough-pw"); err != app.ErrBadLogin {
		t.Fatalf("parallel guesses did not lock the account: %v", err)
	}
}

func TestWrongCurrentPasswordCountsTowardsLockout(t *testing.T) {
	f := setup(t)
	victim := f.user(t, "victim", crm.Roles{crm.RoleSales})
	for i := 0; i < f.a.LockoutAfter; i++ {
		if err := f.a.ChangePassword(victim, "guess", "new-long-password"); crm.ErrorFields(err)["current_password"] == "" {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if err := f.a.ChangePassword(victim, "long-enough-pw", "new-long-password"); err != app.ErrBadLogin {
		t.Fatalf("locked account changed its password: %v", err)
	}
}

func TestDefaultDirectorateSkipsDeleted(t *testing.T) {
	f := setup(t)
	admin := app.WithActor(context.Background(), f.admin)
	sales := f.user(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID, f.d2.ID)
	if err := f.a.DeleteDirectorate(admin, f.d1.ID, f.d1.Version); err != nil {
		t.Fatal(err)
	}
	p, err := f.a.CreateProject(sales, app.ProjectInput{Name: "После удаления"})
	if err != nil || p.DirectorateOf() != f.d2.ID {
		t.Fatalf("default after the first was deleted: %+v %v", p, err)
	}
}

func TestLoginDerivedFromEmail(t *testing.T) {
	f := setup(t)
	admin := app.WithActor(context.Background(), f.admin)
	for email, want := range map[string]string{"i@x.ru": "i.x", "a+b@x.ru": "a.b", "Ivan.Petrov@corp.ru": "ivan.petrov"} {
		u, err := f.a.CreateUser(admin, app.UserInput{Email: email, FullName: "X", Password: "long-enough-pw", Active: true})
		if err != nil {
			t.Errorf("%s: %v", email, err)
		} else if u.Login != want {
			t.Errorf("%s: login %q, want %q", email, u.Login, want)
		}
	}
	_, err := f.a.CreateUser(admin, app.UserInput{Email: "dup@x.ru", FullName: "X", Password: "long-enough-pw",
		Roles: []crm.Role{crm.RoleSales, crm.RoleSales}})
	if crm.ErrorFields(err)["roles"] != "err.duplicate" {
		t.Fatalf("duplicate roles: %v", err)
	}
}
