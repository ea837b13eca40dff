package ui

import (
	"context"
	"net/http"
	"sort"
	"strconv"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// prop is one label → value line of a card's main tab.
type prop struct {
	Label string // translated
	Value string
	Href  string
}

// cardPage is the data of every record page: the shared card frame plus the record's
// properties; screens put anything else in Extra.
type cardPage struct {
	Card      card
	Back      string
	BackLabel string // catalogue key
	Props     []prop
	Notes     string // long text shown under the properties
	Extra     any
}

// formPage is the data of every edit page.
type formPage struct {
	Form      *form
	Title     string
	Back      string
	BackLabel string // catalogue key
	Extra     any
}

// lookup turns the ids a page shows (directorates, responsible users, heads, authors) into
// names, once per request: authed gives every request one, so that the list, its filter bar
// and its rows share what was read. Directorates come from one list call; users from the
// lists the page reads anyway (filter options) and, when a page shows several unknown ones,
// from one more list call; any still unknown (deleted, past one page of users) are read one by
// one, each distinct id once.
type lookup struct {
	app       *app.App
	ctx       context.Context
	users     map[int64]string
	listed    bool              // every live user has been asked for once
	dirs      []crm.Directorate // live, by name; nil until first needed
	dirNames  map[int64]string
	dirsTried bool // the live list was asked for (it may have failed)
	trash     bool // the trash was asked for (admins only; others keep ids)
}

type lookupKey struct{}

// withLookup gives the request its lookup.
func (u *UI) withLookup(r *http.Request) *http.Request {
	l := &lookup{app: u.app, users: map[int64]string{}}
	l.ctx = context.WithValue(r.Context(), lookupKey{}, l)
	return r.WithContext(l.ctx)
}

// lookup returns the request's lookup; a context without one (a handler outside authed) gets
// a fresh one.
func (u *UI) lookup(ctx context.Context) *lookup {
	if l, ok := ctx.Value(lookupKey{}).(*lookup); ok {
		return l
	}
	return &lookup{app: u.app, ctx: ctx, users: map[int64]string{}}
}

// directorates lists the live directorates the caller may read, by name (counted in tens).
func (l *lookup) directorates() []crm.Directorate {
	if !l.dirsTried {
		l.dirsTried = true
		l.dirNames = map[int64]string{}
		page, err := l.app.ListDirectorates(l.ctx, crm.DirectorateFilter{Page: crm.PageRequest{Limit: crm.MaxPageSize, Sort: "name"}})
		if err == nil {
			l.dirs = page.Items
		}
		for _, d := range l.dirs {
			l.dirNames[d.ID] = d.Name
		}
	}
	return l.dirs
}

// directorateName is a live directorate's name; "" for others.
func (l *lookup) directorateName(id int64) string {
	l.directorates()
	return l.dirNames[id]
}

// anyDirectorateName names a directorate even from the trash (the audit log speaks of deleted
// ones too); "#id" where the caller may not see it.
func (l *lookup) anyDirectorateName(id int64) string {
	if s := l.directorateName(id); s != "" {
		return s
	}
	if !l.trash {
		l.trash = true
		page, err := l.app.ListDirectorates(l.ctx, crm.DirectorateFilter{Deleted: true, Page: crm.PageRequest{Limit: crm.MaxPageSize}})
		if err == nil {
			for _, d := range page.Items {
				l.dirNames[d.ID] = d.Name
			}
		}
	}
	if s, ok := l.dirNames[id]; ok {
		return s
	}
	return "#" + strconv.FormatInt(id, 10)
}

// directorateNames maps every live directorate the caller may read to its name.
func (u *UI) directorateNames(ctx context.Context) map[int64]string {
	l := u.lookup(ctx)
	out := make(map[int64]string, len(l.directorates()))
	for _, d := range l.directorates() {
		out[d.ID] = d.Name
	}
	return out
}

// directorateOptions lists live directorates for filters and multi-selects, by name. The
// slice is the caller's own: filter bars mark the selected option in it.
func (u *UI) directorateOptions(ctx context.Context) []option {
	dirs := u.lookup(ctx).directorates()
	out := make([]option, 0, len(dirs))
	for _, d := range dirs {
		out = append(out, option{Value: strconv.FormatInt(d.ID, 10), Label: d.Name})
	}
	return out
}

// userOptions lists active users for "responsible" selects and filters. Ladder's users are
// counted in hundreds at most, so a select (with the browser's type-ahead) serves.
func (u *UI) userOptions(ctx context.Context) []option {
	l := u.lookup(ctx)
	active := true
	page, err := u.app.ListUsers(ctx, crm.UserFilter{Active: &active, Page: crm.PageRequest{Limit: crm.MaxPageSize, Sort: "full_name"}})
	if err != nil {
		return nil
	}
	out := make([]option, 0, len(page.Items))
	for _, x := range page.Items {
		l.users[x.ID] = displayName(&x)
		out = append(out, option{Value: strconv.FormatInt(x.ID, 10), Label: displayName(&x)})
	}
	return out
}

// userFilter offers the users of a filter select and keeps the chosen one, whoever it is: a
// deactivated or deleted user's records and actions stay findable by their id.
func (u *UI) userFilter(ctx context.Context, s *listState, name, label string) {
	opts := u.userOptions(ctx)
	if id := s.Int(name); id > 0 {
		s.Filters.Set(name, formatID(id)) // "007" is user 7
		opts = ensureOption(opts, formatID(id), u.lookup(ctx).user(id))
	} else {
		s.Filters.Del(name)
	}
	s.selectFilter(name, label, opts)
}

func displayName(x *crm.User) string {
	if x.FullName != "" {
		return x.FullName
	}
	return x.Login
}

// prefetchUsers reads the names of the users a page is about to show. Two or more distinct
// unknown ids are read with one list of the live users rather than one by one.
func (l *lookup) prefetchUsers(ids ...*int64) {
	if l.listed {
		return
	}
	missing := map[int64]bool{}
	for _, id := range ids {
		if id != nil && *id > 0 {
			if _, ok := l.users[*id]; !ok {
				missing[*id] = true
			}
		}
	}
	if len(missing) < 2 {
		return
	}
	l.listed = true
	page, err := l.app.ListUsers(l.ctx, crm.UserFilter{Page: crm.PageRequest{Limit: crm.MaxPageSize, Sort: "id"}})
	if err != nil {
		return // the names are read one by one instead
	}
	for _, x := range page.Items {
		l.users[x.ID] = displayName(&x)
	}
}

// user is one user's name; "#id" when the caller may not read it or it does not exist.
func (l *lookup) user(id int64) string {
	if s, ok := l.users[id]; ok {
		return s
	}
	s := "#" + strconv.FormatInt(id, 10)
	if x, err := l.app.User(l.ctx, id); err == nil {
		s = displayName(x)
	}
	l.users[id] = s
	return s
}

// userName is the name of an optional user reference; "" for none.
func (l *lookup) userName(id *int64) string {
	if id == nil || *id == 0 {
		return ""
	}
	return l.user(*id)
}

// ensureOption keeps a stored value selectable even when the user could not pick it now
// (a directorate they left, a deactivated user): saving the form unchanged must not fail.
func ensureOption(opts []option, value, label string) []option {
	if value == "" {
		return opts
	}
	for _, o := range opts {
		if o.Value == value {
			return opts
		}
	}
	return append(opts, option{Value: value, Label: label})
}

// roleOptions lists roles in the order the product documents them (crm.AllRoles).
func (u *UI) roleOptions(r *http.Request, roles []crm.Role) []option {
	lang := u.lang(r)
	out := make([]option, 0, len(roles))
	for _, role := range roles {
		out = append(out, option{Value: string(role), Label: roleLabel(lang, string(role))})
	}
	return out
}

// timeZoneOptions are the zones offered in the profile: Russia's, then a few common ones.
var timeZones = []string{
	"Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
	"Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
	"Asia/Magadan", "Asia/Kamchatka", "Europe/Minsk", "Asia/Almaty", "Asia/Tashkent", "Asia/Dubai",
	"Europe/Istanbul", "Europe/Berlin", "Europe/London", "America/New_York", "UTC",
}

func timeZoneOptions(current string) []option {
	zs := append([]string(nil), timeZones...)
	if current != "" && !contains(zs, current) {
		zs = append(zs, current)
		sort.Strings(zs)
	}
	out := make([]option, 0, len(zs))
	for _, z := range zs {
		out = append(out, option{Value: z, Label: z})
	}
	return out
}
