package ui

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/i18n"
)

// Sales topics (/admin/topics): the list, the card with the pipeline, and the form that edits
// the topic and its ordered stages inline. The form works without script: each stage is a row
// of inputs named stages.<i>.<field> (tasks stages.<i>.tasks.<j>.<field>) with an order
// number and a remove box; blank rows at the end add stages and tasks, and "More rows" shows
// more of them without saving.

var topicList = register(&listDef{
	Name: "topics", Path: "/admin/topics", Entity: crm.EntityTopic, Search: true, SearchHint: "config.topics.search_hint",
	Columns: []colDef{
		{Key: "name", Label: "config.topic.name", Sort: "name", Fixed: true},
		{Key: "stages", Label: "config.topic.stages", Default: true},
		{Key: "active", Label: "field.active", Default: true},
		{Key: "sort", Label: "config.field.sort", Sort: "sort", Default: true, Num: true},
		{Key: "updated_at", Label: "field.updated_at", Sort: "updated_at"},
	},
	Filters:     []string{"active"},
	DefaultSort: "sort",
})

func init() { topicList.Rows = (*UI).topicRows }

func (u *UI) topicList(w http.ResponseWriter, r *http.Request) {
	u.listPage(w, r, topicList, "config.topics.title", "admin")
}

// topicRows loads one page of topics for the list state.
func (u *UI) topicRows(r *http.Request, s *listState) error {
	ctx := r.Context()
	s.selectFilter("active", u.t(r, "field.active"), u.activeOptions(r))
	page, err := u.app.ListTopics(ctx, crm.TopicFilter{Q: s.Q, Active: boolFilter(s.Filter("active")), Deleted: s.Deleted, Page: s.Page()})
	if err != nil {
		return err
	}
	lang := u.lang(r)
	for _, t := range page.Items {
		href := "/admin/topics/" + strconv.FormatInt(t.ID, 10)
		names := make([]string, 0, len(t.Stages))
		for _, st := range t.Stages {
			names = append(names, st.Name(lang))
		}
		rw := row{ID: t.ID, Href: href, Cells: map[string]cell{
			"name":       {Text: t.Label(lang), Href: href},
			"stages":     {List: names},
			"active":     activeCell(r, u, t.Active),
			"sort":       {Text: strconv.Itoa(t.Sort), Muted: true},
			"updated_at": {Text: formatDateTime(lang, t.UpdatedAt, userLocation(ctx)), Muted: true},
		}}
		if s.Deleted {
			rw.RestoreURL = href + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "config.topics.empty"
	if u.app.Allowed(ctx, app.ActCreate, crm.EntityTopic) {
		s.NewURL, s.NewLabel = "/admin/topics/new", "config.topics.new"
	}
	return nil
}

// stageView is one stage line of the card.
type stageView struct {
	Position    int
	Name        string
	Kind        string // translated
	KindCode    string
	Probability int
	Tasks       []string
}

func (u *UI) topicCard(w http.ResponseWriter, r *http.Request) {
	id, t, ok := pathRecord(u, w, r, u.app.Topic)
	if !ok {
		return
	}
	ctx := r.Context()
	base := "/admin/topics/" + strconv.FormatInt(id, 10)
	lang, loc := u.lang(r), userLocation(ctx)
	people := u.lookup(ctx)
	people.prefetchUsers(t.CreatedBy, t.UpdatedBy)
	c := card{Title: t.Label(lang), Deleted: t.Deleted()}
	if lang == "en" && t.NameEN != "" {
		c.Subtitle = t.Name
	} else if t.NameEN != "" {
		c.Subtitle = t.NameEN
	}
	if !t.Active {
		c.Badge, c.BadgeCol = u.t(r, "common.inactive"), "secondary"
	}
	c.Tabs, c.Tab = u.cardTabs(r, base)
	u.recordActions(r, &c, crm.EntityTopic, base, t.Meta, u.t(r, "config.topics.delete_confirm", "Name", t.Name))
	dir := ""
	if t.DirectorateID != nil {
		dir = people.directorateName(*t.DirectorateID)
	}
	var stages []stageView
	for _, s := range t.Stages {
		sv := stageView{Position: s.Position, Name: s.Name(lang), Kind: u.t(r, "config.stage_kind."+string(s.Kind)), KindCode: string(s.Kind), Probability: s.Probability}
		for _, task := range s.TaskChain {
			sv.Tasks = append(sv.Tasks, u.t(r, "config.task_line", "Title", task.Title, "Days", task.DueDays, "Kind", u.t(r, "config.task_kind."+task.Kind)))
		}
		stages = append(stages, sv)
	}
	data := &cardPage{Card: c, Back: "/admin/topics", BackLabel: "config.topics.title", Notes: t.Description, Extra: stages, Props: []prop{
		{Label: u.t(r, "field.directorate_id"), Value: dir},
		{Label: u.t(r, "config.field.sort"), Value: strconv.Itoa(t.Sort)},
		{Label: u.t(r, "field.created_at"), Value: formatDateTime(lang, t.CreatedAt, loc) + byWhom(people, t.CreatedBy)},
		{Label: u.t(r, "field.updated_at"), Value: formatDateTime(lang, t.UpdatedAt, loc) + byWhom(people, t.UpdatedBy)},
	}}
	u.showCard(w, r, "config_topic_card.html", "admin", crm.EntityTopic, id, data)
}

// The form's blank rows: stages and tasks the user can add without script.
const (
	blankStageRows = 2
	moreStageRows  = 3
)

// topicFormRow is one stage row of the form: its index in the names and its task rows'.
type topicFormRow struct {
	Index int
	Tasks []int
}

type topicFormData struct {
	Rows         []topicFormRow
	Directorates []option
	Kinds        []option
	TaskKinds    []option
	Record       *crm.Topic
}

// tIn translates into a given language: a new topic's stage names are offered in both.
func (u *UI) tIn(lang, key string) string { return i18n.Default().T(lang, key, nil) }

func (u *UI) stageKindOptions(r *http.Request) []option {
	opts := make([]option, 0, len(crm.StageKinds))
	for _, k := range crm.StageKinds {
		opts = append(opts, option{Value: string(k), Label: u.t(r, "config.stage_kind."+string(k))})
	}
	return opts
}

func (u *UI) taskKindOptions(r *http.Request) []option {
	var opts []option
	for _, k := range []crm.TaskKind{crm.TaskTask, crm.TaskCall, crm.TaskMeeting, crm.TaskMessage, crm.TaskReminder} {
		opts = append(opts, option{Value: string(k), Label: u.t(r, "config.task_kind."+string(k))})
	}
	return opts
}

// setStageValues writes stages into the form under their indexes, replacing any posted
// stage inputs, so that a form shown again lists the stages in the order the app saw them
// and its problems ("stages.<i>.…") land on the right rows.
func setStageValues(f *form, stages []crm.Stage) {
	for k := range f.Values {
		if strings.HasPrefix(k, "stages.") {
			delete(f.Values, k)
		}
	}
	for i, s := range stages {
		p := fmt.Sprintf("stages.%d.", i)
		if s.ID != 0 {
			f.Values.Set(p+"id", strconv.FormatInt(s.ID, 10))
		}
		f.Values.Set(p+"order", strconv.Itoa((i+1)*10))
		f.Values.Set(p+"name_ru", s.NameRU)
		f.Values.Set(p+"name_en", s.NameEN)
		f.Values.Set(p+"kind", string(s.Kind))
		f.Values.Set(p+"probability", strconv.Itoa(s.Probability))
		for j, t := range s.TaskChain {
			tp := fmt.Sprintf("%stasks.%d.", p, j)
			f.Values.Set(tp+"title", t.Title)
			f.Values.Set(tp+"due_days", strconv.Itoa(t.DueDays))
			f.Values.Set(tp+"kind", t.Kind)
		}
	}
}

// topicFormKeys are the names the app may report problems under, for absorb.
func topicFormKeys(stages []crm.Stage) []string {
	keys := []string{"name", "name_en", "description", "directorate_id", "active", "sort", "stages"}
	for i, s := range stages {
		p := fmt.Sprintf("stages.%d.", i)
		keys = append(keys, p+"id", p+"name_ru", p+"name_en", p+"kind", p+"probability", p+"task_chain")
		for j := range s.TaskChain {
			tp := fmt.Sprintf("%stask_chain.%d.", p, j)
			keys = append(keys, tp+"title", tp+"due_days", tp+"kind")
		}
	}
	return keys
}

// taskErrorsToRows renames the app's task problems (stages.<i>.task_chain.<j>.<field>) to the
// form's input names (stages.<i>.tasks.<j>.<field>).
func taskErrorsToRows(f *form) {
	for k, v := range f.Errors {
		if strings.Contains(k, ".task_chain.") {
			delete(f.Errors, k)
			f.Errors[strings.Replace(k, ".task_chain.", ".tasks.", 1)] = v
		}
	}
}

// readTopicForm parses the posted topic and its stage rows: removed rows and blank new rows
// are dropped, the rest sorted by their order numbers.
func readTopicForm(r *http.Request, f *form) (in app.TopicInput, ok bool) {
	f.fromRequest(r)
	in = app.TopicInput{Name: f.Get("name"), NameEN: f.Get("name_en"), Description: f.Get("description"),
		DirectorateID: optionalInt(f.Get("directorate_id")), Active: f.Get("active") != ""}
	in.Sort = formSort(f)
	type posted struct {
		order, at int
		stage     crm.Stage
	}
	var rows []posted
	num := func(s string, bad int) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return bad // out of range: the domain reports it on the right row
		}
		return n
	}
	for i := 0; i < crm.MaxStages+blankStageRows+moreStageRows*4; i++ {
		p := fmt.Sprintf("stages.%d.", i)
		if _, present := f.Values[p+"kind"]; !present {
			continue
		}
		id, _ := strconv.ParseInt(f.Get(p+"id"), 10, 64)
		s := crm.Stage{ID: id, NameRU: f.Get(p + "name_ru"), NameEN: f.Get(p + "name_en"), Kind: crm.StageKind(f.Get(p + "kind"))}
		if f.Get(p+"remove") != "" || (id == 0 && strings.TrimSpace(s.NameRU+s.NameEN) == "") {
			continue
		}
		switch s.Kind {
		case crm.StageWon:
			s.Probability = num(f.Get(p+"probability"), 100)
		default:
			s.Probability = num(f.Get(p+"probability"), -1)
		}
		for j := 0; j <= crm.MaxStageTasks+1; j++ {
			tp := fmt.Sprintf("%stasks.%d.", p, j)
			title := strings.TrimSpace(f.Get(tp + "title"))
			if title == "" {
				continue
			}
			s.TaskChain = append(s.TaskChain, crm.StageTask{Title: title, DueDays: num(f.Get(tp+"due_days"), -1), Kind: f.Get(tp + "kind")})
		}
		rows = append(rows, posted{order: num(f.Get(p+"order"), (i+1)*10), at: i, stage: s})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].order < rows[b].order })
	for _, row := range rows {
		in.Stages = append(in.Stages, row.stage)
	}
	setStageValues(f, in.Stages)
	return in, len(f.Errors) == 0
}

