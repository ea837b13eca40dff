package e2e

import (
	"context"
	"testing"

	"github.com/ladder-crm/ladder/internal/demo"
	"github.com/ladder-crm/ladder/internal/testenv"
	"github.com/ladder-crm/ladder/internal/web/ui"
)

func fillDemo(t *testing.T, env *testenv.Env) {
	t.Helper()
	if _, err := demo.Fill(context.Background(), env.App, "small"); err != nil {
		t.Fatalf("demo data: %v", err)
	}
}

// demoUsers are the logins the login page lists in demo mode, as `ladder serve --demo` shows them.
func demoUsers() []ui.DemoUser {
	var out []ui.DemoUser
	for _, a := range demo.Accounts {
		out = append(out, ui.DemoUser{Login: a.Login, Password: demo.Password, Role: string(a.Role)})
	}
	return out
}
