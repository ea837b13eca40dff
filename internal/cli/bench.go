package cli

import "errors"

// runBench is filled in by its slice of the sales core.
func runBench(env *Env, args []string) error { return errors.New("bench: not built yet") }
