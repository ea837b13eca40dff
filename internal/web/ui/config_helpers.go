package ui

import (
	"bytes"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// The helpers other screens call to show the sales configuration: choice lists (Types) as
// select options and labels, custom fields as form inputs and card lines, topics as options.
// Each reads through the app once per call; lists and field sets are short.

// choiceOptions are the options of a select for a choice list: an empty first option, the
// active values in their order, and selected even when it has been deactivated or deleted
// since (a stored value stays until edited, R7).
func (u *UI) choiceOptions(r *http.Request, list crm.ChoiceList, selected string) []option {
	lang := u.lang(r)
	opts := []option{{Value: "", Label: "—"}}
	vals, err := u.app.Choices(r.Context(), list, false)
	if err != nil {
		u.log.Warn("choice options", "list", list, "err", err)
	}
	for _, v := range vals {
		if v.Active || v.Code == selected {
			opts = append(opts, option{Value: v.Code, Label: v.Label(lang), Selected: v.Code == selected})
		}
	}
	return ensureOption(opts, selected, selected)
}

// choiceLabels maps every code of a list, deactivated ones included, to its label in the
// user's language: list cells and cards show stored codes through it. A code missing from the
// map (its value was deleted) is best shown as it is.
func (u *UI) choiceLabels(r *http.Request, list crm.ChoiceList) map[string]string {
	lang := u.lang(r)
	vals, err := u.app.Choices(r.Context(), list, false)
	if err != nil {
		u.log.Warn("choice labels", "list", list, "err", err)
	}
	out := make(map[string]string, len(vals))
	for _, v := range vals {
		out[v.Code] = v.Label(lang)
	}
	return out
}

// topicOptions are the active topics in their order, labelled in the user's language, plus
// selected when it is no longer active (or deleted). There is no empty option: a deal needs a
// topic; a filter puts its own "all" first.
func (u *UI) topicOptions(r *http.Request, selected int64) []option {
	ctx := r.Context()
	lang := u.lang(r)
	topics, err := u.app.ActiveTopics(ctx)
	if err != nil {
		u.log.Warn("topic options", "err", err)
	}
	opts := make([]option, 0, len(topics)+1)
	for _, t := range topics {
		opts = append(opts, option{Value: formatID(t.ID), Label: t.Label(lang), Selected: t.ID == selected})
	}
	if selected != 0 {
		label := "#" + formatID(selected)
		if t, err := u.app.Topic(ctx, selected); err == nil {
			label = t.Label(lang)
			if t.Deleted() {
				label += " (" + u.t(r, "card.deleted") + ")"
			}
		}
		opts = ensureOption(opts, formatID(selected), label)
	}
	return opts
}

// attrInputPrefix names a custom field's form input: attr.<code>.
const attrInputPrefix = "attr."

// customFieldErrorKeys are the names under which the app reports custom field problems
// ("attributes.<code>"), for a form's formSave.fields: problems with them are then shown at
// the input instead of at the top of the form.
func (u *UI) customFieldErrorKeys(r *http.Request, entity string) []string {
	fields, _ := u.app.CustomFields(r.Context(), entity, true)
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		out = append(out, "attributes."+f.Code)
	}
	return out
}

