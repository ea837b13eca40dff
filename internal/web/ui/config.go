package ui

// registerConfig adds the routes of choice lists, custom fields, sales topics and stages.
// Choice values and custom fields are short lists edited on one page each (a tab per list or
// record type, an add form under the table); topics are records with a list, a card and a
// form that edits the stages inline.
func (u *UI) registerConfig(page pageFunc) {
	page("GET /admin/lists", u.choiceListPage)
	page("POST /admin/lists/new", u.choiceCreate)
	page("GET /admin/lists/{id}/edit", u.choiceEdit)
	page("POST /admin/lists/{id}/edit", u.choiceUpdate)
	page("POST /admin/lists/{id}/default", u.choiceMakeDefault)
	page("POST /admin/lists/{id}/move", u.choiceMove)
	page("POST /admin/lists/{id}/delete", u.choiceDelete)
	page("POST /admin/lists/{id}/restore", u.choiceRestore)

	page("GET /admin/fields", u.fieldListPage)
	page("POST /admin/fields/new", u.fieldCreate)
	page("GET /admin/fields/{id}/edit", u.fieldEdit)
	page("POST /admin/fields/{id}/edit", u.fieldUpdate)
	page("POST /admin/fields/{id}/delete", u.fieldDelete)
	page("POST /admin/fields/{id}/restore", u.fieldRestore)

	page("GET /admin/topics", u.topicList)
	page("GET /admin/topics/new", u.topicNew)
	page("POST /admin/topics/new", u.topicCreate)
	page("GET /admin/topics/{id}", u.topicCard)
	page("GET /admin/topics/{id}/edit", u.topicEdit)
	page("POST /admin/topics/{id}/edit", u.topicUpdate)
	page("POST /admin/topics/{id}/delete", u.topicDelete)
	page("POST /admin/topics/{id}/restore", u.topicRestore)
}
