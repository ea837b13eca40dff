package ui

// registerImport adds the routes of import, export and group actions.
func (u *UI) registerImport(page pageFunc) {}
