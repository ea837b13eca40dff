package e2e

import (
	"context"
	"testing"

	"github.com/ladder-crm/ladder/internal/demo"
	"github.com/ladder-crm/ladder/internal/testenv"
)

func fillDemo(t *testing.T, env *testenv.Env) {
	t.Helper()
	if _, err := demo.Fill(context.Background(), env.App, "small"); err != nil {
		t.Fatalf("demo data: %v", err)
	}
}
