package ui

// registerParties adds the routes of companies, contacts, consents, duplicates and merge.
func (u *UI) registerParties(page pageFunc) {}
