package storetest

import (
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store"
)

// The list-count test belongs to the store's list machinery (listQuery), not to a slice; it
// joins the party tests because it lists contacts.
func init() {
	partyTests = append(partyTests, storeTest{"ListTotals", testListTotals})
}

// testListTotals checks Page.Total wherever it now comes from: counted on the first page of a
// longer list, taken from the rows of a first page that holds every match, and counted again
// on a later page, all without the deleted rows and with the filter of the list.
func testListTotals(t *testing.T, db *store.DB) {
	dir := newDirectorate(t, db, unique("Totals "))
	other := newDirectorate(t, db, unique("Totals other "))
	var made []*crm.Contact
	for i := 0; i < 7; i++ {
		made = append(made, newContact(t, db, unique("Итогов"), "Иван", func(c *crm.Contact) { c.DirectorateID = &dir.ID }))
	}
	newContact(t, db, unique("Чужой"), "Пётр", func(c *crm.Contact) { c.DirectorateID = &other.ID })
	gone := made[6]
	u := newUser(t, db, crm.Roles{crm.RoleManager})
	must(t, db.SoftDelete(ctx, crm.EntityContact, gone.ID, gone.Version, u.ID))

	list := func(limit int, after string, desc bool) crm.Page[crm.Contact] {
		t.Helper()
		p, err := db.ListContacts(ctx, crm.ContactFilter{DirectorateID: dir.ID,
			Page: crm.PageRequest{Limit: limit, After: after, Sort: "created_at", Desc: desc}})
		must(t, err)
		return p
	}
	// The first page holds every match: the total is its rows.
	all := list(50, "", true)
	if len(all.Items) != 6 || all.Total != 6 || all.Next != "" {
		t.Fatalf("whole list: %d rows, total %d, next %q; want 6, 6, none", len(all.Items), all.Total, all.Next)
	}
	for _, c := range all.Items {
		if c.ID == gone.ID {
			t.Fatalf("deleted contact %d listed", gone.ID)
		}
	}
	// A first page of a longer list counts, and so does every later page.
	first := list(4, "", true)
	if len(first.Items) != 4 || first.Total != 6 || first.Next == "" {
		t.Fatalf("first page: %d rows, total %d, next %q; want 4, 6, a cursor", len(first.Items), first.Total, first.Next)
	}
	second := list(4, first.Next, true)
	if len(second.Items) != 2 || second.Total != 6 || second.Next != "" {
		t.Fatalf("second page: %d rows, total %d, next %q; want 2, 6, none", len(second.Items), second.Total, second.Next)
	}
	if second.Items[0].ID != all.Items[4].ID || second.Items[1].ID != all.Items[5].ID {
		t.Fatalf("second page %d, %d; want %d, %d", second.Items[0].ID, second.Items[1].ID, all.Items[4].ID, all.Items[5].ID)
	}
	// The trash of the filter: only the deleted contact, counted from its page.
	trash, err := db.ListContacts(ctx, crm.ContactFilter{DirectorateID: dir.ID, Deleted: true, Page: crm.PageRequest{Limit: 50}})
	must(t, err)
	if len(trash.Items) != 1 || trash.Items[0].ID != gone.ID || trash.Total != 1 {
		t.Fatalf("trash: %d rows, total %d; want the one deleted contact, total 1", len(trash.Items), trash.Total)
	}
	// An empty list counts nothing.
	none, err := db.ListContacts(ctx, crm.ContactFilter{DirectorateID: dir.ID, Type: unique("no-such-type-"), Page: crm.PageRequest{Limit: 50}})
	must(t, err)
	if len(none.Items) != 0 || none.Total != 0 {
		t.Fatalf("empty list: %d rows, total %d", len(none.Items), none.Total)
	}
}