// customFieldInputs renders the inputs of entity's active custom fields for an edit form, in
// the markup of the shared "field" partial (Tabler form groups, inline errors). A form
// template prints the result where the fields go, e.g. {{.D.Extra.CustomFields}}.
// values are what to show: the record's Attributes, or after a refused save what
// parseAttributes read. errs are the form's errors (f.Errors): problems are looked up under
// "attributes.<code>" as the app reports them; list those keys in formSave.fields
// (customFieldErrorKeys) so that absorb puts them there. Inputs are named attr.<code>, which
// parseAttributes reads back. No active field: empty HTML.
func (u *UI) customFieldInputs(r *http.Request, entity string, values crm.Attributes, errs map[string]string) template.HTML {
	fields, err := u.app.CustomFields(r.Context(), entity, true)
	if err != nil || len(fields) == 0 {
		return ""
	}
	lang := u.lang(r)
	cat := i18n.Default()
	type input struct {
		ID, Name, Label, Type, Value, Error string
		Checked                             bool
		Options                             []option
	}
	data := struct {
		Title  string
		Inputs []input
	}{Title: cat.T(lang, "config.fields.section", nil)}
	for _, f := range fields {
		in := input{ID: "f-attr-" + strings.ReplaceAll(f.Code, "_", "-"), Name: attrInputPrefix + f.Code, Label: f.Label(lang)}
		v, has := values[f.Code]
		if key := errs["attributes."+f.Code]; key != "" {
			in.Error = cat.T(lang, key, nil)
		}
		switch f.Type {
		case crm.FieldFlag:
			in.Type = "checkbox"
			in.Checked = has && (v == true || v == "1" || v == "true" || v == "on")
		case crm.FieldList:
			in.Type = "select"
			cur := attrString(v)
			in.Options = []option{{Value: "", Label: "—"}}
			for _, o := range f.Options {
				in.Options = append(in.Options, option{Value: o, Label: o, Selected: o == cur})
			}
			in.Options = ensureOption(in.Options, cur, cur)
			for i := range in.Options {
				in.Options[i].Selected = in.Options[i].Value == cur
			}
		case crm.FieldNumber:
			in.Type, in.Value = "text", attrString(v) // text: "1 234,5" is how people type it
		case crm.FieldDate:
			in.Type, in.Value = "date", attrString(v)
		default:
			in.Type, in.Value = "text", attrString(v)
		}
		data.Inputs = append(data.Inputs, in)
	}
	var b bytes.Buffer
	if err := customFieldsTemplate.Execute(&b, data); err != nil {
		u.log.Error("custom field inputs", "err", err)
		return ""
	}
	return template.HTML(b.String())
}

// customFieldsTemplate mirrors the "field" partial for inputs whose labels are data, not
// catalogue keys.
var customFieldsTemplate = template.Must(template.New("custom_fields").Parse(`<fieldset class="custom-fields mt-2" id="custom-fields">
<legend class="h4 mb-3">{{.Title}}</legend>
<div class="row">
{{range .Inputs}}<div class="col-lg-6"><div class="mb-3 field field-{{.Type}}">
{{- if eq .Type "checkbox"}}
  <input type="hidden" name="{{.Name}}" value="0">
  <label class="form-check form-switch mb-0">
    <input class="form-check-input{{if .Error}} is-invalid{{end}}" type="checkbox" name="{{.Name}}" id="{{.ID}}" value="1"{{if .Checked}} checked{{end}}{{if .Error}} aria-invalid="true" aria-describedby="{{.ID}}-error"{{end}}>
    <span class="form-check-label">{{.Label}}</span>
  </label>
{{- else}}
  <label class="form-label" for="{{.ID}}">{{.Label}}</label>
  {{- if eq .Type "select"}}
  <select class="form-select{{if .Error}} is-invalid{{end}}" name="{{.Name}}" id="{{.ID}}"{{if .Error}} aria-invalid="true" aria-describedby="{{.ID}}-error"{{end}}>
    {{range .Options}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}
  </select>
  {{- else}}
  <input class="form-control{{if .Error}} is-invalid{{end}}" type="{{.Type}}" name="{{.Name}}" id="{{.ID}}" value="{{.Value}}"{{if .Error}} aria-invalid="true" aria-describedby="{{.ID}}-error"{{end}}>
  {{- end}}
{{- end}}
  {{if .Error}}<div class="invalid-feedback d-block" id="{{.ID}}-error">{{.Error}}</div>{{end}}
</div></div>
{{end}}</div>
</fieldset>`))

