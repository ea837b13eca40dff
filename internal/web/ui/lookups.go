package ui

import (
	"context"
	"net/http"
	"sort"
	"strconv"

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

// directorateNames maps every directorate the caller may read to its name (the list is
// short: directorates are counted in tens).
func (u *UI) directorateNames(ctx context.Context) map[int64]string {
	out := map[int64]string{}
	page, err := u.app.ListDirectorates(ctx, crm.DirectorateFilter{Page: crm.PageRequest{Limit: crm.MaxPageSize, Sort: "name"}})
	if err != nil {
		return out
	}
	for _, d := range page.Items {
		out[d.ID] = d.Name
	}
	return out
}

// directorateOptions lists live directorates for filters and multi-selects, by name.
func (u *UI) directorateOptions(ctx context.Context) []option {
	page, err := u.app.ListDirectorates(ctx, crm.DirectorateFilter{Page: crm.PageRequest{Limit: crm.MaxPageSize, Sort: "name"}})
	if err != nil {
		return nil
	}
	out := make([]option, 0, len(page.Items))
	for _, d := range page.Items {
		out = append(out, option{Value: strconv.FormatInt(d.ID, 10), Label: d.Name})
	}
	return out
}

// userOptions lists active users for "responsible" selects and filters. Ladder's users are
// counted in hundreds at most, so a select (with the browser's type-ahead) serves.
func (u *UI) userOptions(ctx context.Context) []option {
	active := true
	page, err := u.app.ListUsers(ctx, crm.UserFilter{Active: &active, Page: crm.PageRequest{Limit: crm.MaxPageSize, Sort: "full_name"}})
	if err != nil {
		return nil
	}
	out := make([]option, 0, len(page.Items))
	for _, x := range page.Items {
		out = append(out, option{Value: strconv.FormatInt(x.ID, 10), Label: displayName(&x)})
	}
	return out
}

func displayName(x *crm.User) string {
	if x.FullName != "" {
		return x.FullName
	}
	return x.Login
}

// userName reads one user's name through a per-request cache.
type userCache struct {
	u     *UI
	ctx   context.Context
	names map[int64]string
}

func (u *UI) userCache(ctx context.Context) *userCache {
	return &userCache{u: u, ctx: ctx, names: map[int64]string{}}
}

func (c *userCache) name(id *int64) string {
	if id == nil || *id == 0 {
		return ""
	}
	if s, ok := c.names[*id]; ok {
		return s
	}
	s := "#" + strconv.FormatInt(*id, 10)
	if x, err := c.u.app.User(c.ctx, *id); err == nil {
		s = displayName(x)
	}
	c.names[*id] = s
	return s
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

// roleOptions lists every role in the order the product documents them.
func (u *UI) roleOptions(r *http.Request) []option {
	lang := u.lang(r)
	out := make([]option, 0, len(crm.AllRoles))
	for _, role := range crm.AllRoles {
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
