package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
)

var workTests = []storeTest{
	{"TasksRoundTrip", testTasksRoundTrip},
	{"TaskFilters", testTaskFilters},
	{"TaskReminders", testTaskReminders},
	{"ReminderClaimedOnce", testReminderClaimedOnce},
	{"Attachments", testAttachments},
	{"Notes", testNotes},
}

// workWorld is a directorate, a user and a project to hang tasks, files and notes on.
func workWorld(t *testing.T, db *store.DB) (*crm.User, *crm.Project) {
	t.Helper()
	d := newDirectorate(t, db, unique("Work-dir "))
	u := newUser(t, db, crm.Roles{crm.RoleSales}, d.ID)
	p := &crm.Project{Name: unique("Проект «Выставка» "), Status: crm.ProjectActive, DirectorateID: &d.ID}
	p.CreatedBy = &u.ID
	must(t, db.CreateProject(ctx, p))
	return u, p
}

func newTask(t *testing.T, db *store.DB, assignee int64, title string, due, remind *time.Time, on *crm.Project) *crm.Task {
	t.Helper()
	tk := &crm.Task{Title: title, AssigneeID: assignee, DueAt: due, RemindAt: remind}
	if on != nil {
		tk.Entity, tk.RecordID, tk.DirectorateID = crm.EntityProject, &on.ID, on.DirectorateID
	}
	tk.CreatedBy = &assignee
	tk.Normalise()
	must(t, tk.Validate())
	must(t, db.CreateTask(ctx, tk))
	return tk
}

func timePtr(t time.Time) *time.Time { return &t }

func testTasksRoundTrip(t *testing.T, db *store.DB) {
	u, p := workWorld(t, db)
	due := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Microsecond)
	remind := due.Add(-15 * time.Minute)
	tk := newTask(t, db, u.ID, "Позвонить Иванову", &due, &remind, p)
	got, err := db.TaskByID(ctx, tk.ID)
	must(t, err)
	if got.Title != "Позвонить Иванову" || got.Kind != crm.TaskTask || got.Status != crm.TaskOpen || got.Origin != "manual" ||
		!got.DueAt.Equal(due) || !got.RemindAt.Equal(remind) || got.Entity != crm.EntityProject || *got.RecordID != p.ID ||
		got.RecordTitle != p.Name || got.DirectorateOf() != p.DirectorateOf() || got.Version != 1 {
		t.Fatalf("round trip: %+v", got)
	}
	// Done: status and time stored, version checked.
	got.Status, got.DoneAt = crm.TaskDone, timePtr(time.Now().UTC().Truncate(time.Microsecond))
	must(t, db.UpdateTask(ctx, got))
	stale := *got
	stale.Version = 1
	wantCode(t, db.UpdateTask(ctx, &stale), crm.EConflict)
	again, _ := db.TaskByID(ctx, tk.ID)
	if again.Status != crm.TaskDone || again.DoneAt == nil || again.Version != 2 {
		t.Fatalf("after update: %+v", again)
	}
	// A task on no record has no record title.
	free := newTask(t, db, u.ID, "Без записи", nil, nil, nil)
	got, _ = db.TaskByID(ctx, free.ID)
	if got.RecordTitle != "" || got.RecordID != nil || got.Entity != "" {
		t.Fatalf("free task: %+v", got)
	}
	_, err = db.TaskByID(ctx, 1<<40)
	wantCode(t, err, crm.ENotFound)
}

