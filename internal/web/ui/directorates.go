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
	people := u.userCache(ctx)
	lang, loc := u.lang(r), userLocation(ctx)
	for _, d := range page.Items {
		href := "/admin/directorates/" + strconv.FormatInt(d.ID, 10)
		rw := row{ID: d.ID, Href: href, Cells: map[string]cell{
			"name":       {Text: d.Name, Href: href},
			"head":       {Text: people.name(d.HeadID)},
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
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	ctx := r.Context()
	d, err := u.app.Directorate(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	base := "/admin/directorates/" + strconv.FormatInt(id, 10)
	lang, loc := u.lang(r), userLocation(ctx)
	people := u.userCache(ctx)
	c := card{Title: d.Name, Deleted: d.Deleted()}
	if !d.Active {
		c.Badge, c.BadgeCol = u.t(r, "common.inactive"), "secondary"
	}
	c.Tabs, c.Tab = u.cardTabs(r, base)
	u.recordActions(r, &c, crm.EntityDirectorate, base, d.Meta, u.t(r, "directorates.delete_confirm", "Name", d.Name))
	data := &cardPage{Card: c, Back: "/admin/directorates", BackLabel: "directorates.title", Props: []prop{
		{Label: u.t(r, "field.head_id"), Value: people.name(d.HeadID)},
		{Label: u.t(r, "field.active"), Value: yesNo(r, u, d.Active)},
		{Label: u.t(r, "field.created_at"), Value: formatDateTime(lang, d.CreatedAt, loc) + byWhom(people, d.CreatedBy)},
		{Label: u.t(r, "field.updated_at"), Value: formatDateTime(lang, d.UpdatedAt, loc) + byWhom(people, d.UpdatedBy)},
	}}
	if c.Tab == "history" {
		if data.Card.Events, data.Card.MoreURL, err = u.history(r, crm.EntityDirectorate, id); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	u.partial(w, r, "card.html", u.newView(r, "", "admin", data), "card-body")
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
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	ctx := r.Context()
	d, err := u.app.Directorate(ctx, id)
	if err == nil && (d.Deleted() || !u.app.Allowed(ctx, app.ActUpdate, crm.EntityDirectorate)) {
		err = crm.ErrForbidden
	}
	if err != nil {
		u.fail(w, r, err)
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
		users = ensureOption(users, formatID(*d.HeadID), u.userCache(ctx).name(d.HeadID))
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
	d, err := u.app.CreateDirectorate(r.Context(), in)
	if err != nil {
		if f.absorb(err, directorateFields...) {
			u.directorateForm(w, r, formStatus(err), f, nil)
			return
		}
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "toast.created")
	redirect(w, r, saveTarget(r, "/admin/directorates/"+strconv.FormatInt(d.ID, 10), "/admin/directorates"))
}

func (u *UI) directorateUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	ctx := r.Context()
	cur, err := u.app.Directorate(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	base := "/admin/directorates/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in := readDirectorateForm(r, f)
	head := in.HeadID
	_, err = u.app.UpdateDirectorate(ctx, id, app.DirectoratePatch{Version: f.Version, Name: &in.Name, HeadID: &head, Active: &in.Active})
	if err != nil {
		if f.absorb(err, directorateFields...) {
			u.directorateForm(w, r, formStatus(err), f, cur)
			return
		}
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "toast.saved")
	redirect(w, r, saveTarget(r, base, "/admin/directorates"))
}

func (u *UI) directorateDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/admin/directorates", func(id, version int64) error { return u.app.DeleteDirectorate(r.Context(), id, version) })
}

func (u *UI) directorateRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/admin/directorates", func(id int64) error { return u.app.RestoreDirectorate(r.Context(), id) })
}
