package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/store/storetest"
	"github.com/ladder-crm/ladder/internal/testenv"
)

// The permission matrix of product.md §3.3, through the API: every role (and no role) ×
// {products, directorates, users, projects, companies, contacts, deals, contracts} × {create,
// read, update, delete} × {own, other sales directorate}. (Choice lists, custom fields and
// topics, the SC and MC classes, have their own role table in config_test.go; tasks, files and
// notes follow their record and are tested in work_test.go.) The expected outcome is written down from the document, not taken from
// the permission engine, so that the engine is what is tested.

const (
	actCreate = "create"
	actRead   = "read"
	actUpdate = "update"
	actDelete = "delete"
	scopeOwn  = "own"
	scopeOth  = "other"
	noRole    = crm.Role("")
)

var (
	matrixRoles    = append([]crm.Role{noRole}, crm.AllRoles...)
	matrixEntities = []string{"products", "directorates", "users", "projects", "companies", "contacts", "deals", "contracts"}
	// businessRecords are class B with a directorate: created by the business roles, edited
	// and deleted by them within their own directorates.
	businessRecords = map[string]bool{"projects": true, "companies": true, "contacts": true, "deals": true, "contracts": true}
	matrixActions   = []string{actCreate, actRead, actUpdate, actDelete}
	matrixScopes    = []string{scopeOwn, scopeOth}
)

// §3.3: SYS (users, directorates, products) is written by crm_admin and admin only. Projects
// are class B: created by the business roles (crm_presale included, "as crm_sales for B
// records"), edited and deleted by them within their own directorates, by crm_admin and admin
// everywhere. crm_read_admin reads everything and writes nothing; no role, no access.
var (
	fullAdmins      = roleSet(crm.RoleCRMAdmin, crm.RoleAdmin)
	businessEditors = roleSet(crm.RoleSales, crm.RoleManager, crm.RoleMarketeer, crm.RolePAM, crm.RolePresale, crm.RoleCertificateManager)
)

func roleSet(rs ...crm.Role) map[crm.Role]bool {
	m := map[crm.Role]bool{}
	for _, r := range rs {
		m[r] = true
	}
	return m
}

var successStatus = map[string]int{actCreate: http.StatusCreated, actRead: http.StatusOK, actUpdate: http.StatusOK, actDelete: http.StatusNoContent}

// expectedStatus is the matrix itself.
func expectedStatus(role crm.Role, entity, action, scope string) int {
	switch {
	case role == noRole:
		return http.StatusForbidden
	case action == actRead:
		return http.StatusOK
	case fullAdmins[role]:
		return successStatus[action]
	case !businessRecords[entity] || !businessEditors[role]:
		return http.StatusForbidden
	case scope == scopeOwn:
		return successStatus[action]
	case action == actCreate:
		// R4–R7: a new record goes only into one of the user's own directorates. The right to
		// create is there; the chosen directorate is the invalid field.
		return http.StatusUnprocessableEntity
	}
	return http.StatusForbidden
}

// matrixWorld is the shared data: two directorates, one user per role in the first, and the
// records the cases read and change.
type matrixWorld struct {
	env        *testenv.Env
	own, other *crm.Directorate
	users      map[crm.Role]*crm.User
	tokens     map[crm.Role]string
	// extra[role] is a second directorate of the role's user, deleted by its own-scope case.
	extra map[crm.Role]*crm.Directorate
	// shared[entity][scope] is the id of the record read and updated.
	shared  map[string]map[string]int64
	seq     int
	topicID int64 // the seeded default sales topic
}

// The matrix runs on both databases: permission checks that lean on a query (directorate
// scope, soft deletion) must hold on each.
func TestPermissionMatrix(t *testing.T) {
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			env := testenv.Start(t, testenv.Options{DBURL: k.URL(t)})
			w := newMatrixWorld(t, env)
			cases := 0
			for _, role := range matrixRoles {
				for _, entity := range matrixEntities {
					for _, action := range matrixActions {
						for _, scope := range matrixScopes {
							cases++
							name := fmt.Sprintf("%s/%s/%s/%s", roleName(role), entity, action, scope)
							want := expectedStatus(role, entity, action, scope)
							t.Run(name, func(t *testing.T) { w.run(t, role, entity, action, scope, want) })
						}
					}
				}
			}
			if want := 10 * len(matrixEntities) * 4 * 2; cases != want {
				t.Fatalf("%d cases, want %d", cases, want)
			}
		})
	}
}

func roleName(r crm.Role) string {
	if r == noRole {
		return "no_role"
	}
	return string(r)
}

