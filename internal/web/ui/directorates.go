package ui

import (
	"net/http"
	"strconv"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

var directorateList = register(&listDef{
	Name: "directorates", Path: "/admin/directorates", Entity: crm.EntityDirectorate, Search: true, SearchHint: "directorates.search_hint",
	Columns: []colDef{
		{Key: "name", Label: "field.directorate.name", Sort: "name", Fixed: true},
		{Key: "head", Label: "field.head_id", Default: true},
		{Key: "active", Label: "field.active", Default: true},
		{Key: "created_at", Label: "field.created_at", Sort: "created_at", Default: true},
		{Key: "updated_at", Label: "field.updated_at"},
	},
	Filters:     []string{"active"},
	DefaultSort: "name",
})

var directorateFields = []string{"name", "head_id", "active"}

func activeCell(r *http.Request, u *UI, active bool) cell {
	if active {
		return cell{Text: u.t(r, "common.active"), Badge: "green"}
	}
	return cell{Text: u.t(r, "common.inactive"), Badge: "secondary"}
}

func (u *UI) directorateList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s := u.parseList(r, directorateList)
	s.selectFilter("active", u.t(r, "field.active"), u.activeOptions(r))
	page, err := u.app.ListDirectorates(ctx, crm.DirectorateFilter{Q: s.Q, Active: boolFilter(s.Filter("active")),
		Deleted: s.Deleted, Page: s.Page()})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	people := u.lookup(ctx)
	heads := make([]*int64, 0, len(page.Items))
	for _, d := range page.Items {
		heads = append(heads, d.HeadID)
	}
	people.prefetchUsers(heads...)
	lang, loc := u.lang(r), userLocation(ctx)
	for _, d := range page.Items {
		href := "/admin/directorates/" + strconv.FormatInt(d.ID, 10)
		rw := row{ID: d.ID, Href: href, Cells: map[string]cell{
			"name":       {Text: d.Name, Href: href},
			"head":       {Text: people.userName(d.HeadID)},
			"active":     activeCell(r, u, d.Active),
			"created_at": {Text: formatDateTime(lang, d.CreatedAt, loc), Muted: true},
			"updated_at": {Text: formatDateTime(lang, d.UpdatedAt, loc), Muted: true},
		}}
		if s.Deleted {
			rw.RestoreURL = href + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "directorates.empty"
	if u.app.Allowed(ctx, app.ActCreate, crm.EntityDirectorate) {
		s.NewURL, s.NewLabel = "/admin/directorates/new", "directorates.new"
	}
	u.partial(w, r, "list.html", u.newView(r, "directorates.title", "admin", s), "list-region")
}

func (u *UI) directorateCard(w http.ResponseWriter, r *http.Request) {
	id, d, ok := pathRecord(u, w, r, u.app.Directorate)
	if !ok {
		return
	}
	ctx := r.Context()
	base := "/admin/directorates/" + strconv.FormatInt(id, 10)
	lang, loc := u.lang(r), userLocation(ctx)
	people := u.lookup(ctx)
	people.prefetchUsers(d.HeadID, d.CreatedBy, d.UpdatedBy)
	c := card{Title: d.Name, Deleted: d.Deleted()}
	if !d.Active {
		c.Badge, c.BadgeCol = u.t(r, "common.inactive"), "secondary"
	}
	c.Tabs, c.Tab = u.cardTabs(r, base)
	u.recordActions(r, &c, crm.EntityDirectorate, base, d.Meta, u.t(r, "directorates.delete_confirm", "Name", d.Name))
	data := &cardPage{Card: c, Back: "/admin/directorates", BackLabel: "directorates.title", Props: []prop{
		{Label: u.t(r, "field.head_id"), Value: people.userName(d.HeadID)},
		{Label: u.t(r, "field.active"), Value: yesNo(r, u, d.Active)},
		{Label: u.t(r, "field.created_at"), Value: formatDateTime(lang, d.CreatedAt, loc) + byWhom(people, d.CreatedBy)},
		{Label: u.t(r, "field.updated_at"), Value: formatDateTime(lang, d.UpdatedAt, loc) + byWhom(people, d.UpdatedBy)},
	}}
	u.showCard(w, r, "card.html", "admin", crm.EntityDirectorate, id, data)
}

// recordActions offers edit and delete to those allowed, restore on a deleted record. Record
// types whose rules depend on the record itself (directorate scope) decide for themselves.
func (u *UI) recordActions(r *http.Request, c *card, entity, base string, m crm.Meta, confirm string) {
	ctx := r.Context()
	if m.Deleted() {
		if u.app.Allowed(ctx, app.ActRestore, entity) {
			c.Restore = &recordAction{URL: base + "/restore"}
		}
		return
	}
	if u.app.Allowed(ctx, app.ActUpdate, entity) {
		c.EditURL = base + "/edit"
	}
	if u.app.Allowed(ctx, app.ActDelete, entity) {
		c.Delete = &recordAction{URL: base + "/delete", Version: m.Version, Confirm: confirm}
	}
}

func yesNo(r *http.Request, u *UI, b bool) string {
	if b {
		return u.t(r, "common.yes")
	}
	return u.t(r, "common.no")
}

func (u *UI) directorateNew(w http.ResponseWriter, r *http.Request) {
	if !u.app.Allowed(r.Context(), app.ActCreate, crm.EntityDirectorate) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/admin/directorates/new", "/admin/directorates")
	f.New = true
	f.Values.Set("active", "1")
	u.directorateForm(w, r, http.StatusOK, f, nil)
}

func (u *UI) directorateEdit(w http.ResponseWriter, r *http.Request) {
	id, d, ok := pathRecord(u, w, r, u.app.Directorate)
	if !ok {
		return
	}
	if d.Deleted() || !u.app.Allowed(r.Context(), app.ActUpdate, crm.EntityDirectorate) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/admin/directorates/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	f.Version = d.Version
	f.Values.Set("name", d.Name)
	if d.HeadID != nil {
		f.Values.Set("head_id", formatID(*d.HeadID))
	}
	if d.Active {
		f.Values.Set("active", "1")
	}
	u.directorateForm(w, r, http.StatusOK, f, d)
}

func (u *UI) directorateForm(w http.ResponseWriter, r *http.Request, status int, f *form, d *crm.Directorate) {
	ctx := r.Context()
	users := append([]option{{Value: "", Label: "—"}}, u.userOptions(ctx)...)
	if d != nil && d.HeadID != nil {
		users = ensureOption(users, formatID(*d.HeadID), u.lookup(ctx).userName(d.HeadID))
	}
	title, back, backLabel := "directorates.new", "/admin/directorates", "directorates.title"
	if d != nil {
		title, back, backLabel = "directorates.edit", "/admin/directorates/"+strconv.FormatInt(d.ID, 10), "common.back_to_card"
	}
	data := &formPage{Form: f, Title: u.t(r, title), Back: back, BackLabel: backLabel, Extra: users}
	u.render(w, r, status, "directorate_form.html", u.newView(r, title, "admin", data))
}

func readDirectorateForm(r *http.Request, f *form) app.DirectorateInput {
	f.fromRequest(r)
	return app.DirectorateInput{Name: f.Get("name"), HeadID: optionalInt(f.Get("head_id")), Active: f.Get("active") != ""}
}

func (u *UI) directorateCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/admin/directorates/new", "/admin/directorates")
	f.New = true
	in := readDirectorateForm(r, f)
	u.finishSave(w, r, u.directorateSave(w, r, f, nil, "toast.created"), true, func() (int64, error) {
		d, err := u.app.CreateDirectorate(r.Context(), in)
		if err != nil {
			return 0, err
		}
		return d.ID, nil
	})
}

func (u *UI) directorateUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.Directorate)
	if !ok {
		return
	}
	base := "/admin/directorates/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in := readDirectorateForm(r, f)
	u.finishSave(w, r, u.directorateSave(w, r, f, cur, "toast.saved"), true, func() (int64, error) {
		head := in.HeadID
		_, err := u.app.UpdateDirectorate(r.Context(), id, app.DirectoratePatch{Version: f.Version, Name: &in.Name, HeadID: &head, Active: &in.Active})
		return id, err
	})
}

// directorateSave is how the directorate form ends; cur is the directorate edited, nil for a
// new one.
func (u *UI) directorateSave(w http.ResponseWriter, r *http.Request, f *form, cur *crm.Directorate, toast string) formSave {
	return formSave{form: f, fields: directorateFields, toast: toast, list: "/admin/directorates",
		show: func(status int) { u.directorateForm(w, r, status, f, cur) }}
}

func (u *UI) directorateDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/admin/directorates", func(id, version int64) error { return u.app.DeleteDirectorate(r.Context(), id, version) })
}

func (u *UI) directorateRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/admin/directorates", func(id int64) error { return u.app.RestoreDirectorate(r.Context(), id) })
}
