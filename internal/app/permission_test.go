package app

import (
	"testing"

	"github.com/ladder-crm/ladder/internal/crm"
)

// TestCanByClass checks the engine against product.md §3.3, one row per role and class.
func TestCanByClass(t *testing.T) {
	const own, other = int64(1), int64(2)
	type want struct{ create, read, editOwn, editOther, restore bool }
	all := want{true, true, true, true, true}
	none := want{false, false, false, false, false}
	readOnly := want{read: true}
	editorOD := want{create: true, read: true, editOwn: true}
	cases := map[crm.Role]map[Class]want{
		crm.RoleSales:              {ClassKnowledge: editorOD, ClassBusiness: editorOD, ClassSystem: readOnly, ClassMarketingConfig: readOnly, ClassSalesConfig: readOnly, ClassAutomation: readOnly},
		crm.RoleManager:            {ClassKnowledge: editorOD, ClassBusiness: editorOD, ClassSystem: readOnly, ClassMarketingConfig: readOnly, ClassSalesConfig: {true, true, true, true, false}, ClassAutomation: editorOD},
		crm.RoleMarketeer:          {ClassKnowledge: editorOD, ClassBusiness: editorOD, ClassSystem: readOnly, ClassMarketingConfig: {true, true, true, true, false}, ClassSalesConfig: readOnly, ClassAutomation: editorOD},
		crm.RolePAM:                {ClassKnowledge: editorOD, ClassBusiness: editorOD, ClassSystem: readOnly},
		crm.RoleCertificateManager: {ClassKnowledge: editorOD, ClassBusiness: editorOD, ClassSystem: readOnly},
		crm.RolePresale:            {ClassKnowledge: readOnly, ClassBusiness: editorOD, ClassSystem: readOnly},
		crm.RoleReadAdmin:          {ClassKnowledge: readOnly, ClassBusiness: readOnly, ClassSystem: readOnly, ClassLog: readOnly},
		crm.RoleCRMAdmin:           {ClassKnowledge: all, ClassBusiness: all, ClassSystem: all, ClassMarketingConfig: all, ClassSalesConfig: all, ClassAutomation: all, ClassLog: all},
		crm.RoleAdmin:              {ClassKnowledge: all, ClassBusiness: all, ClassSystem: all, ClassLog: all},
		"":                         {ClassKnowledge: none, ClassBusiness: none, ClassSystem: none, ClassLog: none},
	}
	for role, classes := range cases {
		for class, w := range classes {
			entity := "test_" + string(class)
			policies[entity] = Policy{Class: class, Scoped: class == ClassKnowledge || class == ClassBusiness || class == ClassAutomation}
			u := &crm.User{Meta: crm.Meta{ID: 7}, Active: true, Directorates: []int64{own}}
			if role != "" {
				u.Roles = crm.Roles{role}
			}
			act := &Actor{User: u}
			check := func(what string, err error, allowed bool) {
				t.Helper()
				if (err == nil) != allowed {
					t.Errorf("%s on %s, %s: allowed=%v, got err %v", role, class, what, allowed, err)
				}
			}
			check("create", Can(act, ActCreate, entity, nil), w.create)
			check("read", Can(act, ActRead, entity, nil), w.read)
			check("edit own", Can(act, ActUpdate, entity, &Scope{DirectorateID: own}), w.editOwn)
			check("delete own", Can(act, ActDelete, entity, &Scope{DirectorateID: own}), w.editOwn)
			check("edit other", Can(act, ActUpdate, entity, &Scope{DirectorateID: other}), w.editOther)
			check("restore", Can(act, ActRestore, entity, &Scope{DirectorateID: own}), w.restore)
			delete(policies, entity)
		}
	}
}

func TestCanEmptyDirectorateIsAuthorOnly(t *testing.T) {
	author := int64(7)
	u := &crm.User{Meta: crm.Meta{ID: author}, Active: true, Roles: crm.Roles{crm.RoleSales}, Directorates: []int64{1}}
	act := &Actor{User: u}
	if err := Can(act, ActUpdate, crm.EntityProject, &Scope{AuthorID: &author}); err != nil {
		t.Errorf("author denied: %v", err)
	}
	someoneElse := int64(8)
	if err := Can(act, ActUpdate, crm.EntityProject, &Scope{AuthorID: &someoneElse}); err == nil {
		t.Error("non-author allowed on a record without directorate")
	}
}

func TestReadOnlyTokenAndInactiveUser(t *testing.T) {
	u := &crm.User{Meta: crm.Meta{ID: 1}, Active: true, Roles: crm.Roles{crm.RoleAdmin}}
	ro := &Actor{User: u, ReadOnly: true}
	if Can(ro, ActRead, crm.EntityProject, nil) != nil {
		t.Error("read-only token cannot read")
	}
	if Can(ro, ActCreate, crm.EntityProject, nil) == nil {
		t.Error("read-only token can write")
	}
	u2 := *u
	u2.Active = false
	if crm.ErrorCode(Can(&Actor{User: &u2}, ActRead, crm.EntityProject, nil)) != crm.EUnauthorized {
		t.Error("inactive user is not unauthorized")
	}
	if crm.ErrorCode(Can(nil, ActRead, crm.EntityProject, nil)) != crm.EUnauthorized {
		t.Error("no actor is not unauthorized")
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "correct horse battery") || CheckPassword(h, "wrong") || CheckPassword("garbage", "x") {
		t.Fatal("argon2id check")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Fatal("same salt twice")
	}
}
