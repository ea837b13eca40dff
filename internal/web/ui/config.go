package ui

// registerConfig adds the routes of choice lists, custom fields, sales topics and stages.
func (u *UI) registerConfig(page pageFunc) {}
