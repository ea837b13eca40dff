package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// "My tasks": one list in four tabs (overdue, today, upcoming, done), a quick add, done with
// one click. Managers and admins may look at someone else's tasks or everyone's.

var taskListDef = register(&listDef{
	Name: "tasks", Path: "/tasks", Entity: crm.EntityTask, Search: true, SearchHint: "tasks.search_hint",
	Columns: []colDef{
		{Key: "title", Label: "field.task.title", Sort: "title", Fixed: true},
		{Key: "due_at", Label: "field.task.due_at", Sort: "due_at", Default: true},
		{Key: "record", Label: "field.task.record", Default: true},
		{Key: "assignee", Label: "field.task.assignee_id", Default: true},
		{Key: "kind", Label: "field.task.kind", Default: true},
		{Key: "remind_at", Label: "field.task.remind_at"},
		{Key: "created_at", Label: "field.created_at", Sort: "created_at"},
		{Key: "updated_at", Label: "field.updated_at", Sort: "updated_at"},
	},
	Filters:     []string{"tab", "assignee"},
	DefaultSort: "due_at",
})

func init() { taskListDef.Rows = (*UI).taskRows }

// taskView is one task as lists, the card tab and the bell show it.
type taskView struct {
	ID          int64
	Version     int64
	Title       string
	Kind        string // translated
	Assignee    string
	Due         string
	Remind      string
	Overdue     bool
	Done        bool
	Cancelled   bool
	RecordTitle string
	RecordHref  string
	CanClose    bool
	CanEdit     bool
	Description string
}

// taskPage is the extra data of the tasks list: tabs, the quick add, the rows' own details.
type taskPage struct {
	Tab       string
	Tabs      []taskTab
	Rows      map[int64]taskView
	Form      *form
	Users     []option
	Assignee  string // filter value: "" me, "all", or a user id
	CanPickAs bool   // may look at other people's tasks
	CanCreate bool
}

type taskTab struct {
	Key   string
	Label string // catalogue key
	Href  string
	Count int // shown for overdue only; -1 = not counted
}

// mayWatchOthers: managers and admins see other people's tasks in "my tasks".
func mayWatchOthers(u *crm.User) bool {
	return u != nil && (u.Roles.IsFullAdmin() || u.Roles.Has(crm.RoleManager))
}

func (u *UI) taskList(w http.ResponseWriter, r *http.Request) {
	s := u.parseList(r, taskListDef)
	if err := u.taskRows(r, s); err != nil {
		u.fail(w, r, err)
		return
	}
	v := u.newView(r, "tasks.title", "tasks", s)
	if isHTMX(r) && r.Header.Get("HX-History-Restore-Request") != "true" && r.Header.Get("HX-Target") == "list-region" {
		u.execute(w, r, http.StatusOK, "tasks.html", "tasks_region", v)
		return
	}
	u.render(w, r, http.StatusOK, "tasks.html", v)
}

