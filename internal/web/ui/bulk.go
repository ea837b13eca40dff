package ui

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Group actions (R56) on the lists of record types app.BulkApply covers: the rows checked
// on the page, or "all N matching" the list's filter, which the server finds again by paging
// through the list's own Rows. Every record goes through its type's use case, so rights,
// validation and audit are those of a single edit; the UI only hides what the user may not
// do at all.

// bulkTypeLists is the choice list behind "set Type" of each record type.
var bulkTypeLists = map[string]crm.ChoiceList{
	crm.EntityCompany: crm.ListCompanyType,
	crm.EntityContact: crm.ListContactType,
	crm.EntityDeal:    crm.ListDealType,
}

// bulkBar is the group-action toolbar of one list. Its options are read only when the
// toolbar is drawn (export and group actions parse lists too, without drawing them).
type bulkBar struct {
	u         *UI
	r         *http.Request
	Entity    string
	URL       string   // where the form posts
	Actions   []string // app.Bulk* the user may run here
	CanDelete bool
}

// Has reports whether the toolbar offers an action.
func (b *bulkBar) Has(action string) bool { return slices.Contains(b.Actions, action) }

// Users are the choices of "assign responsible".
func (b *bulkBar) Users() []option { return b.u.userOptions(b.r.Context()) }

// Types are the choices of "set Type": the entity's active choice values.
func (b *bulkBar) Types() []option {
	opts := b.u.choiceOptions(b.r, bulkTypeLists[b.Entity], "")
	if len(opts) > 0 && opts[0].Value == "" {
		opts = opts[1:]
	}
	return opts
}

// bulkBarOf offers the group actions the user may run on a list, or nil.
func (u *UI) bulkBarOf(r *http.Request, s *listState) *bulkBar {
	d := s.Def
	kinds, ok := app.BulkEntities[d.Entity]
	if !ok || d.Rows == nil || s.Deleted {
		return nil
	}
	ctx := r.Context()
	b := &bulkBar{u: u, r: r, Entity: d.Entity, URL: d.Path + "/bulk"}
	// Editing and deleting are decided per record (its directorate); with no record at hand
	// the question is whether the user's roles write this type at all, which is what the
	// right to create says. Records outside the user's reach are skipped and counted.
	if !u.app.Allowed(ctx, app.ActCreate, d.Entity) {
		return nil
	}
	for _, k := range kinds {
		if k == app.BulkSetType && bulkTypeLists[d.Entity] == "" {
			continue
		}
		b.Actions = append(b.Actions, k)
		b.CanDelete = b.CanDelete || k == app.BulkDelete
	}
	if len(b.Actions) == 0 {
		return nil
	}
	return b
}

// registerBulk adds the group-action route of every list whose record type has them.
func (u *UI) registerBulk(page pageFunc) {
	for _, d := range lists {
		if _, ok := app.BulkEntities[d.Entity]; !ok || d.Rows == nil {
			continue
		}
		page("POST "+d.Path+"/bulk", func(w http.ResponseWriter, r *http.Request) { u.bulkRun(w, r, d) })
	}
}

// bulkAnswer is the JSON answer the toolbar's script reads.
type bulkAnswer struct {
	Done    int    `json:"done"`
	Skipped int    `json:"skipped"`
	Level   string `json:"level"`
	Message string `json:"message"`
}

// bulkRun applies one group action. The toolbar posts with Accept: application/json and
// gets the counts back for its toast; a plain form post is sent back to the list.
func (u *UI) bulkRun(w http.ResponseWriter, r *http.Request, d *listDef) {
	if err := r.ParseForm(); err != nil {
		u.bulkFail(w, r, d, &crm.Error{Code: crm.EInvalid, Message: "err.validation"})
		return
	}
	f := r.PostForm
	query := f.Get("query")
	ba := app.BulkAction{Kind: f.Get("action"), Type: f.Get("type"), Tag: f.Get("tag")}
	ba.ResponsibleID, _ = strconv.ParseInt(f.Get("responsible_id"), 10, 64)
	var ids []int64
	if f.Get("all") == "1" {
		var err error
		if ids, err = u.matchingIDs(r, d, query, app.MaxBulk+1); err != nil {
			u.bulkFail(w, r, d, err)
			return
		}
	} else {
		for _, v := range f["id"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		u.bulkFail(w, r, d, &crm.Error{Code: crm.EInvalid, Message: "bulk.err.none", Fields: map[string]string{"ids": "bulk.err.none"}})
		return
	}
	res, err := u.app.BulkApply(r.Context(), d.Entity, ids, ba)
	if err != nil {
		u.bulkFail(w, r, d, err)
		return
	}
	level := "success"
	if res.Skipped > 0 {
		level = "warning"
	}
	msg := u.t(r, "bulk.result", "Done", res.Done, "Skipped", res.Skipped)
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, bulkAnswer{Done: res.Done, Skipped: res.Skipped, Level: level, Message: msg})
		return
	}
	u.flash(r, level, "bulk.applied")
	redirect(w, r, listBack(d, query))
}

// matchingIDs pages through a list's rows under query and returns their ids, at most limit.
func (u *UI) matchingIDs(r *http.Request, d *listDef, query string, limit int) ([]int64, error) {
	lr := listRequest(r, query)
	s := u.parseList(lr, d)
	s.After, s.Limit, s.NoTotal = "", crm.MaxPageSize, true
	var ids []int64
	for {
		if err := d.Rows(u, lr, s); err != nil {
			return nil, err
		}
		for _, rw := range s.Rows {
			ids = append(ids, rw.ID)
		}
		if s.Next == "" || len(ids) >= limit {
			break
		}
		if err := r.Context().Err(); err != nil {
			return nil, err
		}
		s.After, s.Rows, s.FilterBar, s.Next = s.Next, nil, nil, ""
	}
	if len(ids) > limit {
		ids = ids[:limit]
	}
	return ids, nil
}

func (u *UI) bulkFail(w http.ResponseWriter, r *http.Request, d *listDef, err error) {
	if !wantsJSON(r) {
		if crm.ErrorCode(err) == crm.EInvalid {
			u.flash(r, "danger", firstField(err, "err.validation"))
			redirect(w, r, listBack(d, r.PostFormValue("query")))
			return
		}
		u.fail(w, r, err)
		return
	}
	status := http.StatusInternalServerError
	key := "err.internal"
	switch crm.ErrorCode(err) {
	case crm.EInvalid:
		status, key = http.StatusUnprocessableEntity, firstField(err, crm.ErrorMessage(err))
	case crm.EForbidden:
		status, key = http.StatusForbidden, crm.ErrorMessage(err)
	case crm.ENotFound:
		status, key = http.StatusNotFound, crm.ErrorMessage(err)
	default:
		u.log.Error("bulk", "list", d.Name, "err", err)
	}
	writeJSON(w, status, bulkAnswer{Level: "danger", Message: u.t(r, key)})
}

// listBack is the list under query, where a plain form post returns to.
func listBack(d *listDef, query string) string {
	if query == "" {
		return d.Path
	}
	return localPath(d.Path+"?"+query, d.Path)
}

func wantsJSON(r *http.Request) bool {
	return r.Header.Get("Accept") == "application/json"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
