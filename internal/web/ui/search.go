package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// registerSearch adds the routes of the global search box.
func (u *UI) registerSearch(page pageFunc) {
	page("GET /search", u.searchPage)
	page("GET /search/suggest", u.searchSuggest)
}

// searchData is what the dropdown and the search page show.
type searchData struct {
	Q      string
	Groups []searchGroup
	Short  bool // fewer than two characters: nothing searched
	Total  int
	Fuzzy  bool // some hits needed a typo corrected
}

type searchGroup struct {
	Entity string // crm.EntityCompany…; the catalogue key is search.group.<entity>
	Hits   []searchHit
}

type searchHit struct {
	crm.SearchHit
	Href string
}

// searchCardPaths are the UI paths of the cards a hit links to.
var searchCardPaths = map[string]string{crm.EntityCompany: "/companies/", crm.EntityContact: "/contacts/", crm.EntityDeal: "/deals/"}

func (u *UI) search(r *http.Request, limit int) (searchData, error) {
	d := searchData{Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	if len([]rune(d.Q)) < 2 {
		d.Short = true
		return d, nil
	}
	hits, err := u.app.Search(r.Context(), d.Q, limit)
	if err != nil {
		return d, err
	}
	for _, h := range hits {
		if len(d.Groups) == 0 || d.Groups[len(d.Groups)-1].Entity != h.Entity {
			d.Groups = append(d.Groups, searchGroup{Entity: h.Entity})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Hits = append(g.Hits, searchHit{SearchHit: h, Href: searchCardPaths[h.Entity] + strconv.FormatInt(h.ID, 10)})
		d.Total++
		d.Fuzzy = d.Fuzzy || h.Fuzzy
	}
	return d, nil
}

// searchSuggest answers the header box as the user types: the dropdown's hits, a few a group.
func (u *UI) searchSuggest(w http.ResponseWriter, r *http.Request) {
	d, err := u.search(r, app.SearchBoxLimit)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.execute(w, r, http.StatusOK, "search.html", "search_dropdown", u.newView(r, "", "", d))
}

// searchPage shows every hit of a query (Enter in the box, or a shared link).
func (u *UI) searchPage(w http.ResponseWriter, r *http.Request) {
	if !app.ActorFrom(r.Context()).User.Roles.IsCRMUser() {
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	d, err := u.search(r, app.SearchPageLimit)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "search.html", u.newView(r, "search.title", "", d))
}
