// Command ladder is the Ladder marketing CRM: one binary for the server and its tools.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/ladder-crm/ladder/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(&cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Ctx: ctx}, os.Args[1:])
	stop()
	os.Exit(code)
}