func newMatrixWorld(t *testing.T, env *testenv.Env) *matrixWorld {
	w := &matrixWorld{env: env, users: map[crm.Role]*crm.User{}, tokens: map[crm.Role]string{},
		extra: map[crm.Role]*crm.Directorate{}, shared: map[string]map[string]int64{}}
	w.own = env.CreateDirectorate(t, "Дирекция своя")
	w.other = env.CreateDirectorate(t, "Дирекция чужая")
	for _, role := range matrixRoles {
		x := env.CreateDirectorate(t, "Дирекция "+roleName(role))
		w.extra[role] = x
		var roles crm.Roles
		if role != noRole {
			roles = crm.Roles{role}
		}
		u, _ := env.CreateUser(t, "m_"+roleName(role), roles, w.own.ID, x.ID)
		w.users[role] = u
		w.tokens[role] = env.Token(t, u, false)
	}
	w.topicID = w.topic(t)
	for _, entity := range matrixEntities {
		w.shared[entity] = map[string]int64{}
		for _, scope := range matrixScopes {
			if entity == "directorates" {
				w.shared[entity][scope] = w.dir(scope).ID
				continue
			}
			w.shared[entity][scope] = w.newRecord(t, entity, scope)
		}
	}
	return w
}

func (w *matrixWorld) dir(scope string) *crm.Directorate {
	if scope == scopeOwn {
		return w.own
	}
	return w.other
}

func (w *matrixWorld) name(prefix string) string {
	w.seq++
	return fmt.Sprintf("%s %d", prefix, w.seq)
}

// newRecord makes a record of entity in the scope's directorate, as the admin.
func (w *matrixWorld) newRecord(t *testing.T, entity, scope string) int64 {
	t.Helper()
	ctx, d := w.env.AdminCtx(), w.dir(scope).ID
	var id int64
	var err error
	switch entity {
	case "products":
		var p *crm.Product
		p, err = w.env.App.CreateProduct(ctx, app.ProductInput{Name: w.name("Продукт"), Kind: crm.KindProduct, Directorates: []int64{d}, Active: true})
		if p != nil {
			id = p.ID
		}
	case "users":
		u, _ := w.env.CreateUser(t, "", crm.Roles{crm.RoleSales}, d)
		id = u.ID
	case "projects":
		var p *crm.Project
		p, err = w.env.App.CreateProject(ctx, app.ProjectInput{Name: w.name("Проект"), DirectorateID: d})
		if p != nil {
			id = p.ID
		}
	case "directorates":
		id = w.env.CreateDirectorate(t, w.name("Дирекция")).ID
	case "companies":
		id = w.company(t, d)
	case "contacts":
		var c *crm.Contact
		c, err = w.env.App.CreateContact(ctx, app.ContactInput{LastName: w.name("Петров"), FirstName: "Пётр", DirectorateID: d})
		if c != nil {
			id = c.ID
		}
	case "deals":
		var dl *crm.Deal
		company := w.company(t, d)
		dl, err = w.env.App.CreateDeal(ctx, app.DealInput{CompanyID: &company, TopicID: w.topic(t), DirectorateID: d})
		if dl != nil {
			id = dl.ID
		}
	case "contracts":
		var c *crm.Contract
		c, err = w.env.App.CreateContract(ctx, app.ContractInput{Number: w.name("Д"), Date: crm.Date{Time: time.Now().UTC()},
			CompanyID: w.company(t, d), Amount: 100000, DirectorateID: d})
		if c != nil {
			id = c.ID
		}
	}
	if err != nil {
		t.Fatalf("new %s: %v", entity, err)
	}
	return id
}

// company makes a company in directorate d, as the admin.
func (w *matrixWorld) company(t *testing.T, d int64) int64 {
	t.Helper()
	c, err := w.env.App.CreateCompany(w.env.AdminCtx(), app.CompanyInput{Name: w.name("ООО Ромашка"), DirectorateID: d})
	if err != nil {
		t.Fatalf("new company: %v", err)
	}
	return c.ID
}

// topic is the default sales topic the migrations seed.
func (w *matrixWorld) topic(t *testing.T) int64 {
	t.Helper()
	topics, err := w.env.App.ActiveTopics(w.env.AdminCtx())
	if err != nil || len(topics) == 0 {
		t.Fatalf("no seeded topic: %v", err)
	}
	return topics[0].ID
}

// version reads a record's current version as the admin.
func (w *matrixWorld) version(t *testing.T, entity string, id int64) int64 {
	t.Helper()
	ctx := w.env.AdminCtx()
	var m crm.Meta
	var err error
	switch entity {
	case "products":
		var p *crm.Product
		if p, err = w.env.App.Product(ctx, id); err == nil {
			m = p.Meta
		}
	case "users":
		var u *crm.User
		if u, err = w.env.App.User(ctx, id); err == nil {
			m = u.Meta
		}
	case "projects":
		var p *crm.Project
		if p, err = w.env.App.Project(ctx, id); err == nil {
			m = p.Meta
		}
	case "directorates":
		var d *crm.Directorate
		if d, err = w.env.App.Directorate(ctx, id); err == nil {
			m = d.Meta
		}
	case "companies":
		var c *crm.Company
		if c, err = w.env.App.Company(ctx, id); err == nil {
			m = c.Meta
		}
	case "contacts":
		var c *crm.Contact
		if c, err = w.env.App.Contact(ctx, id); err == nil {
			m = c.Meta
		}
	case "deals":
		var d *crm.Deal
		if d, err = w.env.App.Deal(ctx, id); err == nil {
			m = d.Meta
		}
	case "contracts":
		var c *crm.Contract
		if c, err = w.env.App.Contract(ctx, id); err == nil {
			m = c.Meta
		}
	}
	if err != nil {
		t.Fatalf("read %s %d: %v", entity, id, err)
	}
	return m.Version
}