func (u *UI) topicNew(w http.ResponseWriter, r *http.Request) {
	if !u.app.Allowed(r.Context(), app.ActCreate, crm.EntityTopic) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/admin/topics/new", "/admin/topics")
	f.New = true
	f.Values.Set("active", "1")
	// A new topic starts from the usual pipeline shape: an open stage, won, lost.
	setStageValues(f, []crm.Stage{
		{NameRU: u.tIn("ru", "config.new_stage.open"), NameEN: u.tIn("en", "config.new_stage.open"), Kind: crm.StageOpen, Probability: 10},
		{NameRU: u.tIn("ru", "config.new_stage.won"), NameEN: u.tIn("en", "config.new_stage.won"), Kind: crm.StageWon, Probability: 100},
		{NameRU: u.tIn("ru", "config.new_stage.lost"), NameEN: u.tIn("en", "config.new_stage.lost"), Kind: crm.StageLost},
	})
	u.topicForm(w, r, http.StatusOK, f, nil, 0)
}

func (u *UI) topicEdit(w http.ResponseWriter, r *http.Request) {
	id, t, ok := pathRecord(u, w, r, u.app.Topic)
	if !ok {
		return
	}
	if t.Deleted() || !u.app.Allowed(r.Context(), app.ActUpdate, crm.EntityTopic) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/admin/topics/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	f.Version = t.Version
	f.Values.Set("name", t.Name)
	f.Values.Set("name_en", t.NameEN)
	f.Values.Set("description", t.Description)
	f.Values.Set("sort", strconv.Itoa(t.Sort))
	if t.DirectorateID != nil {
		f.Values.Set("directorate_id", formatID(*t.DirectorateID))
	}
	if t.Active {
		f.Values.Set("active", "1")
	}
	setStageValues(f, t.Stages)
	u.topicForm(w, r, http.StatusOK, f, t, 0)
}

