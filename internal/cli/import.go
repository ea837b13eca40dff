package cli

import "errors"

// runImport is filled in by its slice of the sales core.
func runImport(env *Env, args []string) error { return errors.New("import: not built yet") }
