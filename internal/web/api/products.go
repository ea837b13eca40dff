package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Product is a product or service (Продукт/услуга), linked to the sales directorates that sell
// it.
type Product struct {
	Meta
	Name         string  `json:"name" doc:"Name." example:"Аудит информационной безопасности"`
	Kind         string  `json:"kind" enum:"product,service" doc:"Product or service."`
	Code         string  `json:"code" doc:"Catalogue code." example:"SEC-AUDIT"`
	PriceMinor   int64   `json:"price_minor" doc:"List price in minor units (kopecks)." example:"15000000"`
	Currency     string  `json:"currency" doc:"ISO 4217 currency code." example:"RUB"`
	Directorates []int64 `json:"directorates" doc:"Ids of the sales directorates that sell it."`
	Active       bool    `json:"active" doc:"Inactive products cannot be chosen on new records."`
}

func productOf(p *crm.Product) Product {
	dirs := p.Directorates
	if dirs == nil {
		dirs = []int64{}
	}
	return Product{Meta: metaOf(p.Meta), Name: p.Name, Kind: string(p.Kind), Code: p.Code,
		PriceMinor: p.PriceMinor, Currency: p.Currency, Directorates: dirs, Active: p.Active}
}

// ProductCreate is what an administrator sends to add a product or service.
type ProductCreate struct {
	Name         string  `json:"name" maxLength:"300" doc:"Name."`
	Kind         string  `json:"kind" enum:"product,service" doc:"Product or service."`
	Code         string  `json:"code,omitempty" maxLength:"64" doc:"Catalogue code."`
	PriceMinor   int64   `json:"price_minor,omitempty" minimum:"0" doc:"List price in minor units (kopecks)."`
	Currency     string  `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 code (default RUB)."`
	Directorates []int64 `json:"directorates,omitempty" doc:"Ids of the sales directorates that sell it."`
	Active       *bool   `json:"active,omitempty" doc:"Default true."`
}

// ProductPatch changes some fields of a product or service.
type ProductPatch struct {
	Version      int64    `json:"version" minimum:"1" doc:"The version last read."`
	Name         *string  `json:"name,omitempty" maxLength:"300" doc:"Name."`
	Kind         *string  `json:"kind,omitempty" enum:"product,service" doc:"Product or service."`
	Code         *string  `json:"code,omitempty" maxLength:"64" doc:"Catalogue code."`
	PriceMinor   *int64   `json:"price_minor,omitempty" minimum:"0" doc:"List price in minor units."`
	Currency     *string  `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 code."`
	Directorates *[]int64 `json:"directorates,omitempty" doc:"The complete new list of sales directorate ids."`
	Active       *bool    `json:"active,omitempty" doc:"Whether it can be chosen on new records."`
}

type listProductsInput struct {
	ListParams
	Sort          string `query:"sort" enum:"name,-name,code,-code,kind,-kind,price_minor,-price_minor,created_at,-created_at,id,-id" doc:"Sort field; a leading minus sorts descending. Default: name."`
	Q             string `query:"q" maxLength:"200" doc:"Search in name and code."`
	Kind          string `query:"kind" enum:"product,service" doc:"Only products or only services."`
	DirectorateID int64  `query:"directorate_id" minimum:"0" doc:"Only those sold by this sales directorate."`
	Active        string `query:"active" enum:"true,false" doc:"Only active (true) or inactive (false) ones."`
	Deleted       bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type productBody struct {
	Body ProductCreate
}

type patchProductInput struct {
	IDParam
	Body ProductPatch
}

func (h *handlers) registerProducts(api huma.API) {
	const tag, path = "Products", "/products"
	huma.Register(api, op("listProducts", http.MethodGet, path, tag, "List products and services",
		"A page of products and services. Readable by every CRM role."),
		func(ctx context.Context, in *listProductsInput) (*pageOutput[Product], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			p, err := h.app.ListProducts(ctx, crm.ProductFilter{Q: in.Q, Kind: crm.ProductKind(in.Kind),
				DirectorateID: in.DirectorateID, Active: triState(in.Active), Deleted: in.Deleted, Page: pr})
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[Product]{Body: pageOf(p, productOf)}, nil
		})

	huma.Register(api, op("createProduct", http.MethodPost, path, tag, "Create a product or service",
		"Adds a product or service (crm_admin, admin)."),
		func(ctx context.Context, in *productBody) (*createdOutput[Product], error) {
			b := in.Body
			p, err := h.app.CreateProduct(ctx, app.ProductInput{Name: b.Name, Kind: crm.ProductKind(b.Kind), Code: b.Code,
				PriceMinor: b.PriceMinor, Currency: b.Currency, Directorates: b.Directorates, Active: b.Active == nil || *b.Active})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, p.ID, productOf(p)), nil
		})

	huma.Register(api, op("getProduct", http.MethodGet, path+"/{id}", tag, "Get a product or service",
		"One product or service. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Product], error) {
			p, err := h.app.Product(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(productOf(p)), nil
		})

	huma.Register(api, op("updateProduct", http.MethodPatch, path+"/{id}", tag, "Change a product or service",
		"Changes the fields sent (crm_admin, admin).", http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchProductInput) (*bodyOutput[Product], error) {
			b := in.Body
			pt := app.ProductPatch{Version: b.Version, Name: b.Name, Code: b.Code, PriceMinor: b.PriceMinor,
				Currency: b.Currency, Directorates: b.Directorates, Active: b.Active}
			if b.Kind != nil {
				k := crm.ProductKind(*b.Kind)
				pt.Kind = &k
			}
			p, err := h.app.UpdateProduct(ctx, in.ID, pt)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(productOf(p)), nil
		})

	huma.Register(api, op("deleteProduct", http.MethodDelete, path+"/{id}", tag, "Delete a product or service",
		"Moves a product or service to the trash (crm_admin, admin).", http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteProduct))

	restore := op("restoreProduct", http.MethodPost, path+"/{id}/restore", tag, "Restore a product or service",
		"Brings a deleted product or service back from the trash (crm_admin, admin).", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[Product], error) {
		return restored(ctx, in.ID, h.app.RestoreProduct, h.app.Product, productOf)
	})
}
