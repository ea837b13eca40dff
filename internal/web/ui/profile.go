package ui

import (
	"net/http"
	"strconv"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/web/websession"
)

// The profile pages need no CRM role: a user without one may still keep their own name,
// language, password and tokens.

var profileFields = []string{"full_name", "email", "locale", "timezone"}

type profileData struct {
	Locales   []option
	TimeZones []option
	Roles     []string
	Dirs      []string
}

func (u *UI) profilePage(w http.ResponseWriter, r *http.Request) {
	me, err := u.app.Me(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	f := newForm("/profile", "/")
	f.Version = me.Version
	f.Values.Set("full_name", me.FullName)
	f.Values.Set("email", me.Email)
	f.Values.Set("locale", me.Locale)
	f.Values.Set("timezone", me.TimeZone)
	u.profileForm(w, r, http.StatusOK, f, me)
}

func (u *UI) profileForm(w http.ResponseWriter, r *http.Request, status int, f *form, me *crm.User) {
	lang := u.lang(r)
	d := profileData{Locales: u.localeOptions(), TimeZones: timeZoneOptions(f.Get("timezone"))}
	for _, role := range me.Roles {
		d.Roles = append(d.Roles, roleLabel(lang, string(role)))
	}
	if len(me.Directorates) > 0 && me.Roles.IsCRMUser() {
		names := u.directorateNames(r.Context())
		for _, id := range me.Directorates {
			d.Dirs = append(d.Dirs, names[id])
		}
	}
	data := &formPage{Form: f, Title: u.t(r, "profile.title"), Extra: d}
	u.render(w, r, status, "profile.html", u.newView(r, "profile.title", "profile", data))
}

func (u *UI) profileSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := newForm("/profile", "/")
	f.fromRequest(r)
	name, email, locale, tz := f.Get("full_name"), f.Get("email"), f.Get("locale"), f.Get("timezone")
	me, err := u.app.UpdateProfile(ctx, app.ProfilePatch{Version: f.Version, FullName: &name, Email: &email, Locale: &locale, TimeZone: &tz})
	if err != nil {
		cur, err2 := u.app.Me(ctx)
		if err2 == nil && f.absorb(err, profileFields...) {
			u.profileForm(w, r, formStatus(err), f, cur)
			return
		}
		u.fail(w, r, err)
		return
	}
	// The language follows the profile from the next page on; keep the cookie in step so
	// that the login page speaks it too after logging out.
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: me.Locale, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: u.sm.Cookie.Secure})
	u.flash(r, "success", "toast.saved")
	redirect(w, r, "/profile")
}

func (u *UI) passwordPage(w http.ResponseWriter, r *http.Request) {
	u.passwordForm(w, r, http.StatusOK, newForm("/profile/password", "/profile"))
}

func (u *UI) passwordForm(w http.ResponseWriter, r *http.Request, status int, f *form) {
	data := &formPage{Form: f, Title: u.t(r, "password.title")}
	u.render(w, r, status, "password.html", u.newView(r, "password.title", "profile", data))
}

// passwordSubmit changes the caller's password. A password change ends every other session
// (the auth epoch moves), so this session is logged in again under the new epoch.
func (u *UI) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := newForm("/profile/password", "/profile")
	_ = r.ParseForm()
	next, confirm := r.PostForm.Get("new_password"), r.PostForm.Get("confirm_password")
	if next != confirm {
		f.Errors["confirm_password"] = "password.mismatch"
		u.passwordForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	err := u.app.ChangePassword(ctx, r.PostForm.Get("current_password"), next)
	if err != nil {
		if f.absorb(crm.RenameField(err, "password", "new_password"), "current_password", "new_password", "confirm_password") {
			u.passwordForm(w, r, formStatus(err), f)
			return
		}
		u.fail(w, r, err)
		return
	}
	act := app.ActorFrom(ctx)
	epoch, err := u.app.AuthEpoch(ctx, act.User.ID)
	if err == nil {
		err = websession.LogIn(ctx, u.sm, act.User.ID, epoch)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "password.changed")
	redirect(w, r, "/profile")
}

type tokensData struct {
	Tokens []tokenRow
	Secret string // the new token's secret, shown once
	Form   *form
}

type tokenRow struct {
	ID       int64
	Name     string
	ReadOnly bool
	Created  string
	LastUsed string
	Revoked  string
}

func (u *UI) tokensPage(w http.ResponseWriter, r *http.Request) {
	u.tokensView(w, r, http.StatusOK, newForm("/profile/tokens", "/profile"), "")
}

func (u *UI) tokensView(w http.ResponseWriter, r *http.Request, status int, f *form, secret string) {
	ctx := r.Context()
	tokens, err := u.app.ListTokens(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	lang, loc := u.lang(r), userLocation(ctx)
	d := &tokensData{Secret: secret, Form: f}
	for _, t := range tokens {
		row := tokenRow{ID: t.ID, Name: t.Name, ReadOnly: t.ReadOnly, Created: formatDateTime(lang, t.CreatedAt, loc)}
		if t.LastUsedAt != nil {
			row.LastUsed = formatDateTime(lang, *t.LastUsedAt, loc)
		}
		if t.RevokedAt != nil {
			row.Revoked = formatDateTime(lang, *t.RevokedAt, loc)
		}
		d.Tokens = append(d.Tokens, row)
	}
	v := u.newView(r, "tokens.title", "profile", d)
	if secret != "" {
		v.Toasts = append(v.Toasts, toast{Level: "success", Text: u.t(r, "tokens.created")})
	}
	u.render(w, r, status, "tokens.html", v)
}

// tokenCreate answers with the page itself rather than a redirect: the secret must not pass
// through the session store or a URL.
func (u *UI) tokenCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := newForm("/profile/tokens", "/profile")
	f.fromRequest(r)
	act := app.ActorFrom(ctx)
	secret, _, err := u.app.CreateToken(ctx, act.User.ID, f.Get("name"), f.Get("read_only") != "")
	if err != nil {
		if f.absorb(err, "name") {
			u.tokensView(w, r, formStatus(err), f, "")
			return
		}
		u.fail(w, r, err)
		return
	}
	u.tokensView(w, r, http.StatusOK, newForm("/profile/tokens", "/profile"), secret)
}

func (u *UI) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.notFound(w, r)
		return
	}
	if err := u.app.RevokeToken(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "tokens.revoked")
	redirect(w, r, "/profile/tokens")
}
