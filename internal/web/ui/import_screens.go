package ui

func (u *UI) registerImportScreens(page pageFunc) {}
