package cli

import (
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
)

// childArgs, when set in the environment, makes the test binary act as the ladder binary:
// tests start real `ladder serve` processes (and kill them) without building anything.
const childArgs = "LADDER_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Main(&Env{Stdout: os.Stdout, Stderr: os.Stderr, Ctx: ctx}, strings.Split(args, "\x1f"))
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}
