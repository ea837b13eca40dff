package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
	"github.com/ladder-crm/ladder/internal/web/websession"
)

// view is the root of every template: the layout's data plus the screen's own in D.
type view struct {
	Lang      string
	User      *crm.User
	Title     string // translated
	Nav       string // active navigation item
	Path      string // the request URI, where the language switch comes back to
	Version   string
	Toasts    []toast
	BodyClass string
	D         any

	ctx context.Context
	app *app.App
	loc *time.Location
}

type toast struct {
	Level string // success, danger, warning, info
	Text  string
}

// Can tells the layout and screens whether to offer an action on an entity at all; the use
// cases check again on every call.
func (v *view) Can(action, entity string) bool {
	return v.app.Allowed(v.ctx, app.Action(action), entity)
}

// CRMUser reports whether the user holds any CRM role (no role: profile only).
func (v *view) CRMUser() bool { return v.User != nil && v.User.Roles.IsCRMUser() }

// DateTime shows an instant in the user's time zone.
func (v *view) DateTime(t any) string {
	switch x := t.(type) {
	case time.Time:
		return formatDateTime(v.Lang, x, v.loc)
	case *time.Time:
		if x != nil {
			return formatDateTime(v.Lang, *x, v.loc)
		}
	}
	return ""
}

// Day shows a calendar day (no time zone: a date is the same day everywhere).
func (v *view) Day(d any) string {
	switch x := d.(type) {
	case crm.Date:
		return formatDay(v.Lang, x.Time)
	case *crm.Date:
		if x != nil {
			return formatDay(v.Lang, x.Time)
		}
	}
	return ""
}

// TimeZone names the zone times are shown in.
func (v *view) TimeZone() string { return v.loc.String() }

// Initials for the avatar in the top bar.
func (v *view) Initials() string {
	if v.User == nil {
		return ""
	}
	name := v.User.FullName
	if name == "" {
		name = v.User.Login
	}
	var out []rune
	for _, w := range strings.Fields(name) {
		out = append(out, []rune(strings.ToUpper(w))[0])
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// newView prepares the layout data of a request.
func (u *UI) newView(r *http.Request, title, nav string, data any) *view {
	ctx := r.Context()
	v := &view{Lang: u.lang(r), Title: title, Nav: nav, Path: r.URL.RequestURI(), Version: u.opts.Version,
		D: data, ctx: ctx, app: u.app, loc: location("")}
	if act := app.ActorFrom(ctx); act != nil && act.User != nil {
		v.User = act.User
		v.loc = location(act.User.TimeZone)
	}
	if title != "" {
		v.Title = u.t(r, title)
	}
	if key := websession.PopFlash(ctx, u.sm); key != "" {
		level, key, _ := strings.Cut(key, ":")
		v.Toasts = append(v.Toasts, toast{Level: level, Text: u.t(r, key)})
	}
	return v
}

// lang is the language of a request: the user's profile, else the lang cookie, else what the
// browser asks for (Russian when it asks for neither).
func (u *UI) lang(r *http.Request) string {
	if act := app.ActorFrom(r.Context()); act != nil && act.User != nil && i18n.Supported(act.User.Locale) {
		return strings.ToLower(act.User.Locale)
	}
	if c, err := r.Cookie("lang"); err == nil && i18n.Supported(c.Value) {
		return strings.ToLower(c.Value)
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language"))
}

func (u *UI) t(r *http.Request, key string, kv ...any) string {
	return i18n.Default().T(u.lang(r), key, pairs(kv))
}

// render writes a full page: layout + the page's "content".
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	u.execute(w, r, status, page, "layout", v)
}

// execute runs one named template of a page set into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (u *UI) execute(w http.ResponseWriter, r *http.Request, status int, page, name string, v *view) {
	t, err := u.tmpl.lookup(v.Lang, page)
	var buf bytes.Buffer
	if err == nil {
		err = t.ExecuteTemplate(&buf, name, v)
	}
	if err != nil {
		u.log.Error("render", "page", page, "block", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "HX-Request")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// partial answers an htmx request for one region of a page (HX-Target names it) with just
// that block; history restores and plain requests get the whole page.
func (u *UI) partial(w http.ResponseWriter, r *http.Request, page string, v *view, regions ...string) {
	if isHTMX(r) && r.Header.Get("HX-History-Restore-Request") != "true" {
		target := r.Header.Get("HX-Target")
		for _, reg := range regions {
			if target == reg {
				for _, t := range v.Toasts {
					triggerToast(w, t)
				}
				u.execute(w, r, http.StatusOK, page, reg, v)
				return
			}
		}
	}
	u.render(w, r, http.StatusOK, page, v)
}

func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// triggerToast asks the page (static/js/app.js) to show a toast after an htmx swap.
func triggerToast(w http.ResponseWriter, t toast) {
	b, _ := json.Marshal(map[string]toast{"ladder:toast": t})
	w.Header().Set("HX-Trigger", asciiJSON(b))
}

// asciiJSON escapes every non-ASCII character of a JSON text as \uXXXX: browsers read
// response headers as Latin-1, so raw UTF-8 in HX-Trigger would arrive as mojibake.
func asciiJSON(b []byte) string {
	var sb strings.Builder
	for _, r := range string(b) {
		switch {
		case r < 0x80:
			sb.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&sb, "\\u%04x\\u%04x", r1, r2)
		default:
			fmt.Fprintf(&sb, "\\u%04x", r)
		}
	}
	return sb.String()
}

// flash keeps a toast for the page after a redirect. level is success, danger, warning, info.
func (u *UI) flash(r *http.Request, level, key string) {
	websession.Flash(r.Context(), u.sm, level+":"+key)
}

// redirect sends the browser on after a POST (303 so that a reload does not resubmit); for
// htmx requests it asks htmx to navigate.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath accepts only a path on this site as a redirect target (no open redirects).
func localPath(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return fallback
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return next
}

// authed lets only logged-in users through; anonymous visitors go to the login page and
// come back afterwards.
func (u *UI) authed(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if act := app.ActorFrom(r.Context()); act == nil || act.User == nil {
			to := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			redirect(w, r, to)
			return
		}
		h(w, u.withLookup(r))
	})
}

