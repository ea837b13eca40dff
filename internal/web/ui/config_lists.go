package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// The choice lists screen (/admin/lists): a tab per list, the list's values in order with
// their actions, and a form that adds a value. Editing a value has a page of its own.

var choiceFields = []string{"code", "label_ru", "label_en", "sort", "is_default", "active"}

// configTab is one tab of the lists and fields screens.
type configTab struct {
	Key, Label, Href string
	Active           bool
}

type choiceRow struct {
	crm.ChoiceValue
	First, Last bool
}

type choiceListData struct {
	Tabs       []configTab
	List       crm.ChoiceList
	ListLabel  string
	Rows       []choiceRow
	Deleted    bool // the trash of the list is shown
	CanEdit    bool
	CanRestore bool
	Form       *form // adds a value
	Back       string
}

// choiceListParam reads the list the request is about; an unknown one is the first list.
func choiceListParam(v string) crm.ChoiceList {
	l := crm.ChoiceList(v)
	if !l.Known() {
		return crm.ChoiceLists[0]
	}
	return l
}

func choiceListURL(l crm.ChoiceList) string { return "/admin/lists?list=" + url.QueryEscape(string(l)) }

func (u *UI) choiceListPage(w http.ResponseWriter, r *http.Request) {
	list := choiceListParam(r.URL.Query().Get("list"))
	f := newForm("/admin/lists/new", choiceListURL(list))
	f.New = true
	f.Values.Set("list", string(list))
	f.Values.Set("active", "1")
	u.showChoiceList(w, r, http.StatusOK, list, r.URL.Query().Get("deleted") == "1", f)
}

func (u *UI) showChoiceList(w http.ResponseWriter, r *http.Request, status int, list crm.ChoiceList, deleted bool, f *form) {
	ctx := r.Context()
	vals, err := u.app.ListChoiceValues(ctx, crm.ChoiceFilter{List: list, Deleted: deleted})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &choiceListData{List: list, ListLabel: u.t(r, "config.list."+string(list)), Deleted: deleted, Form: f,
		CanEdit:    u.app.Allowed(ctx, app.ActUpdate, crm.EntityChoice),
		CanRestore: u.app.Allowed(ctx, app.ActRestore, crm.EntityChoice)}
	for _, l := range crm.ChoiceLists {
		d.Tabs = append(d.Tabs, configTab{Key: string(l), Label: u.t(r, "config.list."+string(l)), Href: choiceListURL(l), Active: l == list})
	}
	for i, v := range vals {
		d.Rows = append(d.Rows, choiceRow{ChoiceValue: v, First: i == 0, Last: i == len(vals)-1})
	}
	u.render(w, r, status, "config_lists.html", u.newView(r, "config.lists.title", "admin", d))
}

// readChoiceForm reads the add or edit form of a value.
func readChoiceForm(r *http.Request, f *form) (in app.ChoiceInput, ok bool) {
	f.fromRequest(r)
	in = app.ChoiceInput{List: crm.ChoiceList(f.Get("list")), Code: f.Get("code"), LabelRU: f.Get("label_ru"),
		LabelEN: f.Get("label_en"), IsDefault: f.Get("is_default") != "", Active: f.Get("active") != ""}
	in.Sort = formSort(f)
	return in, len(f.Errors) == 0
}

func (u *UI) choiceCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/admin/lists/new", "")
	f.New = true
	in, ok := readChoiceForm(r, f)
	list := choiceListParam(string(in.List))
	f.Cancel = choiceListURL(list)
	save := formSave{form: f, fields: choiceFields, toast: "toast.created", list: choiceListURL(list),
		show: func(status int) { u.showChoiceList(w, r, status, list, false, f) }}
	u.finishConfigSave(w, r, save, ok, func() error {
		_, err := u.app.CreateChoice(r.Context(), in)
		return err
	})
}

