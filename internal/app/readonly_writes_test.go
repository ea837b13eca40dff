package app_test

import (
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// crm_read_admin reads everything and writes nothing, also where any other CRM role may write
// whatever the directorate: consent rows, tasks given to one. Tasks go only to users who can
// close them, and a deleted record's tasks are tidied by admins only.
func TestReadAdminAndDeletedRecordTasks(t *testing.T) {
	f := setup(t)
	sales, salesUser := f.userOf(t, "sales_rw", crm.Roles{crm.RoleSales}, f.d1.ID)
	reader, readerUser := f.userOf(t, "reader_rw", crm.Roles{crm.RoleReadAdmin}, f.d1.ID)
	_, noRoleUser := f.userOf(t, "norole_rw", nil, f.d1.ID)

	c, err := f.a.CreateContact(sales, app.ContactInput{LastName: "Орлова", FirstName: "Анна"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.AddConsent(reader, c.ID, app.ConsentInput{Channel: crm.ChannelEmail, Purpose: "marketing",
		Status: crm.ConsentGranted, Source: "manual"}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("read admin added a consent: %v", err)
	}
	if _, err := f.a.AddConsent(sales, c.ID, app.ConsentInput{Channel: crm.ChannelEmail, Purpose: "marketing",
		Status: crm.ConsentGranted, Source: "manual"}); err != nil {
		t.Fatalf("sales may add a consent: %v", err)
	}

	for _, u := range []*crm.User{readerUser, noRoleUser} {
		_, err := f.a.CreateTask(sales, app.TaskInput{Title: "Позвонить", AssigneeID: u.ID})
		if crm.ErrorCode(err) != crm.EInvalid || crm.ErrorFields(err)["assignee_id"] == "" {
			t.Fatalf("task given to %s: %v", u.Login, err)
		}
	}

	company, err := f.a.CreateCompany(sales, app.CompanyInput{Name: "ООО Север"})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := f.a.CreateTask(sales, app.TaskInput{Title: "Встреча", AssigneeID: salesUser.ID,
		Entity: crm.EntityCompany, RecordID: company.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.a.DeleteCompany(sales, company.ID, company.Version); err != nil {
		t.Fatal(err)
	}
	title := "Переименовано"
	if _, err := f.a.UpdateTask(sales, tk.ID, app.TaskPatch{Version: tk.Version, Title: &title}); crm.ErrorCode(err) != crm.EForbidden {
		t.Fatalf("sales edited a task of a deleted company: %v", err)
	}
	done := crm.TaskDone
	if _, err := f.a.UpdateTask(sales, tk.ID, app.TaskPatch{Version: tk.Version, Status: &done}); err != nil {
		t.Fatalf("the assignee may still close it: %v", err)
	}
}
