package ui_test

import (
	"net/http"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// Files and notes are deleted the same way: back to the record's tab that lists them, a
// stale version told there as a message, the current one moving the item to the trash.
func TestDeleteAFileAndANoteGoesBackToTheirTab(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	b, u, p := workWorld(t, env)
	ctx := env.Ctx(u)
	card := "/projects/" + itoa(p.ID)
	n, err := env.App.AddNote(ctx, crm.EntityProject, p.ID, "Позвонить после выставки")
	if err != nil {
		t.Fatal(err)
	}
	f, err := env.App.AddAttachment(ctx, app.FileInput{Entity: crm.EntityProject, RecordID: p.ID, FileName: "смета.pdf",
		Content: []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\nsmeta")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, tab, text string
		version         int64
		left            func() int
	}{
		{"/notes/" + itoa(n.ID) + "/delete", "history", "Позвонить после выставки", n.Version, func() int {
			notes, err := env.App.Notes(ctx, crm.EntityProject, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(notes)
		}},
		{"/files/" + itoa(f.ID) + "/delete", "files", "смета.pdf", f.Version, func() int {
			files, err := env.App.Attachments(ctx, crm.EntityProject, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(files)
		}},
	} {
		back := card + "?tab=" + c.tab
		res := b.post(c.path, form("version", itoa(c.version+1)))
		mustStatus(t, res, http.StatusSeeOther)
		if res.Location != back {
			t.Fatalf("%s with a stale version went to %q, want %q", c.path, res.Location, back)
		}
		mustContain(t, b.get(back), "Запись уже изменил кто-то другой", c.text)
		if c.left() != 1 {
			t.Fatalf("%s: a stale version deleted it", c.path)
		}
		res = b.post(c.path, form("version", itoa(c.version)))
		mustStatus(t, res, http.StatusSeeOther)
		if res.Location != back {
			t.Fatalf("%s went to %q, want %q", c.path, res.Location, back)
		}
		if c.left() != 0 {
			t.Fatalf("%s: still listed after the delete", c.path)
		}
	}
	mustStatus(t, b.post("/notes/999999/delete", form("version", "1")), http.StatusNotFound)
}