// topicForm draws the form with a row per stage in f plus blank rows (extra more of them).
func (u *UI) topicForm(w http.ResponseWriter, r *http.Request, status int, f *form, t *crm.Topic, extra int) {
	ctx := r.Context()
	n := 0
	for f.Values.Has(fmt.Sprintf("stages.%d.kind", n)) {
		n++
	}
	data := topicFormData{Kinds: u.stageKindOptions(r), TaskKinds: u.taskKindOptions(r), Record: t}
	for i := 0; i < n+blankStageRows+extra && i < crm.MaxStages+blankStageRows+moreStageRows*4; i++ {
		tasks := 0
		for f.Values.Has(fmt.Sprintf("stages.%d.tasks.%d.title", i, tasks)) {
			tasks++
		}
		row := topicFormRow{Index: i}
		for j := 0; j <= tasks && j <= crm.MaxStageTasks; j++ {
			row.Tasks = append(row.Tasks, j)
		}
		if i >= n {
			f.Values.Set(fmt.Sprintf("stages.%d.order", i), strconv.Itoa((i+1)*10))
		}
		data.Rows = append(data.Rows, row)
	}
	dirs := append([]option{{Value: "", Label: "—"}}, u.directorateOptions(ctx)...)
	if t != nil && t.DirectorateID != nil {
		dirs = ensureOption(dirs, formatID(*t.DirectorateID), u.lookup(ctx).directorateName(*t.DirectorateID))
	}
	data.Directorates = dirs
	title, back, backLabel := "config.topics.new", "/admin/topics", "config.topics.title"
	if t != nil {
		title, back, backLabel = "config.topics.edit", "/admin/topics/"+strconv.FormatInt(t.ID, 10), "common.back_to_card"
	}
	page := &formPage{Form: f, Title: u.t(r, title), Back: back, BackLabel: backLabel, Extra: data}
	u.render(w, r, status, "config_topic_form.html", u.newView(r, title, "admin", page))
}