// parseAttributes reads the posted attr.<code> inputs of entity's active custom fields as the
// app takes them (app.CheckAttributes, a merge patch): text as typed (blank clears the value),
// flags as true or false (the checkbox sends 1, its hidden twin 0). Fields not on the form
// (deactivated since) are left out and so keep their stored values.
func (u *UI) parseAttributes(r *http.Request, entity string) crm.Attributes {
	_ = r.ParseForm()
	fields, err := u.app.CustomFields(r.Context(), entity, true)
	if err != nil {
		return nil
	}
	out := crm.Attributes{}
	for _, f := range fields {
		vals, posted := r.PostForm[attrInputPrefix+f.Code]
		if !posted {
			continue
		}
		if f.Type == crm.FieldFlag {
			out[f.Code] = contains(vals, "1")
			continue
		}
		out[f.Code] = strings.TrimSpace(vals[0])
	}
	return out
}

// customFieldProps are the card lines of the record's custom field values in the fields'
// order, deactivated fields included (the value is still the record's), empty ones left out.
func (u *UI) customFieldProps(r *http.Request, entity string, values crm.Attributes) []prop {
	if len(values) == 0 {
		return nil
	}
	fields, err := u.app.CustomFields(r.Context(), entity, false)
	if err != nil {
		return nil
	}
	lang := u.lang(r)
	var out []prop
	for _, f := range fields {
		v, ok := values[f.Code]
		if !ok || v == nil || v == "" {
			continue
		}
		out = append(out, prop{Label: f.Label(lang), Value: u.attrText(r, lang, f, v)})
	}
	return out
}

// attrText shows one stored value in the user's language.
func (u *UI) attrText(r *http.Request, lang string, f crm.CustomField, v any) string {
	switch f.Type {
	case crm.FieldFlag:
		if v == true {
			return u.t(r, "common.yes")
		}
		return u.t(r, "common.no")
	case crm.FieldNumber:
		if n, ok := v.(float64); ok {
			return formatNumber(lang, n)
		}
	case crm.FieldDate:
		if s, ok := v.(string); ok {
			if d, err := time.Parse(time.DateOnly, s); err == nil {
				return formatDay(lang, d)
			}
		}
	}
	return attrString(v)
}

// formatNumber groups the digits of a custom field's number and keeps its fraction as typed:
// "1 250,5" in Russian, "1,250.5" in English.
func formatNumber(lang string, n float64) string {
	text := strconv.FormatFloat(math.Abs(n), 'f', -1, 64)
	whole, frac, _ := strings.Cut(text, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return strconv.FormatFloat(n, 'g', -1, 64)
	}
	s := formatInt(lang, w)
	if n < 0 {
		s = "-" + s
	}
	if frac != "" {
		if lang == "ru" {
			s += "," + frac
		} else {
			s += "." + frac
		}
	}
	return s
}

// attrString is a value as a form input holds it.
func attrString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return ""
}

// formSort reads the optional "sort" position of a configuration form (fields, list values,
// topics); blank is 0, anything but a whole number is a problem of the field.
func formSort(f *form) int {
	s := strings.TrimSpace(f.Get("sort"))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Errors["sort"] = "err.number_format"
	}
	return n
}

// finishConfigSave is finishSave for a configuration row (a custom field, a list value): such
// a row has no card, so a save goes back to the list it is on (s.list).
func (u *UI) finishConfigSave(w http.ResponseWriter, r *http.Request, s formSave, valid bool, save func() error) {
	if !valid {
		s.show(http.StatusUnprocessableEntity)
		return
	}
	if err := save(); err != nil {
		if s.form.absorb(err, s.fields...) {
			s.show(formStatus(err))
			return
		}
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", s.toast)
	redirect(w, r, s.list)
}

// configRowAction runs one button of a configuration row (delete, restore, make default,
// move) and goes back to its list, telling a refusal (a stale version, a rule of the list)
// in a toast there rather than on an error page.
func (u *UI) configRowAction(w http.ResponseWriter, r *http.Request, back string, do func(version int64) error, toast string) {
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := do(version); err != nil {
		switch crm.ErrorCode(err) {
		case crm.EConflict, crm.EInvalid:
			u.flash(r, "danger", firstField(err, crm.ErrorMessage(err)))
			redirect(w, r, back)
		default:
			u.fail(w, r, err)
		}
		return
	}
	u.flash(r, "success", toast)
	redirect(w, r, back)
}
