package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

var userList = register(&listDef{
	Name: "users", Path: "/admin/users", Entity: crm.EntityUser, Search: true, SearchHint: "users.search_hint",
	Columns: []colDef{
		{Key: "full_name", Label: "field.full_name", Sort: "full_name", Fixed: true},
		{Key: "login", Label: "field.login", Sort: "login", Default: true},
		{Key: "email", Label: "field.email", Sort: "email", Default: true},
		{Key: "roles", Label: "field.roles", Default: true},
		{Key: "directorates", Label: "field.directorates", Default: true},
		{Key: "active", Label: "field.active", Default: true},
		{Key: "locale", Label: "field.locale"},
		{Key: "created_at", Label: "field.created_at", Sort: "created_at"},
	},
	Filters:     []string{"role", "directorate", "active"},
	DefaultSort: "full_name",
})

var userFields = []string{"login", "email", "full_name", "password", "locale", "timezone", "roles",
	"directorates", "phone_ext", "weekly_capacity_h", "active"}

func (u *UI) localeOptions() []option {
	return []option{{Value: "ru", Label: "Русский"}, {Value: "en", Label: "English"}}
}

func (u *UI) userList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s := u.parseList(r, userList)
	s.selectFilter("role", u.t(r, "field.roles"), u.roleOptions(r, crm.AllRoles))
	s.selectFilter("directorate", u.t(r, "field.directorate_id"), u.directorateOptions(ctx))
	s.selectFilter("active", u.t(r, "field.active"), u.activeOptions(r))
	page, err := u.app.ListUsers(ctx, crm.UserFilter{Q: s.Q, Role: crm.Role(s.Filter("role")), DirectorateID: s.Int("directorate"),
		Active: boolFilter(s.Filter("active")), Deleted: s.Deleted, Page: s.Page()})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	names := u.lookup(ctx)
	lang, loc := u.lang(r), userLocation(ctx)
	for _, x := range page.Items {
		href := "/admin/users/" + strconv.FormatInt(x.ID, 10)
		var roles, ds []string
		for _, role := range x.Roles {
			roles = append(roles, roleLabel(lang, string(role)))
		}
		for _, id := range x.Directorates {
			if n := names.directorateName(id); n != "" {
				ds = append(ds, n)
			}
		}
		rw := row{ID: x.ID, Href: href, Cells: map[string]cell{
			"full_name":    {Text: displayName(&x), Href: href},
			"login":        {Text: x.Login},
			"email":        {Text: x.Email, Muted: true},
			"roles":        {List: roles},
			"directorates": {List: ds},
			"active":       activeCell(r, u, x.Active),
			"locale":       {Text: strings.ToUpper(x.Locale)},
			"created_at":   {Text: formatDateTime(lang, x.CreatedAt, loc), Muted: true},
		}}
		if s.Deleted {
			rw.RestoreURL = href + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "users.empty"
	if u.app.Allowed(ctx, app.ActCreate, crm.EntityUser) {
		s.NewURL, s.NewLabel = "/admin/users/new", "users.new"
	}
	u.partial(w, r, "list.html", u.newView(r, "users.title", "admin", s), "list-region")
}

type userCardData struct {
	ResetURL string // "" = the caller may not reset this user's password
	Version  int64
}

func (u *UI) userCard(w http.ResponseWriter, r *http.Request) {
	id, x, ok := pathRecord(u, w, r, u.app.User)
	if !ok {
		return
	}
	ctx := r.Context()
	if !u.app.Allowed(ctx, app.ActRead, crm.EntityUser) {
		u.fail(w, r, crm.ErrForbidden) // one's own record is the profile page
		return
	}
	base := "/admin/users/" + strconv.FormatInt(id, 10)
	lang, loc := u.lang(r), userLocation(ctx)
	people := u.lookup(ctx)
	people.prefetchUsers(x.CreatedBy, x.UpdatedBy)
	c := card{Title: displayName(x), Subtitle: x.Login + " · " + x.Email, Deleted: x.Deleted()}
	if !x.Active {
		c.Badge, c.BadgeCol = u.t(r, "common.inactive"), "secondary"
	}
	c.Tabs, c.Tab = u.cardTabs(r, base)
	// crm_admin manages users but not admins: offer nothing the app would refuse.
	manage := u.app.CanManageUser(ctx, x)
	if manage {
		u.recordActions(r, &c, crm.EntityUser, base, x.Meta, u.t(r, "users.delete_confirm", "Name", displayName(x)))
	}
	if x.ID == app.ActorFrom(ctx).User.ID {
		c.Delete = nil
	}
	var roles, ds []string
	for _, role := range x.Roles {
		roles = append(roles, roleLabel(lang, string(role)))
	}
	for i, d := range x.Directorates {
		n := people.directorateName(d)
		if i == 0 {
			n += " (" + u.t(r, "users.default_directorate") + ")"
		}
		ds = append(ds, n)
	}
	extra := userCardData{Version: x.Version}
	if manage && !x.Deleted() {
		extra.ResetURL = base + "/password"
	}
	data := &cardPage{Card: c, Back: "/admin/users", BackLabel: "users.title", Extra: extra, Props: []prop{
		{Label: u.t(r, "field.roles"), Value: strings.Join(roles, ", ")},
		{Label: u.t(r, "field.directorates"), Value: strings.Join(ds, ", ")},
		{Label: u.t(r, "field.locale"), Value: strings.ToUpper(x.Locale)},
		{Label: u.t(r, "field.timezone"), Value: x.TimeZone},
		{Label: u.t(r, "field.phone_ext"), Value: x.PhoneExt},
		{Label: u.t(r, "field.weekly_capacity_h"), Value: strconv.Itoa(x.WeeklyCapacityH)},
		{Label: u.t(r, "field.active"), Value: yesNo(r, u, x.Active)},
		{Label: u.t(r, "field.created_at"), Value: formatDateTime(lang, x.CreatedAt, loc) + byWhom(people, x.CreatedBy)},
		{Label: u.t(r, "field.updated_at"), Value: formatDateTime(lang, x.UpdatedAt, loc) + byWhom(people, x.UpdatedBy)},
	}}
	u.showCard(w, r, "user_card.html", "admin", crm.EntityUser, id, data)
}

func (u *UI) userNew(w http.ResponseWriter, r *http.Request) {
	if !u.app.Allowed(r.Context(), app.ActCreate, crm.EntityUser) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/admin/users/new", "/admin/users")
	f.New = true
	f.Values.Set("locale", "ru")
	f.Values.Set("timezone", crm.DefaultTimeZone)
	f.Values.Set("weekly_capacity_h", "40")
	f.Values.Set("active", "1")
	f.Values["roles"] = []string{string(crm.RoleSales)}
	u.userForm(w, r, http.StatusOK, f, nil)
}

func (u *UI) userEdit(w http.ResponseWriter, r *http.Request) {
	id, x, ok := pathRecord(u, w, r, u.app.User)
	if !ok {
		return
	}
	ctx := r.Context()
	switch {
	case x.Deleted() || !u.app.Allowed(ctx, app.ActUpdate, crm.EntityUser):
		u.fail(w, r, crm.ErrForbidden)
		return
	case !u.app.CanManageUser(ctx, x):
		u.fail(w, r, &crm.Error{Code: crm.EForbidden, Message: "err.grant_admin"}) // crm_admin does not manage admins
		return
	}
	base := "/admin/users/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	f.Version = x.Version
	f.Values.Set("login", x.Login)
	f.Values.Set("email", x.Email)
	f.Values.Set("full_name", x.FullName)
	f.Values.Set("locale", x.Locale)
	f.Values.Set("timezone", x.TimeZone)
	f.Values.Set("phone_ext", x.PhoneExt)
	f.Values.Set("weekly_capacity_h", strconv.Itoa(x.WeeklyCapacityH))
	for _, role := range x.Roles {
		f.Values.Add("roles", string(role))
	}
	f.Values["directorates"] = idStrings(x.Directorates)
	if x.Active {
		f.Values.Set("active", "1")
	}
	u.userForm(w, r, http.StatusOK, f, x)
}

type userFormData struct {
	Roles        []option
	Locales      []option
	TimeZones    []option
	Picker       picker
	Record       *crm.User
	MinPassword  int
	DirectorateE string
}

// picker is the ordered directorate chooser: Alpine draws it from JSON, and the server-drawn
// hidden inputs keep the order when scripts do not run.
type picker struct {
	OptJSON  string
	SelJSON  string
	Selected []option
}

func (u *UI) userForm(w http.ResponseWriter, r *http.Request, status int, f *form, x *crm.User) {
	ctx := r.Context()
	// Only admin grants admin (the app refuses it anyway): offer only what the caller may give.
	roles := u.roleOptions(r, u.app.GrantableRoles(ctx))
	dirs := u.directorateOptions(ctx)
	names := u.lookup(ctx)
	var sel []option
	for _, id := range f.All("directorates") {
		n, _ := strconv.ParseInt(id, 10, 64)
		label := names.directorateName(n)
		if label == "" {
			label = "#" + id
		}
		sel = append(sel, option{Value: id, Label: label})
	}
	optJSON, _ := json.Marshal(dirs)
	selJSON, _ := json.Marshal(sel)
	title, back, backLabel := "users.new", "/admin/users", "users.title"
	if x != nil {
		title, back, backLabel = "users.edit", "/admin/users/"+strconv.FormatInt(x.ID, 10), "common.back_to_card"
	}
	data := &formPage{Form: f, Title: u.t(r, title), Back: back, BackLabel: backLabel, Extra: userFormData{
		Roles: roles, Locales: u.localeOptions(), TimeZones: timeZoneOptions(f.Get("timezone")),
		Picker: picker{OptJSON: string(optJSON), SelJSON: string(selJSON), Selected: sel}, Record: x,
		MinPassword: crm.MinPasswordLength, DirectorateE: f.Error("directorates"),
	}}
	u.render(w, r, status, "user_form.html", u.newView(r, title, "admin", data))
}

func readUserForm(r *http.Request, f *form) (app.UserInput, bool) {
	f.fromRequest(r)
	in := app.UserInput{Login: f.Get("login"), Email: f.Get("email"), FullName: f.Get("full_name"),
		Password: f.Get("password"), Locale: f.Get("locale"), TimeZone: f.Get("timezone"),
		Directorates: ids(f.All("directorates")), PhoneExt: f.Get("phone_ext"), Active: f.Get("active") != ""}
	for _, role := range f.All("roles") {
		in.Roles = append(in.Roles, crm.Role(role))
	}
	if in.Roles == nil {
		in.Roles = []crm.Role{}
	}
	if v := strings.TrimSpace(f.Get("weekly_capacity_h")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.Errors["weekly_capacity_h"] = "err.number_format"
		}
		in.WeeklyCapacityH = n
	}
	// The password is never shown back, even after an error.
	f.Values.Del("password")
	return in, len(f.Errors) == 0
}

