package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Pickers feed the search-as-you-type inputs other slices' forms use to choose a company or a
// contact (static/js/parties.js, component "picker"): GET /pick/companies?q= and
// /pick/contacts?q=&company= answer [{"id":1,"label":"…","sub":"…"}], the first 20 live
// matches by name. The search is the lists' own (word prefixes, any case, Cyrillic
// included, phones and e-mails too), so a picker finds what the list finds.

// pickItem is one entry of a picker's dropdown.
type pickItem struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
	Sub   string `json:"sub"`
}

const pickLimit = 20

func (u *UI) pickCompanies(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := pickQuery(r)
	page, err := u.app.ListCompanies(ctx, crm.CompanyFilter{Q: q, Page: crm.PageRequest{Limit: pickLimit, Sort: "name"}})
	if err != nil {
		u.pickFail(w, r, err)
		return
	}
	out := make([]pickItem, 0, len(page.Items))
	for _, c := range page.Items {
		sub := c.INN
		if sub != "" {
			sub = u.t(r, "field.company.inn") + " " + sub
		}
		if c.Region != "" {
			sub = strings.TrimPrefix(sub+" · "+c.Region, " · ")
		}
		out = append(out, pickItem{ID: c.ID, Label: c.Name, Sub: sub})
	}
	writePick(w, out)
}

func (u *UI) pickContacts(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := crm.ContactFilter{Q: pickQuery(r), Page: crm.PageRequest{Limit: pickLimit, Sort: "name"}}
	f.CompanyID, _ = strconv.ParseInt(r.URL.Query().Get("company"), 10, 64)
	page, err := u.app.ListContacts(ctx, f)
	if err != nil {
		u.pickFail(w, r, err)
		return
	}
	names := u.companyNames(r, page.Items)
	out := make([]pickItem, 0, len(page.Items))
	for _, c := range page.Items {
		sub := c.Position
		if c.CompanyID != nil {
			sub = strings.TrimPrefix(sub+" · "+names[*c.CompanyID], " · ")
		} else {
			sub = strings.TrimPrefix(sub+" · "+u.t(r, "contact.private_person"), " · ")
		}
		out = append(out, pickItem{ID: c.ID, Label: c.FullName(), Sub: sub})
	}
	writePick(w, out)
}

func pickQuery(r *http.Request) string {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len([]rune(q)) > 100 {
		q = string([]rune(q)[:100])
	}
	return q
}

func writePick(w http.ResponseWriter, items []pickItem) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(items)
}

// pickFail answers a picker's error as JSON with the status of the error page.
func (u *UI) pickFail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch crm.ErrorCode(err) {
	case crm.EForbidden:
		status = http.StatusForbidden
	case crm.EUnauthorized:
		status = http.StatusUnauthorized
	case crm.EInvalid:
		status = http.StatusUnprocessableEntity
	default:
		u.log.Error("picker", "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": u.t(r, crm.ErrorMessage(err))})
}

// companyNames reads the names of the companies a page of contacts belongs to with one list
// call (no query per row).
func (u *UI) companyNames(r *http.Request, cs []crm.Contact) map[int64]string {
	var ids []int64
	seen := map[int64]bool{}
	for _, c := range cs {
		if c.CompanyID != nil && !seen[*c.CompanyID] {
			seen[*c.CompanyID] = true
			ids = append(ids, *c.CompanyID)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out
	}
	// Deleted companies too: a contact of a company in the trash still names it.
	for _, deleted := range []bool{false, true} {
		page, err := u.app.ListCompanies(r.Context(), crm.CompanyFilter{IDs: ids, Deleted: deleted, Page: crm.PageRequest{Limit: crm.MaxPageSize, Sort: "id"}})
		if err != nil {
			continue // the trash is for admins; others see the id
		}
		for _, c := range page.Items {
			out[c.ID] = c.Name
		}
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			out[id] = "#" + strconv.FormatInt(id, 10)
		}
	}
	return out
}
