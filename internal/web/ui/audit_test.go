package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// logAt writes an audit line at a given instant, as record id (its mark on the page).
func logAt(t *testing.T, env *testenv.Env, at string, record int64, user *int64) {
	t.Helper()
	when, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = env.DB.InTx(ctx, func(tx crm.Repo) error {
		return tx.InsertAudit(ctx, &crm.AuditEntry{At: when, UserID: user, Action: crm.AuditUpdate, Entity: crm.EntityProduct, RecordID: record})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The audit filter's days are the reader's days, whole, also when summer time makes them 23
// or 25 hours long.
func TestAuditDaysAreTheReadersDays(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	_, err := env.App.CreateUser(env.AdminCtx(), app.UserInput{Login: "berlin", Email: "berlin@example.ru", FullName: "Berlin",
		Password: "berlin-password-1", TimeZone: "Europe/Berlin", Roles: crm.Roles{crm.RoleAdmin}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	b := loggedIn(t, env, "berlin", "berlin-password-1")
	// Berlin moved its clocks forward on 30 March 2025 (a 23-hour day) and back on 26 October
	// (25 hours). Local times in the comments.
	for at, record := range map[string]int64{
		"2025-03-29T22:59:59.999999Z": 7001, // 29 Mar 23:59:59.999999, the day's last microsecond
		"2025-03-29T23:00:00Z":        7002, // 30 Mar 00:00 CET
		"2025-03-30T21:59:59.999999Z": 7003, // 30 Mar 23:59:59.999999 CEST
		"2025-03-30T22:00:00Z":        7004, // 31 Mar 00:00 CEST
		"2025-03-30T22:30:00Z":        7005, // 31 Mar 00:30 CEST
		"2025-10-25T22:00:00Z":        7006, // 26 Oct 00:00 CEST
		"2025-10-26T22:59:59.5Z":      7007, // 26 Oct 23:59:59.5 CET
		"2025-10-26T23:00:00Z":        7008, // 27 Oct 00:00 CET
	} {
		logAt(t, env, at, record, nil)
	}
	for _, c := range []struct {
		from, to string
		in, out  []int64
	}{
		{"2025-03-29", "2025-03-29", []int64{7001}, []int64{7002, 7003}},
		{"2025-03-30", "2025-03-30", []int64{7002, 7003}, []int64{7001, 7004, 7005}},
		{"2025-03-31", "", []int64{7004, 7005, 7006}, []int64{7001, 7002, 7003}},
		{"", "2025-03-30", []int64{7001, 7002, 7003}, []int64{7004, 7005}},
		{"2025-10-26", "2025-10-26", []int64{7006, 7007}, []int64{7005, 7008}},
	} {
		p := b.get(fmt.Sprintf("/admin/audit?entity=product&from=%s&to=%s", c.from, c.to))
		mustStatus(t, p, http.StatusOK)
		for _, id := range c.in {
			if !containsRecord(p, id) {
				t.Errorf("%s…%s: #%d missing:\n%s", c.from, c.to, id, excerpt(p.Body))
			}
		}
		for _, id := range c.out {
			if containsRecord(p, id) {
				t.Errorf("%s…%s: #%d shown", c.from, c.to, id)
			}
		}
	}
}

func containsRecord(p page, id int64) bool {
	return strings.Contains(p.Body, "#"+itoa(id)+"<")
}

// Filters by user take any user id: a deactivated or deleted person's actions and projects
// stay findable, and the chosen person stays chosen in the select.
func TestUserFiltersKeepInactiveAndDeletedUsers(t *testing.T) {
	env := testenv.Start(t, testenv.Options{})
	ctx := env.AdminCtx()
	d := env.CreateDirectorate(t, "Дирекция")
	gone, _ := env.CreateUser(t, "gone", crm.Roles{crm.RoleSales}, d.ID)
	deleted, _ := env.CreateUser(t, "deleted", crm.Roles{crm.RoleSales}, d.ID)
	for _, x := range []struct {
		name string
		resp *int64
	}{{"Проект ушедшего", &gone.ID}, {"Проект удалённого", &deleted.ID}, {"Проект админа", &env.Admin.ID}} {
		if _, err := env.App.CreateProject(ctx, app.ProjectInput{Name: x.name, DirectorateID: d.ID, ResponsibleID: x.resp}); err != nil {
			t.Fatal(err)
		}
	}
	off := false
	if _, err := env.App.UpdateUser(ctx, gone.ID, app.UserPatch{Version: gone.Version, Active: &off}); err != nil {
		t.Fatal(err)
	}
	if err := env.App.DeleteUser(ctx, deleted.ID, deleted.Version); err != nil {
		t.Fatal(err)
	}
	logAt(t, env, "2025-05-01T10:00:00Z", 7101, &gone.ID)
	logAt(t, env, "2025-05-01T10:00:00Z", 7102, &deleted.ID)
	logAt(t, env, "2025-05-01T10:00:00Z", 7103, &env.Admin.ID)

	b := loggedIn(t, env, env.Admin.Login, env.AdminPassword)
	for _, c := range []struct {
		user     *crm.User
		in       int64
		out      []int64
		project  string
		projects []string
	}{
		{gone, 7101, []int64{7102, 7103}, "Проект ушедшего", []string{"Проект удалённого", "Проект админа"}},
		{deleted, 7102, []int64{7101, 7103}, "Проект удалённого", []string{"Проект ушедшего", "Проект админа"}},
	} {
		p := b.get("/admin/audit?entity=product&user=" + itoa(c.user.ID))
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `<option value="`+itoa(c.user.ID)+`" selected>`+c.user.FullName+`</option>`)
		if !containsRecord(p, c.in) {
			t.Errorf("%s: own audit line #%d missing:\n%s", c.user.Login, c.in, excerpt(p.Body))
		}
		for _, id := range c.out {
			if containsRecord(p, id) {
				t.Errorf("%s: someone else's audit line #%d shown", c.user.Login, id)
			}
		}
		p = b.get("/projects?responsible=" + itoa(c.user.ID))
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `<option value="`+itoa(c.user.ID)+`" selected>`+c.user.FullName+`</option>`, c.project)
		mustNotContain(t, p, c.projects...)
	}

	// A malformed id is no filter at all.
	p := b.get("/admin/audit?entity=product&user=abc")
	mustStatus(t, p, http.StatusOK)
	for _, id := range []int64{7101, 7102, 7103} {
		if !containsRecord(p, id) {
			t.Errorf("user=abc: #%d missing", id)
		}
	}
}
