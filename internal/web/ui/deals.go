package ui

// registerDeals adds the routes of deals, the kanban, contracts.
func (u *UI) registerDeals(page pageFunc) {}
