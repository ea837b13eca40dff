package ui

// registerWork adds the routes of tasks and reminders, files, notes.
func (u *UI) registerWork(page pageFunc) {}
