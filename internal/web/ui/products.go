package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

var productList = register(&listDef{
	Name: "products", Path: "/admin/products", Entity: crm.EntityProduct, Search: true, SearchHint: "products.search_hint",
	Columns: []colDef{
		{Key: "name", Label: "field.product.name", Sort: "name", Fixed: true},
		{Key: "kind", Label: "field.kind", Sort: "kind", Default: true},
		{Key: "code", Label: "field.code", Sort: "code", Default: true},
		{Key: "price", Label: "field.price", Sort: "price_minor", Default: true, Num: true},
		{Key: "directorates", Label: "field.directorates", Default: true},
		{Key: "active", Label: "field.active", Default: true},
		{Key: "created_at", Label: "field.created_at", Sort: "created_at"},
	},
	Filters:     []string{"kind", "directorate", "active"},
	DefaultSort: "name",
})

// The form's "price" is roubles as people type them; the app gets kopecks (price_minor).
var productFields = []string{"name", "kind", "code", "price", "currency", "directorates", "active"}

func (u *UI) kindOptions(r *http.Request) []option {
	return []option{
		{Value: string(crm.KindProduct), Label: u.t(r, "value.kind.product")},
		{Value: string(crm.KindService), Label: u.t(r, "value.kind.service")},
	}
}

func (u *UI) productList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s := u.parseList(r, productList)
	s.selectFilter("kind", u.t(r, "field.kind"), u.kindOptions(r))
	s.selectFilter("directorate", u.t(r, "field.directorate_id"), u.directorateOptions(ctx))
	s.selectFilter("active", u.t(r, "field.active"), u.activeOptions(r))
	page, err := u.app.ListProducts(ctx, crm.ProductFilter{Q: s.Q, Kind: crm.ProductKind(s.Filter("kind")),
		DirectorateID: s.Int("directorate"), Active: boolFilter(s.Filter("active")), Deleted: s.Deleted, Page: s.Page()})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	names := u.lookup(ctx)
	lang, loc := u.lang(r), userLocation(ctx)
	for _, p := range page.Items {
		href := "/admin/products/" + strconv.FormatInt(p.ID, 10)
		var ds []string
		for _, id := range p.Directorates {
			if n := names.directorateName(id); n != "" {
				ds = append(ds, n)
			}
		}
		rw := row{ID: p.ID, Href: href, Cells: map[string]cell{
			"name":         {Text: p.Name, Href: href},
			"kind":         {Text: u.t(r, "value.kind."+string(p.Kind)), Badge: kindColour(p.Kind)},
			"code":         {Text: p.Code, Muted: true},
			"price":        {Text: formatMoney(lang, p.PriceMinor, p.Currency)},
			"directorates": {List: ds},
			"active":       activeCell(r, u, p.Active),
			"created_at":   {Text: formatDateTime(lang, p.CreatedAt, loc), Muted: true},
		}}
		if s.Deleted {
			rw.RestoreURL = href + "/restore"
		}
		s.Rows = append(s.Rows, rw)
	}
	s.Total, s.Next = page.Total, page.Next
	s.EmptyKey = "products.empty"
	if u.app.Allowed(ctx, app.ActCreate, crm.EntityProduct) {
		s.NewURL, s.NewLabel = "/admin/products/new", "products.new"
	}
	u.partial(w, r, "list.html", u.newView(r, "products.title", "admin", s), "list-region")
}

func kindColour(k crm.ProductKind) string {
	if k == crm.KindService {
		return "purple"
	}
	return "blue"
}

func (u *UI) productCard(w http.ResponseWriter, r *http.Request) {
	id, p, ok := pathRecord(u, w, r, u.app.Product)
	if !ok {
		return
	}
	ctx := r.Context()
	base := "/admin/products/" + strconv.FormatInt(id, 10)
	lang, loc := u.lang(r), userLocation(ctx)
	people := u.lookup(ctx)
	people.prefetchUsers(p.CreatedBy, p.UpdatedBy)
	c := card{Title: p.Name, Subtitle: u.t(r, "value.kind."+string(p.Kind)), Deleted: p.Deleted()}
	if !p.Active {
		c.Badge, c.BadgeCol = u.t(r, "common.inactive"), "secondary"
	}
	c.Tabs, c.Tab = u.cardTabs(r, base)
	u.recordActions(r, &c, crm.EntityProduct, base, p.Meta, u.t(r, "products.delete_confirm", "Name", p.Name))
	var ds []string
	for _, d := range p.Directorates {
		ds = append(ds, people.directorateName(d))
	}
	data := &cardPage{Card: c, Back: "/admin/products", BackLabel: "products.title", Props: []prop{
		{Label: u.t(r, "field.code"), Value: p.Code},
		{Label: u.t(r, "field.price"), Value: formatMoney(lang, p.PriceMinor, p.Currency)},
		{Label: u.t(r, "field.directorates"), Value: strings.Join(ds, ", ")},
		{Label: u.t(r, "field.active"), Value: yesNo(r, u, p.Active)},
		{Label: u.t(r, "field.created_at"), Value: formatDateTime(lang, p.CreatedAt, loc) + byWhom(people, p.CreatedBy)},
		{Label: u.t(r, "field.updated_at"), Value: formatDateTime(lang, p.UpdatedAt, loc) + byWhom(people, p.UpdatedBy)},
	}}
	u.showCard(w, r, "card.html", "admin", crm.EntityProduct, id, data)
}

