package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Projects are the first directorate-scoped record: this file is the example later record
// types copy (list, card, form, delete, restore).

var projectList = register(&listDef{
	Name: "projects", Path: "/projects", Entity: crm.EntityProject, Search: true, SearchHint: "projects.search_hint",
	Columns: []colDef{
		{Key: "name", Label: "field.project.name", Sort: "name", Fixed: true},
		{Key: "status", Label: "field.status", Sort: "status", Default: true},
		{Key: "directorate", Label: "field.directorate_id", Default: true},
		{Key: "responsible", Label: "field.responsible_id", Default: true},
		{Key: "date_from", Label: "field.date_from", Sort: "date_from", Default: true},
		{Key: "date_to", Label: "field.date_to", Sort: "date_to", Default: true},
		{Key: "created_at", Label: "field.created_at", Sort: "created_at"},
		{Key: "updated_at", Label: "field.updated_at", Sort: "updated_at"},
	},
	Filters:     []string{"status", "directorate", "responsible"},
	DefaultSort: "name",
})

func init() { projectList.Rows = (*UI).projectRows }

var projectFields = []string{"name", "status", "directorate_id", "responsible_id", "date_from", "date_to", "description"}

func (u *UI) projectStatusOptions(r *http.Request) []option {
	return []option{
		{Value: string(crm.ProjectActive), Label: u.t(r, "value.status.active")},
		{Value: string(crm.ProjectClosed), Label: u.t(r, "value.status.closed")},
	}
}

func (u *UI) projectList(w http.ResponseWriter, r *http.Request) {
	u.listPage(w, r, projectList, "projects.title", "projects")
}

