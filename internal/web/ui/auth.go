package ui

import (
	"container/list"
	"net"
	"net/http"
	"net/netip"
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

// loginLimiter slows down password guessing per client: 10 failed attempts a minute, 5 at
// once. Attempts in flight count against the budget, so parallel guesses cannot slip past it;
// successful logins cost nothing, so people behind one office NAT are not locked out.
//
// A client is an IPv4 address or an IPv6 /64: one host commonly holds a whole /64, and
// rotating addresses inside it must not buy new budgets. The table is bounded: past max
// clients the least recently seen one is forgotten. Forgetting everyone at once instead would
// let a flood of new addresses hand a spent budget back to the guesser behind it.
type loginLimiter struct {
	mu     sync.Mutex
	max    int
	byKey  map[string]*list.Element // of *clientBudget
	recent *list.List               // most recently seen first
	seen   time.Time
}

type clientBudget struct {
	key      string
	lim      *rate.Limiter
	inFlight int
}

// maxLoginClients bounds the limiter's memory: about 150 bytes a client.
const maxLoginClients = 10000

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{max: maxLoginClients, byKey: map[string]*list.Element{}, recent: list.New()}
}

// begin starts an attempt from ip; ok is false when the budget is spent. done must be called
// with the outcome.
func (l *loginLimiter) begin(ip string) (done func(failed bool), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	// After a quiet minute every budget is full again: forgetting them all loses nothing.
	if now.Sub(l.seen) > time.Minute {
		clear(l.byKey)
		l.recent.Init()
	}
	l.seen = now
	key := clientKey(ip)
	var b *clientBudget
	if e, found := l.byKey[key]; found {
		l.recent.MoveToFront(e)
		b = e.Value.(*clientBudget)
	} else {
		for l.recent.Len() >= l.max {
			oldest := l.recent.Back()
			delete(l.byKey, oldest.Value.(*clientBudget).key)
			l.recent.Remove(oldest)
		}
		b = &clientBudget{key: key, lim: rate.NewLimiter(rate.Every(6*time.Second), 5)}
		l.byKey[key] = l.recent.PushFront(b)
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

// clientKey is the limiter's name of a client: the IPv4 address (IPv4-mapped IPv6 included),
// or the /64 prefix of an IPv6 address. Anything unparsable is its own key.
func clientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
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