func (u *UI) productNew(w http.ResponseWriter, r *http.Request) {
	if !u.app.Allowed(r.Context(), app.ActCreate, crm.EntityProduct) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	f := newForm("/admin/products/new", "/admin/products")
	f.New = true
	f.Values.Set("kind", string(crm.KindProduct))
	f.Values.Set("currency", "RUB")
	f.Values.Set("price", "0.00")
	f.Values.Set("active", "1")
	u.productForm(w, r, http.StatusOK, f, nil)
}

func (u *UI) productEdit(w http.ResponseWriter, r *http.Request) {
	id, p, ok := pathRecord(u, w, r, u.app.Product)
	if !ok {
		return
	}
	if p.Deleted() || !u.app.Allowed(r.Context(), app.ActUpdate, crm.EntityProduct) {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	base := "/admin/products/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	f.Version = p.Version
	f.Values.Set("name", p.Name)
	f.Values.Set("kind", string(p.Kind))
	f.Values.Set("code", p.Code)
	f.Values.Set("price", moneyInput(p.PriceMinor))
	f.Values.Set("currency", p.Currency)
	f.Values["directorates"] = idStrings(p.Directorates)
	if p.Active {
		f.Values.Set("active", "1")
	}
	u.productForm(w, r, http.StatusOK, f, p)
}

type productFormData struct {
	Kinds        []option
	Directorates []option
}

func (u *UI) productForm(w http.ResponseWriter, r *http.Request, status int, f *form, p *crm.Product) {
	title, back, backLabel := "products.new", "/admin/products", "products.title"
	if p != nil {
		title, back, backLabel = "products.edit", "/admin/products/"+strconv.FormatInt(p.ID, 10), "common.back_to_card"
	}
	data := &formPage{Form: f, Title: u.t(r, title), Back: back, BackLabel: backLabel,
		Extra: productFormData{Kinds: u.kindOptions(r), Directorates: u.directorateOptions(r.Context())}}
	u.render(w, r, status, "product_form.html", u.newView(r, title, "admin", data))
}

// readProductForm parses the posted product; the price is read exactly (no float) from
// roubles and kopecks.
func readProductForm(r *http.Request, f *form) (app.ProductInput, bool) {
	f.fromRequest(r)
	in := app.ProductInput{Name: f.Get("name"), Kind: crm.ProductKind(f.Get("kind")), Code: f.Get("code"),
		Currency: f.Get("currency"), Directorates: ids(f.All("directorates")), Active: f.Get("active") != ""}
	minor, ok := parseMoney(f.Get("price"))
	if !ok {
		f.Errors["price"] = "err.money_format"
	}
	in.PriceMinor = minor
	return in, len(f.Errors) == 0
}

func (u *UI) productCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm("/admin/products/new", "/admin/products")
	f.New = true
	in, ok := readProductForm(r, f)
	u.finishSave(w, r, u.productSave(w, r, f, nil, "toast.created"), ok, func() (int64, error) {
		p, err := u.app.CreateProduct(r.Context(), in)
		if err != nil {
			return 0, priceErrors(err)
		}
		return p.ID, nil
	})
}

func (u *UI) productUpdate(w http.ResponseWriter, r *http.Request) {
	id, cur, ok := pathRecord(u, w, r, u.app.Product)
	if !ok {
		return
	}
	base := "/admin/products/" + strconv.FormatInt(id, 10)
	f := newForm(base+"/edit", base)
	in, ok := readProductForm(r, f)
	u.finishSave(w, r, u.productSave(w, r, f, cur, "toast.saved"), ok, func() (int64, error) {
		_, err := u.app.UpdateProduct(r.Context(), id, app.ProductPatch{Version: f.Version, Name: &in.Name, Kind: &in.Kind,
			Code: &in.Code, PriceMinor: &in.PriceMinor, Currency: &in.Currency, Directorates: &in.Directorates, Active: &in.Active})
		return id, priceErrors(err)
	})
}

// productSave is how the product form ends; cur is the product edited, nil for a new one.
func (u *UI) productSave(w http.ResponseWriter, r *http.Request, f *form, cur *crm.Product, toast string) formSave {
	return formSave{form: f, fields: productFields, toast: toast, list: "/admin/products",
		show: func(status int) { u.productForm(w, r, status, f, cur) }}
}

// priceErrors moves the app's price_minor problem to the field the form shows.
func priceErrors(err error) error { return crm.RenameField(err, "price_minor", "price") }

func (u *UI) productDelete(w http.ResponseWriter, r *http.Request) {
	u.deleteRecord(w, r, "/admin/products", func(id, version int64) error { return u.app.DeleteProduct(r.Context(), id, version) })
}

func (u *UI) productRestore(w http.ResponseWriter, r *http.Request) {
	u.restoreRecord(w, r, "/admin/products", func(id int64) error { return u.app.RestoreProduct(r.Context(), id) })
}