func testTaskFilters(t *testing.T, db *store.DB) {
	u, p := workWorld(t, db)
	other, _ := workWorld(t, db)
	now := time.Now().UTC().Truncate(time.Microsecond)
	yesterday, soon, nextWeek := now.Add(-24*time.Hour), now.Add(time.Hour), now.Add(7*24*time.Hour)
	overdue := newTask(t, db, u.ID, "Просрочена", &yesterday, nil, p)
	today := newTask(t, db, u.ID, "Сегодня", &soon, nil, nil)
	later := newTask(t, db, u.ID, "Через неделю", &nextWeek, nil, p)
	undated := newTask(t, db, u.ID, "Когда-нибудь", nil, nil, nil)
	done := newTask(t, db, u.ID, "Готово", &yesterday, nil, nil)
	done.Status, done.DoneAt = crm.TaskDone, &now
	must(t, db.UpdateTask(ctx, done))
	newTask(t, db, other.ID, "Чужая просроченная", &yesterday, nil, nil)

	ids := func(f crm.TaskFilter) []int64 {
		t.Helper()
		f.AssigneeID = u.ID
		page, err := db.ListTasks(ctx, f)
		must(t, err)
		out := make([]int64, 0, len(page.Items))
		for _, x := range page.Items {
			out = append(out, x.ID)
		}
		return out
	}
	same := func(name string, got []int64, want ...*crm.Task) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: got %v, want %d rows", name, got, len(want))
		}
		for i := range want {
			if got[i] != want[i].ID {
				t.Fatalf("%s: got %v, row %d want %d", name, got, i, want[i].ID)
			}
		}
	}
	// Sorted by due time, undated last.
	same("all", ids(crm.TaskFilter{}), overdue, done, today, later, undated)
	same("open", ids(crm.TaskFilter{Status: crm.TaskOpen}), overdue, today, later, undated)
	same("overdue", ids(crm.TaskFilter{Overdue: true, OverdueAt: &now}), overdue)
	endOfDay := now.Add(2 * time.Hour)
	same("today", ids(crm.TaskFilter{Status: crm.TaskOpen, DueFrom: &now, DueBefore: &endOfDay}), today)
	same("upcoming", ids(crm.TaskFilter{Status: crm.TaskOpen, DueFrom: &endOfDay, OrNoDue: true}), later, undated)
	same("before", ids(crm.TaskFilter{Status: crm.TaskOpen, DueBefore: &endOfDay}), overdue, today)
	same("before or none", ids(crm.TaskFilter{Status: crm.TaskOpen, DueBefore: &endOfDay, OrNoDue: true}), overdue, today, undated)
	same("done", ids(crm.TaskFilter{Status: crm.TaskDone}), done)
	same("on the record", ids(crm.TaskFilter{Entity: crm.EntityProject, RecordID: p.ID}), overdue, later)
	same("search, Cyrillic case", ids(crm.TaskFilter{Q: "НЕДЕЛЮ"}), later)
	same("newest first", ids(crm.TaskFilter{Page: crm.PageRequest{Sort: "created_at", Desc: true}}), done, undated, later, today, overdue)

	// Keyset pages of two over a sort with NULLs (undated) walk every row exactly once.
	var seen []int64
	after := ""
	for range 10 {
		page, err := db.ListTasks(ctx, crm.TaskFilter{AssigneeID: u.ID, Page: crm.PageRequest{Limit: 2, After: after, Sort: "due_at"}})
		must(t, err)
		if page.Total != 5 {
			t.Fatalf("total %d", page.Total)
		}
		for _, x := range page.Items {
			seen = append(seen, x.ID)
		}
		if after = page.Next; after == "" {
			break
		}
	}
	same("pages", seen, overdue, done, today, later, undated)
	// Backwards too.
	seen, after = nil, ""
	for range 10 {
		page, err := db.ListTasks(ctx, crm.TaskFilter{AssigneeID: u.ID, Page: crm.PageRequest{Limit: 2, After: after, Sort: "due_at", Desc: true}})
		must(t, err)
		for _, x := range page.Items {
			seen = append(seen, x.ID)
		}
		if after = page.Next; after == "" {
			break
		}
	}
	same("pages desc", seen, undated, later, today, done, overdue)

	// Deleted tasks leave the list and show in the trash.
	must(t, db.SoftDelete(ctx, crm.EntityTask, later.ID, later.Version, u.ID))
	same("after delete", ids(crm.TaskFilter{Status: crm.TaskOpen}), overdue, today, undated)
	same("trash", ids(crm.TaskFilter{Deleted: true}), later)
	_, err := db.ListTasks(ctx, crm.TaskFilter{Page: crm.PageRequest{Sort: "assignee_id; DROP TABLE tasks"}})
	wantCode(t, err, crm.EInvalid)
}