func (u *UI) userCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/admin/users/new", "/admin/users")
	f.New = true
	in, ok := readUserForm(r, f)
	u.finishSave(w, r, u.userSave(w, r, f, nil, "toast.created"), ok, func() (int64, error) {
		x, err := u.app.CreateUser(r.Context(), in)
		if err != nil {
			return 0, err
		}
		return x.ID, nil
	})
}

func (u *UI) userUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.User)
	if !ok {
		return
	}
	base := "/admin/users/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in, ok := readUserForm(r, f)
	f.Values.Set("login", cur.Login) // the login is fixed after creation
	u.finishSave(w, r, u.userSave(w, r, f, cur, "toast.saved"), ok, func() (int64, error) {
		roles := in.Roles
		_, err := u.app.UpdateUser(r.Context(), id, app.UserPatch{Version: f.Version, Email: &in.Email, FullName: &in.FullName,
			Locale: &in.Locale, TimeZone: &in.TimeZone, Roles: &roles, Directorates: &in.Directorates,
			PhoneExt: &in.PhoneExt, WeeklyCapacityH: &in.WeeklyCapacityH, Active: &in.Active})
		return id, err
	})
}

// userSave is how the user form ends; cur is the user edited, nil for a new one.
func (u *UI) userSave(w http.ResponseWriter, r *http.Request, f *form, cur *crm.User, toast string) formSave {
	return formSave{form: f, fields: userFields, toast: toast, list: "/admin/users",
		show: func(status int) { u.userForm(w, r, status, f, cur) }}
}

// userResetPassword sets a new password chosen by an administrator.
func (u *UI) userResetPassword(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	base := "/admin/users/" + strconv.FormatInt(id, 10)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	pw := r.PostFormValue("password")
	_, err := u.app.UpdateUser(r.Context(), id, app.UserPatch{Version: version, Password: &pw})
	if err != nil {
		switch crm.ErrorCode(err) {
		case crm.EInvalid, crm.EConflict:
			u.flash(r, "danger", firstField(err, crm.ErrorMessage(err)))
			redirect(w, r, base)
		default:
			u.fail(w, r, err)
		}
		return
	}
	u.flash(r, "success", "users.password_reset_done")
	redirect(w, r, base)
}

func (u *UI) userDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/admin/users", func(id, version int64) error { return u.app.DeleteUser(r.Context(), id, version) })
}

func (u *UI) userRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/admin/users", func(id int64) error { return u.app.RestoreUser(r.Context(), id) })
}
