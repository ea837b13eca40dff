package app_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

func (f *fixture) userOf(t *testing.T, login string, roles crm.Roles, dirs ...int64) (context.Context, *crm.User) {
	t.Helper()
	ctx := f.user(t, login, roles, dirs...)
	return ctx, app.ActorFrom(ctx).User
}

// The assignee may close a task on a record of another directorate, but not otherwise edit
// it; members of the record's directorate may.
func TestAssigneeClosesTaskInAnotherDirectorate(t *testing.T) {
	f := setup(t)
	owner, _ := f.userOf(t, "owner", crm.Roles{crm.RoleSales}, f.d1.ID)
	helper, helperUser := f.userOf(t, "helper", crm.Roles{crm.RoleSales}, f.d2.ID)
	stranger, _ := f.userOf(t, "stranger", crm.Roles{crm.RoleSales}, f.d2.ID)
	p, err := f.a.CreateProject(owner, app.ProjectInput{Name: "Выставка"})
	if err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(time.Hour)
	remind := due.Add(-15 * time.Minute)
	tk, err := f.a.CreateTask(owner, app.TaskInput{Title: "Подготовить стенд", AssigneeID: helperUser.ID,
		DueAt: &due, RemindAt: &remind, Entity: crm.EntityProject, RecordID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if tk.DirectorateOf() != f.d1.ID {
		t.Fatalf("task directorate %d, want the record's %d", tk.DirectorateOf(), f.d1.ID)
	}
	// Not the assignee, not of the directorate: no.
	if _, err := f.a.SetTaskStatus(stranger, tk.ID, tk.Version, crm.TaskDone); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("stranger closes: %v", err)
	}
	// The assignee edits more than the status: no.
	title := "Другое"
	if _, err := f.a.UpdateTask(helper, tk.ID, app.TaskPatch{Version: tk.Version, Title: &title}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("assignee retitles: %v", err)
	}
	done, err := f.a.SetTaskStatus(helper, tk.ID, tk.Version, crm.TaskDone)
	if err != nil {
		t.Fatalf("assignee closes: %v", err)
	}
	if done.Status != crm.TaskDone || done.DoneAt == nil {
		t.Fatalf("after close: %+v", done)
	}
	// Stale version: 409.
	if _, err := f.a.SetTaskStatus(helper, tk.ID, tk.Version, crm.TaskOpen); crm.ErrorCode(err) != crm.EConflict {
		t.Fatalf("stale reopen: %v", err)
	}
	reopened, err := f.a.SetTaskStatus(helper, tk.ID, done.Version, crm.TaskOpen)
	if err != nil || reopened.DoneAt != nil {
		t.Fatalf("reopen: %+v %v", reopened, err)
	}
	// The owner's directorate edits everything, deletes; restore is for admins.
	if _, err := f.a.UpdateTask(owner, tk.ID, app.TaskPatch{Version: reopened.Version, Title: &title}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.a.Task(owner, tk.ID)
	if err := f.a.DeleteTask(stranger, tk.ID, got.Version); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("stranger deletes: %v", err)
	}
	if err := f.a.DeleteTask(owner, tk.ID, got.Version); err != nil {
		t.Fatal(err)
	}
	if err := f.a.RestoreTask(owner, tk.ID); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("sales restores: %v", err)
	}
	if err := f.a.RestoreTask(app.WithActor(context.Background(), f.admin), tk.ID); err != nil {
		t.Fatal(err)
	}
	// Every change is in the audit log.
	log, err := f.a.ListAudit(app.WithActor(context.Background(), f.admin), crm.AuditFilter{Entity: crm.EntityTask, RecordID: &tk.ID})
	if err != nil || len(log.Items) != 6 {
		t.Fatalf("audit entries %d (%v), want 6", len(log.Items), err)
	}
}