func testTaskReminders(t *testing.T, db *store.DB) {
	u, p := workWorld(t, db)
	now := time.Now().UTC().Truncate(time.Microsecond)
	due := now.Add(time.Hour)
	past, future := now.Add(-time.Minute), now.Add(30*time.Minute)
	rang := newTask(t, db, u.ID, "Напомнить", &due, &past, p)
	waiting := newTask(t, db, u.ID, "Позже", &due, &future, nil)

	bell := func() []int64 {
		t.Helper()
		page, err := db.ListTasks(ctx, crm.TaskFilter{AssigneeID: u.ID, RemindedBy: &now})
		must(t, err)
		var out []int64
		for _, x := range page.Items {
			out = append(out, x.ID)
		}
		return out
	}
	if b := bell(); len(b) != 1 || b[0] != rang.ID {
		t.Fatalf("bell %v, want [%d]", b, rang.ID)
	}
	due1, err := db.DueReminders(ctx, now, 1000)
	must(t, err)
	if !containsTask(due1, rang.ID) || containsTask(due1, waiting.ID) {
		t.Fatalf("due reminders %v", taskIDs(due1))
	}
	next, err := db.NextReminder(ctx)
	must(t, err)
	if next == nil || next.After(past) {
		t.Fatalf("next reminder %v, want ≤ %v", next, past)
	}
	ok, err := db.MarkNotified(ctx, rang.ID, now)
	must(t, err)
	if !ok {
		t.Fatal("first claim refused")
	}
	ok, err = db.MarkNotified(ctx, rang.ID, now)
	must(t, err)
	if ok {
		t.Fatal("second claim granted")
	}
	due2, _ := db.DueReminders(ctx, now, 1000)
	if containsTask(due2, rang.ID) {
		t.Fatal("a notified reminder is due again")
	}
	// Dismissed: gone from the bell, still open.
	must(t, db.DismissReminder(ctx, rang.ID, u.ID, now))
	if b := bell(); len(b) != 0 {
		t.Fatalf("bell after dismiss %v", b)
	}
	wantCode(t, db.DismissReminder(ctx, rang.ID, u.ID+1000, now), crm.ENotFound)
	// Moving the reminder rings again: both marks are cleared; an unchanged one keeps them.
	got, _ := db.TaskByID(ctx, rang.ID)
	if got.NotifiedAt == nil || got.DismissedAt == nil {
		t.Fatalf("marks not stored: %+v", got)
	}
	got.Title = "Напомнить (уточнено)"
	must(t, db.UpdateTask(ctx, got))
	if got.NotifiedAt == nil || got.DismissedAt == nil {
		t.Fatalf("an edit that kept the time cleared the marks: %+v", got)
	}
	earlier := past.Add(-time.Minute)
	got.RemindAt = &earlier
	must(t, db.UpdateTask(ctx, got))
	if got.NotifiedAt != nil || got.DismissedAt != nil {
		t.Fatalf("moved reminder kept its marks: %+v", got)
	}
	if b := bell(); len(b) != 1 {
		t.Fatalf("bell after moving the reminder %v", b)
	}
	// Done tasks neither ring nor count.
	got.Status, got.DoneAt = crm.TaskDone, &now
	must(t, db.UpdateTask(ctx, got))
	if b := bell(); len(b) != 0 {
		t.Fatalf("bell counts a done task %v", b)
	}
	due3, _ := db.DueReminders(ctx, now, 1000)
	if containsTask(due3, rang.ID) {
		t.Fatal("a done task is due for a reminder")
	}
}