// taskRows loads one page of the tasks list for the state.
func (u *UI) taskRows(r *http.Request, s *listState) error {
	ctx := r.Context()
	act := app.ActorFrom(ctx)
	tab := s.Filter("tab")
	if !contains(app.TaskTabs, tab) {
		tab = app.TabToday
		s.Filters.Del("tab")
	}
	extra := &taskPage{Tab: tab, Rows: map[int64]taskView{}, CanPickAs: mayWatchOthers(act.User),
		CanCreate: u.app.Allowed(ctx, app.ActCreate, crm.EntityTask)}
	f := crm.TaskFilter{Q: s.Q, AssigneeID: act.User.ID, Deleted: s.Deleted, Page: s.Page()}
	who := s.Filter("assignee")
	switch {
	case !extra.CanPickAs || who == "":
		s.Filters.Del("assignee")
	case who == "all":
		f.AssigneeID = 0
		extra.Assignee = who
	default:
		id, _ := strconv.ParseInt(who, 10, 64)
		if id > 0 {
			f.AssigneeID, extra.Assignee = id, formatID(id)
			s.Filters.Set("assignee", extra.Assignee)
		} else {
			s.Filters.Del("assignee")
		}
	}
	if s.Sort == "" || (s.Sort == taskListDef.DefaultSort && r.URL.Query().Get("sort") == "" && tab == app.TabDone) {
		s.Sort, s.Desc = "updated_at", true // done: the latest finished first
	}
	f.Page = s.Page()
	f = u.app.TaskTabFilter(ctx, tab, f)
	page, err := u.app.ListTasks(ctx, f)
	if err != nil {
		return err
	}
	views := u.taskViews(ctx, r, page.Items)
	lang := u.lang(r)
	loc := userLocation(ctx)
	for i, t := range page.Items {
		tv := views[i]
		extra.Rows[t.ID] = tv
		rw := row{ID: t.ID, Href: tv.RecordHref, Cells: map[string]cell{
			"title":      {Text: t.Title},
			"due_at":     {Text: tv.Due},
			"record":     {Text: tv.RecordTitle, Href: tv.RecordHref},
			"assignee":   {Text: tv.Assignee},
			"kind":       {Text: tv.Kind},
			"remind_at":  {Text: tv.Remind, Muted: true},
			"created_at": {Text: formatDateTime(lang, t.CreatedAt, loc), Muted: true},
			"updated_at": {Text: formatDateTime(lang, t.UpdatedAt, loc), Muted: true},
		}}
		if tv.Overdue {
			rw.Cells["due_at"] = cell{Text: tv.Due, Badge: "red"}
		}
		if s.Deleted {
			rw.RestoreURL = "/tasks/" + strconv.FormatInt(t.ID, 10) + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "tasks.empty." + tab
	// Tabs keep the other filters; the overdue tab shows how many there are.
	overdue := -1
	if tab != app.TabOverdue {
		of := u.app.TaskTabFilter(ctx, app.TabOverdue, crm.TaskFilter{AssigneeID: f.AssigneeID, Page: crm.PageRequest{Limit: 1}})
		if p, err := u.app.ListTasks(ctx, of); err == nil {
			overdue = p.Total
		}
	} else {
		overdue = page.Total
	}
	for _, key := range app.TaskTabs {
		q := url.Values{}
		if key != app.TabToday {
			q.Set("tab", key)
		}
		if extra.Assignee != "" {
			q.Set("assignee", extra.Assignee)
		}
		href := "/tasks"
		if len(q) > 0 {
			href += "?" + q.Encode()
		}
		tt := taskTab{Key: key, Label: "tasks.tab." + key, Href: href, Count: -1}
		if key == app.TabOverdue {
			tt.Count = overdue
		}
		extra.Tabs = append(extra.Tabs, tt)
	}
	if extra.CanPickAs || extra.CanCreate {
		extra.Users = u.userOptions(ctx)
	}
	if extra.CanCreate {
		extra.Form = newForm("/tasks/new", "/tasks")
		extra.Form.Values.Set("assignee_id", formatID(act.User.ID))
	}
	s.Extra = extra
	return nil
}

// taskViews turns tasks into what templates show, reading the names they mention once.
func (u *UI) taskViews(ctx context.Context, r *http.Request, tasks []crm.Task) []taskView {
	names := u.lookup(ctx)
	ids := make([]*int64, 0, len(tasks))
	for i := range tasks {
		ids = append(ids, &tasks[i].AssigneeID)
	}
	names.prefetchUsers(ids...)
	lang, loc, now := u.lang(r), userLocation(ctx), time.Now()
	out := make([]taskView, 0, len(tasks))
	for i := range tasks {
		t := &tasks[i]
		tv := taskView{ID: t.ID, Version: t.Version, Title: t.Title, Kind: u.t(r, "value.task_kind."+string(t.Kind)),
			Assignee: names.user(t.AssigneeID), Overdue: t.Overdue(now), Done: t.Status == crm.TaskDone,
			Cancelled: t.Status == crm.TaskCancelled, RecordTitle: t.RecordTitle, RecordHref: recordHref(t.Entity, t.RecordID),
			Description: t.Description}
		if t.DueAt != nil {
			tv.Due = formatDateTime(lang, *t.DueAt, loc)
		}
		if t.RemindAt != nil {
			tv.Remind = formatDateTime(lang, *t.RemindAt, loc)
		}
		if t.Entity != "" && tv.RecordTitle == "" {
			tv.RecordTitle = entityLabel(lang, t.Entity) + " #" + strconv.FormatInt(derefInt(t.RecordID), 10)
		}
		if !t.Deleted() {
			tv.CanClose = u.app.CanCloseTask(ctx, t)
			tv.CanEdit = u.app.CanEditTask(ctx, t)
		}
		out = append(out, tv)
	}
	return out
}

func derefInt(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// taskFields are the fields of the task forms.
var taskFields = []string{"title", "kind", "assignee_id", "due_at", "remind_at", "description"}

// readTaskForm parses a posted task in the user's time zone.
func (u *UI) readTaskForm(r *http.Request, f *form) (app.TaskInput, bool) {
	f.fromRequest(r)
	loc := userLocation(r.Context())
	in := app.TaskInput{Title: f.Get("title"), Kind: crm.TaskKind(f.Get("kind")), Description: f.Get("description")}
	in.AssigneeID, _ = strconv.ParseInt(f.Get("assignee_id"), 10, 64)
	var ok bool
	if in.DueAt, ok = parseLocalTime(f.Get("due_at"), loc); !ok {
		f.Errors["due_at"] = "err.date_format"
	}
	if in.RemindAt, ok = parseLocalTime(f.Get("remind_at"), loc); !ok {
		f.Errors["remind_at"] = "err.date_format"
	}
	return in, len(f.Errors) == 0
}

// taskQuickAdd adds a task from "my tasks" (on no record).
func (u *UI) taskQuickAdd(w http.ResponseWriter, r *http.Request) {
	f := newForm("/tasks/new", "/tasks")
	in, ok := u.readTaskForm(r, f)
	back := localPath(r.PostFormValue("back"), "/tasks")
	if ok {
		_, err := u.app.CreateTask(r.Context(), in)
		if err == nil {
			u.flash(r, "success", "tasks.created")
			redirect(w, r, back)
			return
		}
		if !f.absorb(err, taskFields...) {
			u.fail(w, r, err)
			return
		}
	}
	// Shown again with what was typed and the problems, inline, in the list page.
	q, _ := url.Parse(back)
	r2 := r.Clone(r.Context())
	r2.URL = q
	r2.Method = http.MethodGet
	s := u.parseList(r2, taskListDef)
	if err := u.taskRows(r2, s); err != nil {
		u.fail(w, r, err)
		return
	}
	s.Extra.(*taskPage).Form = f
	u.render(w, r, http.StatusUnprocessableEntity, "tasks.html", u.newView(r, "tasks.title", "tasks", s))
}

// loadTaskPanel reads the tasks tab of a card.
func (u *UI) loadTaskPanel(r *http.Request, p *workPanel, f *form) error {
	ctx := r.Context()
	page, err := u.app.ListTasks(ctx, crm.TaskFilter{Entity: p.Entity, RecordID: p.RecordID,
		Page: crm.PageRequest{Limit: crm.MaxPageSize, Sort: "due_at"}})
	if err != nil {
		return err
	}
	p.Tasks = u.taskViews(ctx, r, page.Items)
	if p.CanEdit {
		if f == nil {
			f = newForm(p.Action("tasks"), p.Base+"?tab=tasks")
			if act := app.ActorFrom(ctx); act != nil {
				f.Values.Set("assignee_id", formatID(act.User.ID))
			}
			f.Values.Set("kind", string(crm.TaskTask))
		}
		p.TaskForm = f
		p.Users = u.userOptions(ctx)
		if id, _ := strconv.ParseInt(f.Get("assignee_id"), 10, 64); id > 0 {
			p.Users = ensureOption(p.Users, formatID(id), u.lookup(ctx).user(id))
		}
		for _, k := range crm.TaskKinds {
			p.Kinds = append(p.Kinds, option{Value: string(k), Label: u.t(r, "value.task_kind."+string(k))})
		}
	}
	return nil
}

// recordTaskAdd adds a task from a card's tasks tab.
func (u *UI) recordTaskAdd(w http.ResponseWriter, r *http.Request) {
	entity, id, ok := u.workRecord(w, r)
	if !ok {
		return
	}
	base := recordHref(entity, &id)
	p := &workPanel{Entity: entity, RecordID: id, Base: base, CanEdit: true}
	f := newForm(p.Action("tasks"), base+"?tab=tasks")
	in, valid := u.readTaskForm(r, f)
	in.Entity, in.RecordID = entity, id
	status, toastKey := http.StatusOK, "tasks.created"
	if valid {
		if _, err := u.app.CreateTask(r.Context(), in); err != nil {
			if !f.absorb(err, taskFields...) {
				u.fail(w, r, err)
				return
			}
			status, toastKey = formStatus(err), ""
		} else {
			f = nil // a fresh form for the next task
		}
	} else {
		status, toastKey = http.StatusUnprocessableEntity, ""
	}
	p.CanEdit = u.app.CanEditRecord(r.Context(), entity, id)
	if err := u.loadTaskPanel(r, p, f); err != nil {
		u.fail(w, r, err)
		return
	}
	if f != nil && !p.CanEdit {
		p.TaskForm = f // forbidden: keep the form to show why
	}
	u.workRegion(w, r, status, p, "tasks", "work_tasks", toastKey)
}

// taskStatus closes, reopens or cancels a task in place: the row (list, card) or the bell
// comes back redrawn.
func (u *UI) taskStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	status := crm.TaskStatus(r.PostFormValue("status"))
	t, err := u.app.SetTaskStatus(r.Context(), id, version, status)
	if err != nil {
		if isHTMX(r) && crm.ErrorCode(err) == crm.EConflict {
			triggerToast(w, toast{Level: "danger", Text: u.t(r, "err.stale_version")})
			w.Header().Set("HX-Reswap", "none")
			w.WriteHeader(http.StatusConflict)
			return
		}
		u.fail(w, r, err)
		return
	}
	key := "tasks.reopened"
	if t.Status == crm.TaskDone {
		key = "tasks.done_toast"
	} else if t.Status == crm.TaskCancelled {
		key = "tasks.cancelled_toast"
	}
	if !isHTMX(r) {
		u.flash(r, "success", key)
		redirect(w, r, localPath(r.PostFormValue("back"), "/tasks"))
		return
	}
	triggerToast(w, toast{Level: "success", Text: u.t(r, key)})
	if r.PostFormValue("view") == "bell" {
		u.bellPartial(w, r)
		return
	}
	tv := u.taskViews(r.Context(), r, []crm.Task{*t})[0]
	if r.PostFormValue("view") == "card" {
		back := localPath(r.PostFormValue("back"), "")
		u.execute(w, r, http.StatusOK, "tasks.html", "task_item_answer", u.newView(r, "", "", map[string]any{"T": tv, "Back": back}))
		return
	}
	u.execute(w, r, http.StatusOK, "tasks.html", "task_toggle_answer", u.newView(r, "", "", map[string]any{"T": tv, "View": "row", "Target": "this"}))
}

// taskDismiss takes a reminder out of the bell.
func (u *UI) taskDismiss(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	if err := u.app.DismissReminder(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	if !isHTMX(r) {
		redirect(w, r, localPath(r.PostFormValue("back"), "/tasks"))
		return
	}
	u.bellPartial(w, r)
}

// taskDelete moves a task to the trash and goes back where it was deleted from.
func (u *UI) taskDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	back := localPath(r.PostFormValue("back"), "/tasks")
	if err := u.app.DeleteTask(r.Context(), id, version); err != nil {
		if crm.ErrorCode(err) == crm.EConflict {
			u.flash(r, "danger", "err.stale_version")
			redirect(w, r, back)
			return
		}
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "toast.deleted")
	redirect(w, r, back)
}

// taskRestore brings a task back from the trash (crm_admin, admin).
func (u *UI) taskRestore(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r)
	if !ok {
		u.notFound(w, r)
		return
	}
	if err := u.app.RestoreTask(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "toast.restored")
	redirect(w, r, "/tasks?deleted=1")
}

// bellData is the header's reminder bell: how many reminders wait, and the first of them.
type bellData struct {
	Count int
	Items []taskView
}

// Bell reads the bell of the page's user (the layout draws it on every page).
func (v *view) Bell() *bellData {
	if v.User == nil || !v.User.Roles.IsCRMUser() {
		return nil
	}
	n, items, err := v.app.UnreadReminders(v.ctx)
	if err != nil {
		return &bellData{}
	}
	b := &bellData{Count: n}
	lang := v.Lang
	now := time.Now()
	for _, t := range items {
		tv := taskView{ID: t.ID, Version: t.Version, Title: t.Title, Overdue: t.Overdue(now),
			RecordTitle: t.RecordTitle, RecordHref: recordHref(t.Entity, t.RecordID), CanClose: true}
		if t.DueAt != nil {
			tv.Due = formatDateTime(lang, *t.DueAt, v.loc)
		}
		b.Items = append(b.Items, tv)
	}
	return b
}

// bellPartial draws the bell alone (after done or dismiss from its dropdown).
func (u *UI) bellPartial(w http.ResponseWriter, r *http.Request) {
	u.execute(w, r, http.StatusOK, "tasks.html", "bell_body", u.bareView(r.Context(), u.lang(r)))
}

// bareView is a view for a fragment drawn outside a page: no flash is taken from the session
// (it belongs to the next page the user opens).
func (u *UI) bareView(ctx context.Context, lang string) *view {
	v := &view{Lang: lang, Version: u.opts.Version, ctx: ctx, app: u.app, loc: location("")}
	if act := app.ActorFrom(ctx); act != nil && act.User != nil {
		v.User = act.User
		v.loc = location(act.User.TimeZone)
	}
	return v
}