// projectRows loads one page of projects for the list state: the list screen renders it, the
// export and group actions page through it.
func (u *UI) projectRows(r *http.Request, s *listState) error {
	ctx := r.Context()
	s.selectFilter("status", u.t(r, "field.status"), u.projectStatusOptions(r))
	s.selectFilter("directorate", u.t(r, "field.directorate_id"), u.directorateOptions(ctx))
	u.userFilter(ctx, s, "responsible", u.t(r, "field.responsible_id"))
	page, err := u.app.ListProjects(ctx, crm.ProjectFilter{Q: s.Q, Status: crm.ProjectStatus(s.Filter("status")),
		DirectorateID: s.Int("directorate"), ResponsibleID: s.Int("responsible"), Deleted: s.Deleted, Page: s.Page()})
	if err != nil {
		return err
	}
	names := u.lookup(ctx)
	responsible := make([]*int64, 0, len(page.Items))
	for _, p := range page.Items {
		responsible = append(responsible, p.ResponsibleID)
	}
	names.prefetchUsers(responsible...)
	lang := u.lang(r)
	for _, p := range page.Items {
		href := "/projects/" + strconv.FormatInt(p.ID, 10)
		rw := row{ID: p.ID, Href: href, Cells: map[string]cell{
			"name":        {Text: p.Name, Href: href},
			"status":      {Text: u.t(r, "value.status."+string(p.Status)), Badge: statusColour(p.Status)},
			"directorate": {Text: names.directorateName(p.DirectorateOf())},
			"responsible": {Text: names.userName(p.ResponsibleID)},
			"date_from":   {Text: dayText(lang, p.DateFrom)},
			"date_to":     {Text: dayText(lang, p.DateTo)},
			"created_at":  {Text: formatDateTime(lang, p.CreatedAt, userLocation(ctx)), Muted: true},
			"updated_at":  {Text: formatDateTime(lang, p.UpdatedAt, userLocation(ctx)), Muted: true},
		}}
		if s.Deleted {
			rw.RestoreURL = href + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "projects.empty"
	if u.app.Allowed(ctx, app.ActCreate, crm.EntityProject) {
		s.NewURL, s.NewLabel = "/projects/new", "projects.new"
	}
	return nil
}

func statusColour(s crm.ProjectStatus) string {
	if s == crm.ProjectActive {
		return "green"
	}
	return "secondary"
}

func dayText(lang string, d *crm.Date) string {
	if d == nil {
		return ""
	}
	return formatDay(lang, d.Time)
}

func (u *UI) projectCard(w http.ResponseWriter, r *http.Request) {
	id, p, ok := pathRecord(u, w, r, u.app.Project)
	if !ok {
		return
	}
	ctx := r.Context()
	base := "/projects/" + strconv.FormatInt(id, 10)
	lang := u.lang(r)
	people := u.lookup(ctx)
	people.prefetchUsers(p.ResponsibleID, p.CreatedBy, p.UpdatedBy)
	c := card{Title: p.Name, Badge: u.t(r, "value.status."+string(p.Status)), BadgeCol: statusColour(p.Status), Deleted: p.Deleted()}
	c.Tabs, c.Tab = u.cardTabs(r, base)
	if p.Deleted() {
		if u.app.Allowed(ctx, app.ActRestore, crm.EntityProject) {
			c.Restore = &recordAction{URL: base + "/restore"}
		}
	} else if u.app.CanEditProject(ctx, p) {
		c.EditURL = base + "/edit"
		c.Delete = &recordAction{URL: base + "/delete", Version: p.Version, Confirm: u.t(r, "projects.delete_confirm", "Name", p.Name)}
	}
	data := &cardPage{Card: c, Back: "/projects", BackLabel: "projects.title", Notes: p.Description, Props: []prop{
		{Label: u.t(r, "field.directorate_id"), Value: people.directorateName(p.DirectorateOf())},
		{Label: u.t(r, "field.responsible_id"), Value: people.userName(p.ResponsibleID)},
		{Label: u.t(r, "field.date_from"), Value: dayText(lang, p.DateFrom)},
		{Label: u.t(r, "field.date_to"), Value: dayText(lang, p.DateTo)},
		{Label: u.t(r, "field.created_at"), Value: formatDateTime(lang, p.CreatedAt, userLocation(ctx)) + byWhom(people, p.CreatedBy)},
		{Label: u.t(r, "field.updated_at"), Value: formatDateTime(lang, p.UpdatedAt, userLocation(ctx)) + byWhom(people, p.UpdatedBy)},
	}}
	u.showCard(w, r, "card.html", "projects", crm.EntityProject, id, data)
}

func byWhom(people *lookup, id *int64) string {
	if n := people.userName(id); n != "" {
		return " · " + n
	}
	return ""
}

func (u *UI) projectNew(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !u.app.Allowed(ctx, app.ActCreate, crm.EntityProject) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/projects/new", "/projects")
	f.New = true
	f.Values.Set("status", string(crm.ProjectActive))
	if err := u.presetPlacement(ctx, f); err != nil {
		u.fail(w, r, err)
		return
	}
	u.projectForm(w, r, http.StatusOK, f, nil)
}

func (u *UI) projectEdit(w http.ResponseWriter, r *http.Request) {
	id, p, ok := pathRecord(u, w, r, u.app.Project)
	if !ok {
		return
	}
	if p.Deleted() || !u.app.CanEditProject(r.Context(), p) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/projects/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	f.Version = p.Version
	f.Values.Set("name", p.Name)
	f.Values.Set("status", string(p.Status))
	f.Values.Set("directorate_id", formatID(p.DirectorateOf()))
	if p.ResponsibleID != nil {
		f.Values.Set("responsible_id", formatID(*p.ResponsibleID))
	}
	if p.DateFrom != nil {
		f.Values.Set("date_from", p.DateFrom.String())
	}
	if p.DateTo != nil {
		f.Values.Set("date_to", p.DateTo.String())
	}
	f.Values.Set("description", p.Description)
	u.projectForm(w, r, http.StatusOK, f, p)
}

type projectFormData struct {
	Directorates []option
	Statuses     []option
	Users        []option
	Record       *crm.Project
}

func (u *UI) projectForm(w http.ResponseWriter, r *http.Request, status int, f *form, p *crm.Project) {
	ctx := r.Context()
	choices, err := u.app.DirectorateChoices(ctx, 0)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	dirs := make([]option, 0, len(choices)+1)
	for _, d := range choices {
		dirs = append(dirs, option{Value: formatID(d.ID), Label: d.Name})
	}
	if len(dirs) == 0 {
		dirs = append(dirs, option{Value: "", Label: u.t(r, "projects.no_directorate")})
	}
	if p != nil && p.DirectorateID != nil {
		dirs = ensureOption(dirs, formatID(*p.DirectorateID), u.lookup(ctx).directorateName(*p.DirectorateID))
	}
	users := append([]option{{Value: "", Label: "—"}}, u.userOptions(ctx)...)
	if p != nil && p.ResponsibleID != nil {
		users = ensureOption(users, formatID(*p.ResponsibleID), u.lookup(ctx).userName(p.ResponsibleID))
	}
	title, back := "projects.new", "/projects"
	if p != nil {
		title, back = "projects.edit", "/projects/"+strconv.FormatInt(p.ID, 10)
	}
	data := &formPage{Form: f, Title: u.t(r, title), Back: back, BackLabel: "projects.title",
		Extra: projectFormData{Directorates: dirs, Statuses: u.projectStatusOptions(r), Users: users, Record: p}}
	if p != nil {
		data.BackLabel = "common.back_to_card"
	}
	u.render(w, r, status, "project_form.html", u.newView(r, title, "projects", data))
}

// readProjectForm parses the posted project; problems with the shape of a value (a date that
// is not a date) come back as field errors before the app sees anything.
func readProjectForm(r *http.Request, f *form) (in app.ProjectInput, ok bool) {
	f.fromRequest(r)
	in = app.ProjectInput{Name: f.Get("name"), Status: crm.ProjectStatus(f.Get("status")),
		Description: f.Get("description"), ResponsibleID: optionalInt(f.Get("responsible_id"))}
	in.DirectorateID, _ = strconv.ParseInt(f.Get("directorate_id"), 10, 64)
	for _, name := range []string{"date_from", "date_to"} {
		v := strings.TrimSpace(f.Get(name))
		if v == "" {
			continue
		}
		d, err := crm.ParseDate(v)
		if err != nil {
			f.Errors[name] = "err.date_format"
			continue
		}
		if name == "date_from" {
			in.DateFrom = &d
		} else {
			in.DateTo = &d
		}
	}
	return in, len(f.Errors) == 0
}

func (u *UI) projectCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/projects/new", "/projects")
	f.New = true
	in, ok := readProjectForm(r, f)
	u.finishSave(w, r, u.projectSave(w, r, f, nil, "toast.created"), ok, func() (int64, error) {
		p, err := u.app.CreateProject(r.Context(), in)
		if err != nil {
			return 0, err
		}
		return p.ID, nil
	})
}

func (u *UI) projectUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.Project)
	if !ok {
		return
	}
	base := "/projects/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in, ok := readProjectForm(r, f)
	u.finishSave(w, r, u.projectSave(w, r, f, cur, "toast.saved"), ok, func() (int64, error) {
		resp, from, to := in.ResponsibleID, in.DateFrom, in.DateTo
		_, err := u.app.UpdateProject(r.Context(), id, app.ProjectPatch{Version: f.Version, Name: &in.Name, Status: &in.Status,
			Description: &in.Description, ResponsibleID: &resp, DateFrom: &from, DateTo: &to, DirectorateID: &in.DirectorateID})
		return id, err
	})
}

