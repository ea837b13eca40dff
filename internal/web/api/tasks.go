package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Task (Задание) is a task or reminder on a record, or on none.
type Task struct {
	Meta
	Title         string     `json:"title" doc:"What is to be done." example:"Позвонить Иванову"`
	Kind          string     `json:"kind" enum:"task,call,meeting,message,reminder" doc:"Kind; message is a notice to an employee."`
	Description   string     `json:"description" doc:"Free text."`
	AssigneeID    int64      `json:"assignee_id" doc:"Id of the user who is to do it."`
	DueAt         *time.Time `json:"due_at,omitempty" doc:"Due time (UTC)."`
	RemindAt      *time.Time `json:"remind_at,omitempty" doc:"When the assignee is reminded (UTC); not after due_at."`
	NotifiedAt    *time.Time `json:"notified_at,omitempty" doc:"When the reminder was delivered."`
	Status        string     `json:"status" enum:"open,done,cancelled" doc:"Open, done or cancelled."`
	DoneAt        *time.Time `json:"done_at,omitempty" doc:"When it was done."`
	Overdue       bool       `json:"overdue" doc:"Open and past due."`
	Entity        string     `json:"entity,omitempty" doc:"Type of the record it is on."`
	RecordID      *int64     `json:"record_id,omitempty" doc:"Id of the record it is on."`
	RecordTitle   string     `json:"record_title,omitempty" doc:"Name of the record it is on."`
	Origin        string     `json:"origin" doc:"How it came about: manual, stage, automation…"`
	DirectorateID *int64     `json:"directorate_id,omitempty" doc:"The record's sales directorate."`
}

func taskOf(t *crm.Task) Task {
	return Task{Meta: metaOf(t.Meta), Title: t.Title, Kind: string(t.Kind), Description: t.Description, AssigneeID: t.AssigneeID,
		DueAt: t.DueAt, RemindAt: t.RemindAt, NotifiedAt: t.NotifiedAt, Status: string(t.Status), DoneAt: t.DoneAt,
		Overdue: t.Overdue(time.Now()), Entity: t.Entity, RecordID: t.RecordID, RecordTitle: t.RecordTitle, Origin: t.Origin,
		DirectorateID: t.DirectorateID}
}

// TaskCreate adds a task.
type TaskCreate struct {
	Title       string     `json:"title" maxLength:"300" doc:"What is to be done."`
	Kind        string     `json:"kind,omitempty" enum:"task,call,meeting,message,reminder" doc:"Default task."`
	Description string     `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
	AssigneeID  int64      `json:"assignee_id,omitempty" minimum:"0" doc:"An active user (default: the caller)."`
	DueAt       *time.Time `json:"due_at,omitempty" doc:"Due time."`
	RemindAt    *time.Time `json:"remind_at,omitempty" doc:"Reminder time, not after due_at."`
	Entity      string     `json:"entity,omitempty" enum:"project,company,contact,deal,contract" doc:"Type of the record it is on; leave out for a task on no record."`
	RecordID    int64      `json:"record_id,omitempty" minimum:"0" doc:"Id of the record it is on."`
}

// TaskPatch changes some fields of a task.
type TaskPatch struct {
	Version     int64               `json:"version" minimum:"1" doc:"The version last read."`
	Title       *string             `json:"title,omitempty" maxLength:"300" doc:"What is to be done."`
	Kind        *string             `json:"kind,omitempty" enum:"task,call,meeting,message,reminder" doc:"Kind."`
	Description *string             `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
	AssigneeID  *int64              `json:"assignee_id,omitempty" minimum:"1" doc:"Give it to another active user."`
	DueAt       Nullable[time.Time] `json:"due_at,omitzero" doc:"Due time; null clears it."`
	RemindAt    Nullable[time.Time] `json:"remind_at,omitzero" doc:"Reminder time; null clears it. A new time rings again."`
	Status      *string             `json:"status,omitempty" enum:"open,done,cancelled" doc:"Close, reopen or cancel: the assignee always may."`
}