func (u *UI) topicCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/admin/topics/new", "/admin/topics")
	f.New = true
	in, ok := readTopicForm(r, f)
	if r.PostFormValue("more") != "" {
		u.topicForm(w, r, http.StatusOK, f, nil, moreStageRows)
		return
	}
	u.topicSave(w, r, f, nil, in, ok, func() (int64, error) {
		t, err := u.app.CreateTopic(r.Context(), in)
		if err != nil {
			return 0, err
		}
		return t.ID, nil
	})
}

func (u *UI) topicUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.Topic)
	if !ok {
		return
	}
	base := "/admin/topics/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in, valid := readTopicForm(r, f)
	if r.PostFormValue("more") != "" {
		u.topicForm(w, r, http.StatusOK, f, cur, moreStageRows)
		return
	}
	u.topicSave(w, r, f, cur, in, valid, func() (int64, error) {
		dir := in.DirectorateID
		_, err := u.app.UpdateTopic(r.Context(), id, app.TopicPatch{Version: f.Version, Name: &in.Name, NameEN: &in.NameEN,
			Description: &in.Description, DirectorateID: &dir, Active: &in.Active, Sort: &in.Sort, Stages: &in.Stages})
		return id, err
	})
}

// topicSave ends a posted topic form: the card on success, the form with its problems on
// the rows they belong to otherwise.
func (u *UI) topicSave(w http.ResponseWriter, r *http.Request, f *form, cur *crm.Topic, in app.TopicInput, valid bool, save func() (int64, error)) {
	show := func(status int) {
		taskErrorsToRows(f)
		u.topicForm(w, r, status, f, cur, 0)
	}
	toast := "toast.saved"
	if cur == nil {
		toast = "toast.created"
	}
	u.finishSave(w, r, formSave{form: f, fields: topicFormKeys(in.Stages), toast: toast, list: "/admin/topics", show: show}, valid, save)
}

func (u *UI) topicDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/admin/topics", func(id, version int64) error { return u.app.DeleteTopic(r.Context(), id, version) })
}

func (u *UI) topicRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/admin/topics", func(id int64) error { return u.app.RestoreTopic(r.Context(), id) })
}
