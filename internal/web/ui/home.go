package ui

import (
	"net/http"
	"strconv"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

type homeData struct {
	Stats  []stat
	Recent []auditRow // for audit readers
}

type stat struct {
	Label string // catalogue key
	Value string
	Icon  string
	Href  string
	Tone  string
}

// home is the dashboard: a few counts and, for those who read the log, the latest changes.
func (u *UI) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	act := app.ActorFrom(ctx)
	if !act.User.Roles.IsCRMUser() {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	lang := u.lang(r)
	count := func(total int) string {
		if total >= crm.TotalCap {
			return formatInt(lang, int64(total)) + "+"
		}
		return formatInt(lang, int64(total))
	}
	one := crm.PageRequest{Limit: 1}
	var d homeData
	if p, err := u.app.ListProjects(ctx, crm.ProjectFilter{Status: crm.ProjectActive, Page: one}); err == nil {
		d.Stats = append(d.Stats, stat{Label: "home.active_projects", Value: count(p.Total), Icon: "briefcase", Href: "/projects?status=active", Tone: "primary"})
	}
	if p, err := u.app.ListProjects(ctx, crm.ProjectFilter{ResponsibleID: act.User.ID, Page: one}); err == nil {
		d.Stats = append(d.Stats, stat{Label: "home.my_projects", Value: count(p.Total), Icon: "user", Href: "/projects?responsible=" + strconv.FormatInt(act.User.ID, 10), Tone: "green"})
	}
	if p, err := u.app.ListDirectorates(ctx, crm.DirectorateFilter{Page: one}); err == nil {
		d.Stats = append(d.Stats, stat{Label: "home.directorates", Value: count(p.Total), Icon: "building-community", Href: "/admin/directorates", Tone: "azure"})
	}
	if p, err := u.app.ListProducts(ctx, crm.ProductFilter{Page: one}); err == nil {
		d.Stats = append(d.Stats, stat{Label: "home.products", Value: count(p.Total), Icon: "package", Href: "/admin/products", Tone: "orange"})
	}
	if u.app.Allowed(ctx, app.ActRead, crm.EntityAudit) {
		if p, err := u.app.ListUsers(ctx, crm.UserFilter{Page: one}); err == nil {
			d.Stats = append(d.Stats, stat{Label: "home.users", Value: count(p.Total), Icon: "users", Href: "/admin/users", Tone: "purple"})
		}
		page, err := u.app.ListAudit(ctx, crm.AuditFilter{Page: crm.PageRequest{Limit: 10, Desc: true}})
		if err != nil {
			u.fail(w, r, err)
			return
		}
		d.Recent = u.auditRows(r, page.Items)
	}
	u.render(w, r, http.StatusOK, "home.html", u.newView(r, "home.title", "home", &d))
}