// target picks the record a case works on. Deletions get a fresh one, so that an allowed
// deletion does not take a record away from later cases.
func (w *matrixWorld) target(t *testing.T, role crm.Role, entity, action, scope string) int64 {
	if action != actDelete {
		return w.shared[entity][scope]
	}
	if entity == "directorates" && scope == scopeOwn {
		return w.extra[role].ID // a directorate the caller belongs to
	}
	return w.newRecord(t, entity, scope)
}

func (w *matrixWorld) createBody(entity, scope string) map[string]any {
	d := w.dir(scope).ID
	switch entity {
	case "products":
		return map[string]any{"name": w.name("Новый продукт"), "kind": "service", "directorates": []int64{d}}
	case "directorates":
		// A new directorate belongs to nobody yet; both scopes send the same request.
		return map[string]any{"name": w.name("Новая дирекция")}
	case "users":
		login := fmt.Sprintf("new%d", w.seq+1)
		w.seq++
		return map[string]any{"login": login, "email": login + "@example.ru", "full_name": "Новый " + login,
			"password": "long-enough-password", "roles": []string{"crm_sales"}, "directorates": []int64{d}}
	case "companies":
		return map[string]any{"name": w.name("ООО Новая"), "directorate_id": d}
	case "contacts":
		return map[string]any{"last_name": w.name("Сидоров"), "directorate_id": d}
	case "deals":
		return map[string]any{"company_id": w.shared["companies"][scopeOwn], "topic_id": w.topicID, "directorate_id": d}
	case "contracts":
		return map[string]any{"number": w.name("Договор"), "date": time.Now().UTC().Format(time.DateOnly),
			"company_id": w.shared["companies"][scopeOwn], "amount": 500000, "directorate_id": d}
	}
	return map[string]any{"name": w.name("Новый проект"), "directorate_id": d}
}

// updateFields names the field each record type's update case changes.
var updateFields = map[string]string{"users": "full_name", "contacts": "last_name", "contracts": "description"}

func (w *matrixWorld) updateBody(entity string, version int64) map[string]any {
	field := updateFields[entity]
	if field == "" {
		field = "name"
	}
	return map[string]any{"version": version, field: w.name("Изменено")}
}

func (w *matrixWorld) run(t *testing.T, role crm.Role, entity, action, scope string, want int) {
	c := newClient(t, w.env, w.tokens[role])
	base := "/api/v1/" + entity
	var id, version int64
	if action != actCreate {
		id = w.target(t, role, entity, action, scope)
		version = w.version(t, entity, id)
	}
	denied := want >= 300
	var before string
	if denied {
		before = snapshot(t, w.env)
	}
	var r *response
	switch action {
	case actCreate:
		r = c.post(base, w.createBody(entity, scope))
	case actRead:
		r = c.get(fmt.Sprintf("%s/%d", base, id))
	case actUpdate:
		r = c.patch(fmt.Sprintf("%s/%d", base, id), w.updateBody(entity, version))
	case actDelete:
		r = c.del(fmt.Sprintf("%s/%d?version=%d", base, id, version))
	}
	if r.Status != want {
		t.Fatalf("status %d, want %d: %s", r.Status, want, r.Raw)
	}
	if denied {
		r.wantProblem(t, want, "denied")
		if after := snapshot(t, w.env); after != before {
			t.Fatalf("a denied %s changed the database:\n%s", action, diffLines(before, after))
		}
		return
	}
	switch action {
	case actRead:
		if r.id() != id {
			t.Fatalf("read id %d, want %d", r.id(), id)
		}
	case actUpdate:
		if r.version() != version+1 {
			t.Fatalf("version %d after update, want %d", r.version(), version+1)
		}
	case actCreate:
		if cb, _ := r.JSON["created_by"].(float64); int64(cb) != w.users[role].ID {
			t.Fatalf("created_by %v, want the caller %d", r.JSON["created_by"], w.users[role].ID)
		}
	case actDelete:
		// Gone from the live list: reading it now is a 404 for anyone who cannot restore.
		reader := newClient(t, w.env, w.tokens[crm.RoleSales])
		reader.get(fmt.Sprintf("%s/%d", base, id)).wantProblem(t, http.StatusNotFound, "read after delete")
	}
}
