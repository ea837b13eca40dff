package ui

// registerImport adds the routes of import, export and group actions.
func (u *UI) registerImport(page pageFunc) {
	u.registerExports(page)
	u.registerBulk(page)
	u.registerImportScreens(page)
}