func (u *UI) choiceEdit(w http.ResponseWriter, r *http.Request) {
	id, v, ok := pathRecord(u, w, r, u.app.Choice)
	if !ok {
		return
	}
	if v.Deleted() || !u.app.Allowed(r.Context(), app.ActUpdate, crm.EntityChoice) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/admin/lists/"+strconv.FormatInt(id, 10)+"/edit", choiceListURL(v.List))
	f.Version = v.Version
	f.Values.Set("list", string(v.List))
	f.Values.Set("code", v.Code)
	f.Values.Set("label_ru", v.LabelRU)
	f.Values.Set("label_en", v.LabelEN)
	f.Values.Set("sort", strconv.Itoa(v.Sort))
	if v.IsDefault {
		f.Values.Set("is_default", "1")
	}
	if v.Active {
		f.Values.Set("active", "1")
	}
	u.choiceForm(w, r, http.StatusOK, f, v)
}

func (u *UI) choiceForm(w http.ResponseWriter, r *http.Request, status int, f *form, v *crm.ChoiceValue) {
	data := &formPage{Form: f, Title: u.t(r, "config.lists.edit_value", "List", u.t(r, "config.list."+string(v.List))),
		Back: choiceListURL(v.List), BackLabel: "config.lists.title", Extra: v}
	u.render(w, r, status, "config_choice_form.html", u.newView(r, "config.lists.title", "admin", data))
}

func (u *UI) choiceUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.Choice)
	if !ok {
		return
	}
	f := newForm("/admin/lists/"+strconv.FormatInt(id, 10)+"/edit", choiceListURL(cur.List))
	in, valid := readChoiceForm(r, f)
	f.Values.Set("list", string(cur.List)) // list and code never change; show the stored ones
	f.Values.Set("code", cur.Code)
	save := formSave{form: f, fields: choiceFields, toast: "toast.saved", list: choiceListURL(cur.List),
		show: func(status int) { u.choiceForm(w, r, status, f, cur) }}
	u.finishConfigSave(w, r, save, valid, func() error {
		_, err := u.app.UpdateChoice(r.Context(), id, app.ChoicePatch{Version: f.Version, LabelRU: &in.LabelRU, LabelEN: &in.LabelEN,
			Sort: &in.Sort, IsDefault: &in.IsDefault, Active: &in.Active})
		return err
	})
}

// choiceAction runs one button of a value's row and goes back to its list, telling a refusal
// in a toast.
func (u *UI) choiceAction(w http.ResponseWriter, r *http.Request, do func(v *crm.ChoiceValue, version int64) error, toast string) {
	_, v, ok := pathRecord(u, w, r, u.app.Choice)
	if !ok {
		return
	}
	u.configRowAction(w, r, choiceListURL(v.List), func(version int64) error { return do(v, version) }, toast)
}

func (u *UI) choiceMakeDefault(w http.ResponseWriter, r *http.Request) {
	u.choiceAction(w, r, func(v *crm.ChoiceValue, version int64) error {
		yes := true
		_, err := u.app.UpdateChoice(r.Context(), v.ID, app.ChoicePatch{Version: version, IsDefault: &yes, Active: &yes})
		return err
	}, "toast.saved")
}

func (u *UI) choiceMove(w http.ResponseWriter, r *http.Request) {
	u.choiceAction(w, r, func(v *crm.ChoiceValue, version int64) error {
		return u.app.MoveChoice(r.Context(), v.ID, version, r.PostFormValue("dir") == "up")
	}, "toast.saved")
}

func (u *UI) choiceDelete(w http.ResponseWriter, r *http.Request) {
	u.choiceAction(w, r, func(v *crm.ChoiceValue, version int64) error {
		return u.app.DeleteChoice(r.Context(), v.ID, version)
	}, "toast.deleted")
}

func (u *UI) choiceRestore(w http.ResponseWriter, r *http.Request) {
	u.choiceAction(w, r, func(v *crm.ChoiceValue, _ int64) error {
		return u.app.RestoreChoice(r.Context(), v.ID)
	}, "toast.restored")
}
