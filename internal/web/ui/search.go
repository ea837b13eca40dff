package ui

// registerSearch adds the routes of the global search box.
func (u *UI) registerSearch(page pageFunc) {}