func TestTaskRules(t *testing.T) {
	f := setup(t)
	sales, me := f.userOf(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID)
	other, otherUser := f.userOf(t, "other", crm.Roles{crm.RoleSales}, f.d2.ID)
	reader, _ := f.userOf(t, "reader", crm.Roles{crm.RoleReadAdmin})
	due := time.Now().Add(time.Hour)
	late := due.Add(time.Minute)
	_, err := f.a.CreateTask(sales, app.TaskInput{Title: "x", DueAt: &due, RemindAt: &late})
	if crm.ErrorFields(err)["remind_at"] != "err.task_remind_after_due" {
		t.Fatalf("reminder after due: %v", err)
	}
	_, err = f.a.CreateTask(sales, app.TaskInput{Title: ""})
	if crm.ErrorFields(err)["title"] != "err.required" {
		t.Fatalf("no title: %v", err)
	}
	// An inactive assignee is refused.
	inactive, inactiveUser := f.userOf(t, "gone", crm.Roles{crm.RoleSales}, f.d1.ID)
	_ = inactive
	off := false
	if _, err := f.a.UpdateUser(app.WithActor(context.Background(), f.admin), inactiveUser.ID, app.UserPatch{Version: inactiveUser.Version, Active: &off}); err != nil {
		t.Fatal(err)
	}
	_, err = f.a.CreateTask(sales, app.TaskInput{Title: "x", AssigneeID: inactiveUser.ID})
	if crm.ErrorFields(err)["assignee_id"] != "err.user_unknown" {
		t.Fatalf("inactive assignee: %v", err)
	}
	// A task on no record is its author's and its assignee's.
	free, err := f.a.CreateTask(sales, app.TaskInput{Title: "Личное", AssigneeID: otherUser.ID})
	if err != nil || free.AssigneeID != otherUser.ID || free.DirectorateID != nil {
		t.Fatalf("free task: %+v %v", free, err)
	}
	title := "Личное (уточнено)"
	upd, err := f.a.UpdateTask(other, free.ID, app.TaskPatch{Version: free.Version, Title: &title})
	if err != nil {
		t.Fatalf("assignee edits a free task: %v", err)
	}
	third, _ := f.userOf(t, "third", crm.Roles{crm.RoleSales}, f.d1.ID)
	if _, err := f.a.UpdateTask(third, free.ID, app.TaskPatch{Version: upd.Version, Title: &title}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("a third person edits a free task: %v", err)
	}
	// Read-only roles read but do not create.
	if _, err := f.a.CreateTask(reader, app.TaskInput{Title: "x"}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("reader creates: %v", err)
	}
	if _, err := f.a.Task(reader, free.ID); err != nil {
		t.Fatal(err)
	}
	// A record that does not exist is a field error.
	_, err = f.a.CreateTask(sales, app.TaskInput{Title: "x", Entity: crm.EntityProject, RecordID: 999999})
	if crm.ErrorFields(err)["record_id"] != "err.record_unknown" {
		t.Fatalf("unknown record: %v", err)
	}
	_, err = f.a.CreateTask(sales, app.TaskInput{Title: "x", Entity: crm.EntityUser, RecordID: me.ID})
	if crm.ErrorFields(err)["entity"] != "err.choice" {
		t.Fatalf("entity without tasks: %v", err)
	}
}

// The bell: reminders whose time came, until done or dismissed; the worker's delivery reaches
// a subscriber once.
func TestRemindersBellAndDelivery(t *testing.T) {
	f := setup(t)
	sales, me := f.userOf(t, "sales", crm.Roles{crm.RoleSales}, f.d1.ID)
	now := time.Now()
	due := now.Add(time.Hour)
	past, future := now.Add(-time.Minute), now.Add(30*time.Minute)
	rang, err := f.a.CreateTask(sales, app.TaskInput{Title: "Позвонить", DueAt: &due, RemindAt: &past})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.CreateTask(sales, app.TaskInput{Title: "Позже", DueAt: &due, RemindAt: &future}); err != nil {
		t.Fatal(err)
	}
	n, items, err := f.a.UnreadReminders(sales)
	if err != nil || n != 1 || items[0].ID != rang.ID {
		t.Fatalf("bell: %d %v %v", n, items, err)
	}
	sub := f.a.Notifier().Subscribe(me.ID)
	defer sub.Close()
	sent, err := f.a.DeliverDueReminders(context.Background(), 100)
	if err != nil || sent != 1 {
		t.Fatalf("delivered %d, %v", sent, err)
	}
	select {
	case got := <-sub.C:
		if got.Task == nil || got.Task.ID != rang.ID {
			t.Fatalf("notice %+v", got)
		}
	case <-time.After(time.Second):
		t.Fatal("no notice")
	}
	if sent, _ := f.a.DeliverDueReminders(context.Background(), 100); sent != 0 {
		t.Fatalf("delivered again: %d", sent)
	}
	if err := f.a.DismissReminder(sales, rang.ID); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := f.a.UnreadReminders(sales); n != 0 {
		t.Fatalf("bell after dismiss: %d", n)
	}
	// A slow subscriber does not block publishing.
	slow := f.a.Notifier().Subscribe(me.ID)
	for range 100 {
		f.a.Notifier().Publish(me.ID, app.Notice{At: now})
	}
	slow.Close()
	f.a.Notifier().Close()
	if _, open := <-sub.C; open {
		// Drain what was buffered, then the channel must be closed.
		for range sub.C {
		}
	}
}