// projectSave is how the project form ends; cur is the project edited, nil for a new one.
func (u *UI) projectSave(w http.ResponseWriter, r *http.Request, f *form, cur *crm.Project, toast string) formSave {
	return formSave{form: f, fields: projectFields, toast: toast, list: "/projects",
		show: func(status int) { u.projectForm(w, r, status, f, cur) }}
}

func (u *UI) projectDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/projects", func(id, version int64) error { return u.app.DeleteProject(r.Context(), id, version) })
}

func (u *UI) projectRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/projects", func(id int64) error { return u.app.RestoreProject(r.Context(), id) })
}

// deleteRecord is the shared delete action: the version posted with the button guards
// against deleting something another person just changed.
func (u *UI) deleteRecord(w http.ResponseWriter, r *http.Request, listPath string, del func(id, version int64) error) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	card := listPath + "/" + strconv.FormatInt(id, 10)
	if err := del(id, version); err != nil {
		switch crm.ErrorCode(err) {
		case crm.EConflict:
			u.flash(r, "danger", "err.stale_version")
			redirect(w, r, card)
		case crm.EInvalid:
			u.flash(r, "danger", firstField(err, crm.ErrorMessage(err)))
			redirect(w, r, card)
		default:
			u.fail(w, r, err)
		}
		return
	}
	u.flash(r, "success", "toast.deleted")
	redirect(w, r, listPath)
}

// restoreRecord brings a record back from the trash and shows it.
func (u *UI) restoreRecord(w http.ResponseWriter, r *http.Request, listPath string, restore func(id int64) error) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	if err := restore(id); err != nil {
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "toast.restored")
	redirect(w, r, listPath+"/"+strconv.FormatInt(id, 10))
}
