package ui

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/i18n"
	"github.com/ladder-crm/ladder/internal/web/websession"
)

type loginData struct {
	Login     string
	Next      string
	Error     string // translated; the same text for every failure
	Demo      bool
	DemoUsers []DemoUser
}

func (u *UI) loginPage(w http.ResponseWriter, r *http.Request) {
	if act := app.ActorFrom(r.Context()); act != nil && act.User != nil {
		http.Redirect(w, r, u.landing(act, r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	u.showLogin(w, r, http.StatusOK, "", "")
}

func (u *UI) showLogin(w http.ResponseWriter, r *http.Request, status int, login, errText string) {
	next := localPath(r.FormValue("next"), "")
	v := u.newView(r, "login.title", "", nil)
	v.BodyClass = "d-flex flex-column bg-body-tertiary"
	v.D = loginData{Login: login, Next: next, Error: errText, Demo: u.opts.Demo, DemoUsers: u.opts.DemoUsers}
	u.render(w, r, status, "login.html", v)
}

func (u *UI) loginSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	login := strings.TrimSpace(r.PostFormValue("login"))
	done, ok := u.logins.begin(remoteIP(r))
	if !ok {
		u.showLogin(w, r, http.StatusTooManyRequests, login, u.t(r, "err.bad_login"))
		return
	}
	user, err := u.app.Login(ctx, login, r.PostFormValue("password"))
	done(err != nil)
	if err != nil {
		if err == app.ErrBadLogin {
			u.showLogin(w, r, http.StatusUnauthorized, login, u.t(r, "err.bad_login"))
			return
		}
		u.fail(w, r, err)
		return
	}
	epoch, err := u.app.AuthEpoch(ctx, user.ID)
	if err == nil {
		err = websession.LogIn(ctx, u.sm, user.ID, epoch)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, u.landing(&app.Actor{User: user}, r.PostFormValue("next")), http.StatusSeeOther)
}

// landing is where a user lands after logging in: the page they asked for, else the dashboard;
// users with no CRM role can only see their profile.
func (u *UI) landing(act *app.Actor, next string) string {
	if !act.User.Roles.IsCRMUser() {
		return "/profile"
	}
	return localPath(next, "/")
}

func (u *UI) logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u.app.Logout(ctx)
	if err := websession.LogOut(ctx, u.sm); err != nil {
		u.fail(w, r, err)
		return
	}
	redirect(w, r, "/login")
}

// switchLang keeps the chosen language in a cookie (it speaks for the login page too) and, for a
// logged-in user, in the profile, where it follows them to other browsers.
func (u *UI) switchLang(w http.ResponseWriter, r *http.Request) {
	lang := strings.ToLower(r.PostFormValue("lang"))
	if !i18n.Supported(lang) {
		u.errorPage(w, r, http.StatusUnprocessableEntity, "err.locale")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: u.sm.Cookie.Secure})
	ctx := r.Context()
	if act := app.ActorFrom(ctx); act != nil && act.User != nil && act.User.Locale != lang {
		me, err := u.app.Me(ctx)
		if err == nil {
			_, err = u.app.UpdateProfile(ctx, app.ProfilePatch{Version: me.Version, Locale: &lang})
		}
		if err != nil {
			u.fail(w, r, err)
			return
		}
	}
	redirect(w, r, localPath(r.PostFormValue("next"), "/"))
}

// loginLimiter slows down password guessing per client IP: 10 failed attempts a minute, 5 at
// once. Attempts in flight count against the budget, so parallel guesses cannot slip past it;
// successful logins cost nothing, so people behind one office NAT are not locked out.
type loginLimiter struct {
	mu   sync.Mutex
	byIP map[string]*ipBudget
	seen time.Time
}

type ipBudget struct {
	lim      *rate.Limiter
	inFlight int
}

func newLoginLimiter() *loginLimiter { return &loginLimiter{byIP: map[string]*ipBudget{}} }

// begin starts an attempt from ip; ok is false when the budget is spent. done must be called
// with the outcome.
func (l *loginLimiter) begin(ip string) (done func(failed bool), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	// After a quiet minute every budget is full again, so forgetting them all loses nothing
	// and keeps the map from growing without bound.
	if len(l.byIP) > 10000 || now.Sub(l.seen) > time.Minute {
		clear(l.byIP)
	}
	l.seen = now
	b, found := l.byIP[ip]
	if !found {
		b = &ipBudget{lim: rate.NewLimiter(rate.Every(6*time.Second), 5)}
		l.byIP[ip] = b
	}
	if b.lim.TokensAt(now)-float64(b.inFlight) < 1 {
		return nil, false
	}
	b.inFlight++
	return func(failed bool) {
		l.mu.Lock()
		defer l.mu.Unlock()
		b.inFlight--
		if failed {
			b.lim.AllowN(time.Now(), 1)
		}
	}, true
}

// remoteIP is the client address as the server middleware saw it (it honours the proxy
// setting), else the connection's peer.
func remoteIP(r *http.Request) string {
	if ip := app.RequestIP(r.Context()); ip != "" {
		return ip
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
