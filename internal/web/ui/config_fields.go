package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// The custom fields screen (/admin/fields): a tab per record type, its fields in order, and
// a form that adds one. Options of a list field are typed one per line.

var customFieldFormFields = []string{"code", "label_ru", "label_en", "type", "options", "sort", "active"}

type fieldListData struct {
	Tabs       []configTab
	Entity     string
	Rows       []crm.CustomField
	Types      map[string]string // type → label
	Deleted    bool
	CanEdit    bool
	CanRestore bool
	Form       *form
	TypeOpts   []option
}

func fieldEntityParam(v string) string {
	if slices.Contains(crm.CustomFieldEntities, v) {
		return v
	}
	return crm.CustomFieldEntities[0]
}

func fieldListURL(entity string) string { return "/admin/fields?entity=" + url.QueryEscape(entity) }

func (u *UI) fieldTypeOptions(r *http.Request) []option {
	opts := make([]option, 0, len(crm.FieldTypes))
	for _, t := range crm.FieldTypes {
		opts = append(opts, option{Value: string(t), Label: u.t(r, "config.field_type."+string(t))})
	}
	return opts
}

func (u *UI) fieldListPage(w http.ResponseWriter, r *http.Request) {
	entity := fieldEntityParam(r.URL.Query().Get("entity"))
	f := newForm("/admin/fields/new", fieldListURL(entity))
	f.New = true
	f.Values.Set("entity", entity)
	f.Values.Set("type", string(crm.FieldText))
	f.Values.Set("active", "1")
	u.showFieldList(w, r, http.StatusOK, entity, r.URL.Query().Get("deleted") == "1", f)
}

func (u *UI) showFieldList(w http.ResponseWriter, r *http.Request, status int, entity string, deleted bool, f *form) {
	ctx := r.Context()
	fields, err := u.app.ListCustomFields(ctx, entity, deleted)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &fieldListData{Entity: entity, Rows: fields, Deleted: deleted, Form: f, Types: map[string]string{},
		CanEdit:    u.app.Allowed(ctx, app.ActUpdate, crm.EntityCustomField),
		CanRestore: u.app.Allowed(ctx, app.ActRestore, crm.EntityCustomField), TypeOpts: u.fieldTypeOptions(r)}
	for _, o := range d.TypeOpts {
		d.Types[o.Value] = o.Label
	}
	for _, e := range crm.CustomFieldEntities {
		d.Tabs = append(d.Tabs, configTab{Key: e, Label: u.t(r, "config.entity."+e), Href: fieldListURL(e), Active: e == entity})
	}
	u.render(w, r, status, "config_fields.html", u.newView(r, "config.fields.title", "admin", d))
}

// optionLines splits the options textarea: one option a line.
func optionLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func readFieldForm(r *http.Request, f *form) (in app.CustomFieldInput, ok bool) {
	f.fromRequest(r)
	in = app.CustomFieldInput{Entity: f.Get("entity"), Code: f.Get("code"), LabelRU: f.Get("label_ru"), LabelEN: f.Get("label_en"),
		Type: crm.FieldType(f.Get("type")), Options: optionLines(f.Get("options")), Active: f.Get("active") != ""}
	in.Sort = formSort(f)
	return in, len(f.Errors) == 0
}

func (u *UI) fieldCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/admin/fields/new", "")
	f.New = true
	in, ok := readFieldForm(r, f)
	entity := fieldEntityParam(in.Entity)
	f.Cancel = fieldListURL(entity)
	save := formSave{form: f, fields: customFieldFormFields, toast: "toast.created", list: fieldListURL(entity),
		show: func(status int) { u.showFieldList(w, r, status, entity, false, f) }}
	u.finishConfigSave(w, r, save, ok, func() error {
		_, err := u.app.CreateCustomField(r.Context(), in)
		return err
	})
}

func (u *UI) fieldEdit(w http.ResponseWriter, r *http.Request) {
	id, cf, ok := pathRecord(u, w, r, u.app.CustomField)
	if !ok {
		return
	}
	if cf.Deleted() || !u.app.Allowed(r.Context(), app.ActUpdate, crm.EntityCustomField) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/admin/fields/"+strconv.FormatInt(id, 10)+"/edit", fieldListURL(cf.Entity))
	f.Version = cf.Version
	f.Values.Set("label_ru", cf.LabelRU)
	f.Values.Set("label_en", cf.LabelEN)
	f.Values.Set("options", strings.Join(cf.Options, "\n"))
	f.Values.Set("sort", strconv.Itoa(cf.Sort))
	if cf.Active {
		f.Values.Set("active", "1")
	}
	u.fieldForm(w, r, http.StatusOK, f, cf)
}

type fieldFormData struct {
	Field    *crm.CustomField
	TypeName string
}

func (u *UI) fieldForm(w http.ResponseWriter, r *http.Request, status int, f *form, cf *crm.CustomField) {
	f.Values.Set("entity", cf.Entity) // fixed once created: shown, not edited
	f.Values.Set("code", cf.Code)
	f.Values.Set("type", string(cf.Type))
	data := &formPage{Form: f, Title: u.t(r, "config.fields.edit", "Name", cf.Label(u.lang(r))), Back: fieldListURL(cf.Entity),
		BackLabel: "config.fields.title", Extra: fieldFormData{Field: cf, TypeName: u.t(r, "config.field_type."+string(cf.Type))}}
	u.render(w, r, status, "config_field_form.html", u.newView(r, "config.fields.title", "admin", data))
}

func (u *UI) fieldUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.CustomField)
	if !ok {
		return
	}
	f := newForm("/admin/fields/"+strconv.FormatInt(id, 10)+"/edit", fieldListURL(cur.Entity))
	in, valid := readFieldForm(r, f)
	save := formSave{form: f, fields: customFieldFormFields, toast: "toast.saved", list: fieldListURL(cur.Entity),
		show: func(status int) { u.fieldForm(w, r, status, f, cur) }}
	u.finishConfigSave(w, r, save, valid, func() error {
		_, err := u.app.UpdateCustomField(r.Context(), id, app.CustomFieldPatch{Version: f.Version, LabelRU: &in.LabelRU,
			LabelEN: &in.LabelEN, Options: &in.Options, Sort: &in.Sort, Active: &in.Active})
		return err
	})
}

// fieldAction runs a row button (delete, restore) and goes back to the field's tab.
func (u *UI) fieldAction(w http.ResponseWriter, r *http.Request, do func(id, version int64) error, toast string) {
	id, cf, ok := pathRecord(u, w, r, u.app.CustomField)
	if !ok {
		return
	}
	u.configRowAction(w, r, fieldListURL(cf.Entity), func(version int64) error { return do(id, version) }, toast)
}

func (u *UI) fieldDelete(w http.ResponseWriter, r *http.Request) {
	u.fieldAction(w, r, func(id, version int64) error { return u.app.DeleteCustomField(r.Context(), id, version) }, "toast.deleted")
}

func (u *UI) fieldRestore(w http.ResponseWriter, r *http.Request) {
	u.fieldAction(w, r, func(id, _ int64) error { return u.app.RestoreCustomField(r.Context(), id) }, "toast.restored")
}