type listTasksInput struct {
	ListParams
	Sort       string `query:"sort" enum:"due_at,-due_at,created_at,-created_at,updated_at,-updated_at,title,-title,id,-id" doc:"Sort field; a leading minus sorts descending. Default: due_at (tasks without one last)."`
	Q          string `query:"q" maxLength:"200" doc:"Search in title and description."`
	Mine       bool   `query:"mine" doc:"Only tasks assigned to the caller."`
	AssigneeID int64  `query:"assignee_id" minimum:"0" doc:"Only tasks of this assignee."`
	Status     string `query:"status" enum:"open,done,cancelled" doc:"Only tasks of this status."`
	Overdue    bool   `query:"overdue" doc:"Only open tasks past due."`
	Entity     string `query:"entity" enum:"project,company,contact,deal,contract" doc:"Only tasks on records of this type."`
	RecordID   int64  `query:"record_id" minimum:"0" doc:"Only tasks on this record (with entity)."`
	DueBefore  string `query:"due_before" format:"date-time" doc:"Only tasks due before this time."`
	DueFrom    string `query:"due_from" format:"date-time" doc:"Only tasks due at or after this time."`
	Deleted    bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type taskBody struct {
	Body TaskCreate
}

type patchTaskInput struct {
	IDParam
	Body TaskPatch
}

func (h *handlers) registerTasks(api huma.API) {
	const tag, path = "Tasks", "/tasks"
	huma.Register(api, op("listTasks", http.MethodGet, path, tag, "List tasks",
		"A page of tasks; mine=true for the caller's own, overdue=true for open ones past due. Readable by every CRM role."),
		func(ctx context.Context, in *listTasksInput) (*pageOutput[Task], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f := crm.TaskFilter{Q: in.Q, AssigneeID: in.AssigneeID, Status: crm.TaskStatus(in.Status), Overdue: in.Overdue,
				Entity: in.Entity, RecordID: in.RecordID, Deleted: in.Deleted, Page: pr}
			if in.Mine {
				if act := app.ActorFrom(ctx); act != nil && act.User != nil {
					f.AssigneeID = act.User.ID
				}
			}
			for _, x := range []struct {
				s   string
				dst **time.Time
				key string
			}{{in.DueBefore, &f.DueBefore, "due_before"}, {in.DueFrom, &f.DueFrom, "due_from"}} {
				if x.s == "" {
					continue
				}
				t, err := time.Parse(time.RFC3339Nano, x.s)
				if err != nil {
					return nil, fail(ctx, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{x.key: "err.date_format"}}, nil)
				}
				*x.dst = &t
			}
			p, err := h.app.ListTasks(ctx, f)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[Task]{Body: pageOf(p, taskOf)}, nil
		})

	huma.Register(api, op("createTask", http.MethodPost, path, tag, "Create a task",
		"Adds a task. On a record it takes the record's directorate and needs the right to edit the record; on no record any business role may add one."),
		func(ctx context.Context, in *taskBody) (*createdOutput[Task], error) {
			b := in.Body
			t, err := h.app.CreateTask(ctx, app.TaskInput{Title: b.Title, Kind: crm.TaskKind(b.Kind), Description: b.Description,
				AssigneeID: b.AssigneeID, DueAt: b.DueAt, RemindAt: b.RemindAt, Entity: b.Entity, RecordID: b.RecordID})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, t.ID, taskOf(t)), nil
		})

	huma.Register(api, op("getTask", http.MethodGet, path+"/{id}", tag, "Get a task",
		"One task. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Task], error) {
			t, err := h.app.Task(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(taskOf(t)), nil
		})

	huma.Register(api, op("updateTask", http.MethodPatch, path+"/{id}", tag, "Change a task",
		"Changes the fields sent. Those who may edit the task's record may change everything; the assignee may always change the status.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchTaskInput) (*bodyOutput[Task], error) {
			b := in.Body
			pt := app.TaskPatch{Version: b.Version, Title: b.Title, Description: b.Description, AssigneeID: b.AssigneeID,
				DueAt: b.DueAt.patch(), RemindAt: b.RemindAt.patch()}
			if b.Kind != nil {
				k := crm.TaskKind(*b.Kind)
				pt.Kind = &k
			}
			if b.Status != nil {
				s := crm.TaskStatus(*b.Status)
				pt.Status = &s
			}
			t, err := h.app.UpdateTask(ctx, in.ID, pt)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(taskOf(t)), nil
		})

	huma.Register(api, op("deleteTask", http.MethodDelete, path+"/{id}", tag, "Delete a task",
		"Moves a task to the trash: those who may edit it.", http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteTask))

	restore := op("restoreTask", http.MethodPost, path+"/{id}/restore", tag, "Restore a task",
		"Brings a deleted task back from the trash (crm_admin, admin).", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[Task], error) {
		return restored(ctx, in.ID, h.app.RestoreTask, h.app.Task, taskOf)
	})
}
