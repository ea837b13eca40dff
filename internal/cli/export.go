package cli

import "errors"

// runExport is filled in by its slice of the sales core.
func runExport(env *Env, args []string) error { return errors.New("export: not built yet") }
