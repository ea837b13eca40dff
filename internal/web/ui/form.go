package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// form is the state of an edit form: the values shown (what the user typed, after an error)
// and the problems per field as catalogue keys.
type form struct {
	Values  url.Values
	Errors  map[string]string
	Message string // a problem of the whole form, a catalogue key (stale version, forbidden)
	Version int64  // the version the user started editing: optimistic locking
	Action  string // where the form posts
	Cancel  string // where "Cancel" goes
	New     bool
}

func newForm(action, cancel string) *form {
	return &form{Values: url.Values{}, Errors: map[string]string{}, Action: action, Cancel: cancel}
}

// Get returns a field's value.
func (f *form) Get(name string) string { return f.Values.Get(name) }

// All returns a multi-valued field's values.
func (f *form) All(name string) []string { return f.Values[name] }

// Error returns a field's problem key, "".
func (f *form) Error(name string) string { return f.Errors[name] }

// HasErrors reports whether the form shows any problem.
func (f *form) HasErrors() bool { return len(f.Errors) > 0 || f.Message != "" }

// fromRequest takes the posted values and version into the form so that a form shown again
// after an error keeps what the user typed.
func (f *form) fromRequest(r *http.Request) {
	_ = r.ParseForm() // a malformed body reads as empty fields, which validation reports
	f.Values = r.PostForm
	if f.Values == nil {
		f.Values = url.Values{}
	}
	f.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
}

// absorb turns an app error into what the form shows; it returns false for errors that are
// not the form's to show (not found, internal), which the caller hands to fail.
func (f *form) absorb(err error, known ...string) bool {
	switch crm.ErrorCode(err) {
	case crm.EInvalid:
		fields := crm.ErrorFields(err)
		for k, v := range fields {
			if contains(known, k) {
				f.Errors[k] = v
			} else if f.Message == "" {
				// A problem with a field the form does not show (mass-assignment guard, id):
				// say it at the top rather than lose it.
				f.Message = v
			}
		}
		if f.Message == "" && len(fields) > 0 {
			f.Message = "form.fix_errors"
		}
		if len(fields) == 0 {
			f.Message = crm.ErrorMessage(err)
		}
		return true
	case crm.EConflict:
		f.Message = crm.ErrorMessage(err)
		if f.Message == "" || f.Message == "err.internal" {
			f.Message = "err.stale_version"
		}
		return true
	case crm.EForbidden:
		f.Message = crm.ErrorMessage(err)
		return true
	}
	return false
}

// formStatus is the HTTP status of a form shown again after err.
func formStatus(err error) int {
	switch crm.ErrorCode(err) {
	case crm.EConflict:
		return http.StatusConflict
	case crm.EForbidden:
		return http.StatusForbidden
	}
	return http.StatusUnprocessableEntity
}

// formSave is how a posted create or edit form ends, the same on every screen.
type formSave struct {
	form   *form
	fields []string         // the fields the form shows; the app's problems with others go on top
	show   func(status int) // draws the form again, with what was typed and the problems
	toast  string           // catalogue key of the success toast
	list   string           // the list: "Save and exit" goes there, a record's card is below it
}

// finishSave ends a create or edit request once the form has been read (valid: its values
// parsed). A form that did not parse is drawn again without calling save; so is one the app
// refused for a reason the form can show (field problems, a stale version, a forbidden
// choice). Any other error is an error page. A save toasts and goes to the record's card, or
// to the list on "Save and exit". save returns the id of the record saved.
func (u *UI) finishSave(w http.ResponseWriter, r *http.Request, s formSave, valid bool, save func() (int64, error)) {
	if !valid {
		s.show(http.StatusUnprocessableEntity)
		return
	}
	id, err := save()
	if err != nil {
		if s.form.absorb(err, s.fields...) {
			s.show(formStatus(err))
			return
		}
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", s.toast)
	redirect(w, r, saveTarget(r, s.list+"/"+strconv.FormatInt(id, 10), s.list))
}

// pathRecord reads the record the path's {id} names. A malformed id is the 404 page, an error
// of get its own page; ok is false when either has been written.
func pathRecord[T any](u *UI, w http.ResponseWriter, r *http.Request, get func(context.Context, int64) (T, error)) (id int64, x T, ok bool) {
	id, ok = parseID(r)
	if !ok {
		u.notFound(w, r)
		return 0, x, false
	}
	x, err := get(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return 0, x, false
	}
	return id, x, true
}

// saveTarget is where a successful save goes: "Save" stays on the record, "Save and exit"
// goes back to the list.
func saveTarget(r *http.Request, card, list string) string {
	if r.PostFormValue("exit") != "" {
		return list
	}
	return card
}

// fieldView is what the shared field partial needs to draw one labelled input with its
// inline error. Templates build it with field/opts/req/help.
type fieldView struct {
	Name     string
	Label    string // catalogue key
	Type     string // text, email, password, date, number, textarea, select, checkbox, checks
	Value    string
	Values   []string
	Error    string // catalogue key
	Required bool
	Help     string // catalogue key
	Options  []option
	Attrs    map[string]string
}

// ID is the element id: labels point at it, errors are described by it.
func (f fieldView) ID() string { return "f-" + strings.ReplaceAll(f.Name, "_", "-") }

// Checked reports whether a checkbox option is on.
func (f fieldView) Checked(v string) bool { return contains(f.Values, v) }

// Selected reports whether a select's option is the value.
func (f fieldView) Selected(v string) bool { return f.Value == v }

func newField(f *form, name, label, typ string) fieldView {
	fv := fieldView{Name: name, Label: label, Type: typ}
	if f != nil {
		fv.Value, fv.Values, fv.Error = f.Get(name), f.All(name), f.Error(name)
	}
	return fv
}

func withOptions(opts []option, f fieldView) fieldView {
	f.Options = opts
	return f
}

func required(f fieldView) fieldView {
	f.Required = true
	return f
}

func withHelp(key string, f fieldView) fieldView {
	f.Help = key
	return f
}

// withAttrs adds extra input attributes as name/value pairs (autocomplete, min, step…).
func withAttrs(kv string, f fieldView) fieldView {
	f.Attrs = map[string]string{}
	for _, p := range strings.Split(kv, ";") {
		if k, v, ok := strings.Cut(p, "="); ok {
			f.Attrs[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return f
}

// parseID reads the {id} of a path; a malformed one is a 404 like an unknown one.
func parseID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

func formatID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func optionalInt(s string) *int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return nil
	}
	return &n
}

func ids(vals []string) []int64 {
	out := []int64{}
	for _, s := range vals {
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && n > 0 && !contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func idStrings(xs []int64) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, strconv.FormatInt(x, 10))
	}
	return out
}

// presetPlacement fills a new record's form with the defaults the use case would apply (R4):
// the user's first live directorate, and the user as the responsible.
func (u *UI) presetPlacement(ctx context.Context, f *form) error {
	act := app.ActorFrom(ctx)
	if act == nil {
		return nil
	}
	dir, err := u.app.DefaultDirectorate(ctx)
	if err != nil {
		return err
	}
	f.Values.Set("directorate_id", formatID(dir))
	f.Values.Set("responsible_id", formatID(act.User.ID))
	return nil
}