// A crm_sales of another directorate cannot attach a file to, or write a note on, a record it
// cannot edit; one of the record's directorate can, and every CRM role reads it.
func TestFilesAndNotesFollowTheRecord(t *testing.T) {
	f := setup(t)
	owner, _ := f.userOf(t, "owner", crm.Roles{crm.RoleSales}, f.d1.ID)
	other, _ := f.userOf(t, "other", crm.Roles{crm.RoleSales}, f.d2.ID)
	reader, _ := f.userOf(t, "reader", crm.Roles{crm.RoleReadAdmin})
	p, err := f.a.CreateProject(owner, app.ProjectInput{Name: "Конференция"})
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	// A company of the first directorate, written straight to the store (its use cases are
	// another slice's).
	d1 := f.d1.ID
	c := &crm.Company{Name: "ООО «Ромашка»", Kind: crm.KindLegal, DirectorateID: &d1}
	if err := f.a.Store().CreateCompany(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	for _, rec := range []struct {
		entity string
		id     int64
	}{{crm.EntityProject, p.ID}, {crm.EntityCompany, c.ID}} {
		_, err = f.a.AddAttachment(other, app.FileInput{Entity: rec.entity, RecordID: rec.id, FileName: "a.pdf", Content: pdf})
		if crm.ErrorCode(err) != crm.EForbidden {
			t.Fatalf("%s: other directorate attaches: %v", rec.entity, err)
		}
		if _, err := f.a.AddNote(other, rec.entity, rec.id, "чужая заметка"); crm.ErrorCode(err) != crm.EForbidden {
			t.Fatalf("%s: other directorate writes a note: %v", rec.entity, err)
		}
		if _, err := f.a.CreateTask(other, app.TaskInput{Title: "x", Entity: rec.entity, RecordID: rec.id}); crm.ErrorCode(err) != crm.EForbidden {
			t.Fatalf("%s: other directorate adds a task: %v", rec.entity, err)
		}
		file, err := f.a.AddAttachment(owner, app.FileInput{Entity: rec.entity, RecordID: rec.id, FileName: `C:\scans\Счёт "№1".pdf`, Content: pdf})
		if err != nil {
			t.Fatalf("%s: owner attaches: %v", rec.entity, err)
		}
		if file.MIME != "application/pdf" || file.FileName != "Счёт №1.pdf" {
			t.Fatalf("file: %+v", file)
		}
		_, b, err := f.a.AttachmentContent(reader, file.ID)
		if err != nil || !bytes.Equal(b, pdf) {
			t.Fatalf("reader downloads: %v", err)
		}
		if err := f.a.DeleteAttachment(other, file.ID, file.Version); crm.ErrorCode(err) != crm.EForbidden {
			t.Fatalf("other deletes the file: %v", err)
		}
		if _, err := f.a.AddNote(owner, rec.entity, rec.id, "Клиент ждёт КП"); err != nil {
			t.Fatal(err)
		}
		items, _, err := f.a.Timeline(reader, rec.entity, rec.id, nil, 50)
		if err != nil {
			t.Fatal(err)
		}
		var notes, files int
		for _, it := range items {
			if it.Note != nil {
				notes++
			}
			if it.File != nil {
				files++
			}
		}
		if notes != 1 || files != 1 {
			t.Fatalf("%s timeline: %d notes, %d files", rec.entity, notes, files)
		}
		if err := f.a.DeleteAttachment(owner, file.ID, file.Version); err != nil {
			t.Fatal(err)
		}
		if list, _ := f.a.Attachments(reader, rec.entity, rec.id); len(list) != 0 {
			t.Fatalf("deleted file listed")
		}
	}
	// Type by content: HTML named .pdf, SVG named .txt, a shell script and a plain zip are refused.
	for name, content := range map[string][]byte{
		"invoice.pdf": []byte("<html><script>alert(1)</script></html>"),
		"logo.txt":    []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
		"run.txt":     []byte("#!/bin/sh\nrm -rf /\n"),
		"page.html":   []byte("hello"),
		"tool.exe":    append([]byte("MZ\x90\x00"), make([]byte, 100)...),
	} {
		_, err := f.a.AddAttachment(owner, app.FileInput{Entity: crm.EntityProject, RecordID: p.ID, FileName: name, Content: content})
		if crm.ErrorFields(err)["file"] != "err.file_type" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := f.a.AddAttachment(owner, app.FileInput{Entity: crm.EntityProject, RecordID: p.ID, FileName: "x.csv", Content: []byte("ИНН;Название\n7707083893;Сбербанк\n")}); err != nil {
		t.Errorf("csv: %v", err)
	}
	if _, err := f.a.AddNote(owner, crm.EntityProject, p.ID, string(bytes.Repeat([]byte("я"), crm.MaxNoteBody+1))); crm.ErrorFields(err)["body"] != "err.too_long" {
		t.Errorf("long note: %v", err)
	}
}