type errorPage struct {
	Status  int
	Heading string
	Message string
}

// fail shows a domain error as the right page: 403, 404, 409, 422 or 500 in the user's
// language. Only internal errors are logged: the others are the user's, not ours.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch crm.ErrorCode(err) {
	case crm.ENotFound:
		status = http.StatusNotFound
	case crm.EForbidden:
		status = http.StatusForbidden
	case crm.EUnauthorized:
		redirect(w, r, "/login")
		return
	case crm.EConflict:
		status = http.StatusConflict
	case crm.EInvalid:
		status = http.StatusUnprocessableEntity
	case crm.ETooMany:
		status = http.StatusTooManyRequests
	default:
		if errors.Is(err, context.Canceled) {
			return
		}
		u.log.Error("ui", "path", r.URL.Path, "err", err)
	}
	u.errorPage(w, r, status, crm.ErrorMessage(err))
}

func (u *UI) errorPage(w http.ResponseWriter, r *http.Request, status int, msgKey string) {
	heading := map[int]string{
		http.StatusForbidden: "error.403", http.StatusNotFound: "error.404",
		http.StatusConflict: "error.409", http.StatusUnprocessableEntity: "error.422",
		http.StatusTooManyRequests: "error.429",
	}[status]
	if heading == "" {
		heading = "error.500"
	}
	if status == http.StatusInternalServerError {
		msgKey = "err.internal"
	}
	v := u.newView(r, heading, "", nil)
	v.D = errorPage{Status: status, Heading: v.Title, Message: u.t(r, msgKey)}
	if isHTMX(r) {
		triggerToast(w, toast{Level: "danger", Text: u.t(r, msgKey)})
		w.Header().Set("HX-Reswap", "none")
	}
	u.render(w, r, status, "error.html", v)
}

func (u *UI) notFound(w http.ResponseWriter, r *http.Request) {
	u.errorPage(w, r, http.StatusNotFound, "err.not_found")
}