// Many workers claim the same due reminders at once (as several instances would): each
// reminder is claimed exactly once.
func testReminderClaimedOnce(t *testing.T, db *store.DB) {
	u, _ := workWorld(t, db)
	now := time.Now().UTC().Truncate(time.Microsecond)
	past := now.Add(-time.Second)
	want := map[int64]bool{}
	for i := range 20 {
		tk := newTask(t, db, u.ID, unique("Гонка ")+string(rune('a'+i)), nil, &past, nil)
		want[tk.ID] = true
	}
	var claims sync.Map
	var total atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			due, err := db.DueReminders(ctx, now, 1000)
			if err != nil {
				errs <- err
				return
			}
			for _, tk := range due {
				if !want[tk.ID] {
					continue
				}
				ok, err := db.MarkNotified(ctx, tk.ID, now)
				if err != nil {
					errs <- err
					return
				}
				if ok {
					total.Add(1)
					if _, dup := claims.LoadOrStore(tk.ID, true); dup {
						errs <- errDup(tk.ID)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if total.Load() != int64(len(want)) {
		t.Fatalf("%d claims for %d reminders", total.Load(), len(want))
	}
}

type errDup int64

func (e errDup) Error() string { return "reminder claimed twice" }

func containsTask(ts []crm.Task, id int64) bool {
	for _, x := range ts {
		if x.ID == id {
			return true
		}
	}
	return false
}

func taskIDs(ts []crm.Task) []int64 {
	out := make([]int64, 0, len(ts))
	for _, x := range ts {
		out = append(out, x.ID)
	}
	return out
}

func testAttachments(t *testing.T, db *store.DB) {
	u, p := workWorld(t, db)
	content := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("Договор поставки "), 4000)...)
	a := &crm.Attachment{Entity: crm.EntityProject, RecordID: p.ID, FileName: "Договор №5.pdf", MIME: "application/pdf", Description: "скан"}
	a.CreatedBy = &u.ID
	must(t, db.CreateAttachment(ctx, a, content))
	sum := sha256.Sum256(content)
	if a.ID == 0 || a.Size != int64(len(content)) || a.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("created: %+v", a)
	}
	wantStorage := crm.StorageDB
	if db.Dialect() == "sqlite" {
		wantStorage = crm.StorageDir
	}
	if a.Storage != wantStorage {
		t.Fatalf("storage %q on %s", a.Storage, db.Dialect())
	}
	if db.Dialect() == "sqlite" {
		// Content-addressed under files/ab/abcdef… beside the database file.
		path := filepath.Join(filepath.Dir(db.Where), "files", a.SHA256[:2], a.SHA256)
		b, err := os.ReadFile(path)
		must(t, err)
		if !bytes.Equal(b, content) {
			t.Fatal("file on disk differs")
		}
	} else {
		var n int
		must(t, db.Writer().QueryRow("SELECT COUNT(*) FROM attachment_blobs WHERE attachment_id = $1", a.ID).Scan(&n))
		if n != 1 {
			t.Fatalf("%d blobs", n)
		}
	}
	got, err := db.AttachmentContent(ctx, a.ID)
	must(t, err)
	if !bytes.Equal(got, content) {
		t.Fatal("content differs")
	}
	meta, err := db.AttachmentByID(ctx, a.ID)
	must(t, err)
	if meta.FileName != "Договор №5.pdf" || meta.MIME != "application/pdf" || meta.Description != "скан" || *meta.CreatedBy != u.ID {
		t.Fatalf("meta: %+v", meta)
	}
	// The same bytes again (another record): a second row, the content read back for both.
	b := &crm.Attachment{Entity: crm.EntityProject, RecordID: p.ID + 1_000_000, FileName: "copy.pdf", MIME: "application/pdf"}
	must(t, db.CreateAttachment(ctx, b, content))
	got, err = db.AttachmentContent(ctx, b.ID)
	must(t, err)
	if !bytes.Equal(got, content) {
		t.Fatal("second copy differs")
	}
	empty := &crm.Attachment{Entity: crm.EntityProject, RecordID: p.ID, FileName: "empty.txt", MIME: "text/plain"}
	must(t, db.CreateAttachment(ctx, empty, []byte{}))
	got, err = db.AttachmentContent(ctx, empty.ID)
	must(t, err)
	if len(got) != 0 {
		t.Fatal("empty file not empty")
	}
	list, err := db.ListAttachments(ctx, crm.EntityProject, p.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != empty.ID || list[1].ID != a.ID {
		t.Fatalf("list: %+v", list)
	}
	both, err := db.ListAttachments(ctx, crm.EntityProject, p.ID, p.ID+1_000_000)
	must(t, err)
	if len(both) != 3 {
		t.Fatalf("two records: %d files", len(both))
	}
	must(t, db.SoftDelete(ctx, crm.EntityAttachment, empty.ID, empty.Version, u.ID))
	list, _ = db.ListAttachments(ctx, crm.EntityProject, p.ID)
	if len(list) != 1 {
		t.Fatalf("deleted file listed: %d", len(list))
	}
	none, err := db.ListAttachments(ctx, crm.EntityCompany, p.ID)
	must(t, err)
	if len(none) != 0 {
		t.Fatal("another entity's files listed")
	}
	_, err = db.AttachmentContent(ctx, 1<<40)
	wantCode(t, err, crm.ENotFound)
}

func testNotes(t *testing.T, db *store.DB) {
	u, p := workWorld(t, db)
	n1 := &crm.Note{Entity: crm.EntityProject, RecordID: p.ID, Body: "Клиент просит КП до пятницы"}
	n1.CreatedBy = &u.ID
	must(t, db.CreateNote(ctx, n1))
	n2 := &crm.Note{Entity: crm.EntityProject, RecordID: p.ID, Body: "Отправили КП"}
	must(t, db.CreateNote(ctx, n2))
	got, err := db.NoteByID(ctx, n1.ID)
	must(t, err)
	if got.Body != n1.Body || *got.CreatedBy != u.ID || got.Entity != crm.EntityProject || got.RecordID != p.ID {
		t.Fatalf("round trip: %+v", got)
	}
	list, err := db.ListNotes(ctx, crm.EntityProject, p.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != n2.ID {
		t.Fatalf("list newest first: %+v", list)
	}
	must(t, db.SoftDelete(ctx, crm.EntityNote, n2.ID, n2.Version, u.ID))
	list, _ = db.ListNotes(ctx, crm.EntityProject, p.ID)
	if len(list) != 1 || list[0].ID != n1.ID {
		t.Fatalf("after delete: %+v", list)
	}
	_, err = db.NoteByID(ctx, 1<<40)
	wantCode(t, err, crm.ENotFound)
}
