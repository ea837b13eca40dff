package demo_test

import (
	"context"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/demo"
	"github.com/ladder-crm/ladder/internal/store/storetest"
)

func TestFillAndLiveAccounts(t *testing.T) {
	app.SetPasswordCostForTests()
	a := app.New(storetest.Open(t, storetest.NewSQLiteURL(t)), nil)
	ctx := context.Background()
	sum, err := demo.Fill(ctx, a, "small")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Directorates != 4 || sum.Users != len(demo.Accounts) || sum.Projects != 40 || sum.Skipped {
		t.Fatalf("summary: %+v", sum)
	}
	again, err := demo.Fill(ctx, a, "small")
	if err != nil || !again.Skipped {
		t.Fatalf("second fill: %+v %v", again, err)
	}
	// Every role is represented and every account logs in with the demo password.
	roles := map[crm.Role]bool{}
	for _, acc := range demo.Accounts {
		roles[acc.Role] = true
		if _, err := a.Login(ctx, acc.Login, demo.Password); err != nil {
			t.Errorf("%s cannot log in: %v", acc.Login, err)
		}
	}
	if len(roles) != len(crm.AllRoles)-1 { // admin is the first-start administrator, not a demo account
		t.Errorf("demo covers %d roles", len(roles))
	}
	// An account whose password was changed is no longer advertised.
	sys := app.WithActor(ctx, app.System)
	u, err := a.Me(app.WithActor(ctx, &app.Actor{User: mustUser(t, a, "sales")}))
	if err != nil {
		t.Fatal(err)
	}
	pw := "a-real-password"
	if _, err := a.UpdateUser(sys, u.ID, app.UserPatch{Version: u.Version, Password: &pw}); err != nil {
		t.Fatal(err)
	}
	live, err := demo.LiveAccounts(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range live {
		if acc.Login == "sales" {
			t.Fatal("changed password still advertised")
		}
	}
	if len(live) != len(demo.Accounts)-1 {
		t.Fatalf("live accounts: %d", len(live))
	}
}

func mustUser(t *testing.T, a *app.App, login string) *crm.User {
	t.Helper()
	page, err := a.ListUsers(app.WithActor(context.Background(), app.System), crm.UserFilter{Q: login})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range page.Items {
		if u.Login == login {
			return &u
		}
	}
	t.Fatalf("no user %s", login)
	return nil
}
