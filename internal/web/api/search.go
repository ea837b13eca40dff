package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
)

// SearchHit is one record found by the global search.
type SearchHit struct {
	Entity   string `json:"entity" enum:"company,contact,deal" doc:"Record type."`
	ID       int64  `json:"id" doc:"Record id."`
	Title    string `json:"title" doc:"Company or deal name, contact's full name." example:"Иванов Пётр Сергеевич"`
	Subtitle string `json:"subtitle" doc:"What tells namesakes apart: INN and region of a company, position and company of a contact, company of a deal." example:"Директор по ИТ · ООО «Ромашка»"`
	Fuzzy    bool   `json:"fuzzy" doc:"Found only by reading a word with one typo."`
	URL      string `json:"url" doc:"Path of the record in the API." example:"/api/v1/contacts/42"`
}

// SearchResult is the hits of one query, grouped companies, contacts, deals.
type SearchResult struct {
	Items []SearchHit `json:"items" nullable:"false"`
}

type searchInput struct {
	Q     string `query:"q" maxLength:"200" doc:"What to find: words of a name (each a prefix, all must match), a phone in any format (8 916…, +7 (916)…), an e-mail or its beginning, an INN. Case does not matter; one typo per word is tolerated when the exact words find few records. Fewer than two characters find nothing."`
	Limit int    `query:"limit" minimum:"1" maximum:"100" default:"10" doc:"Most hits per group (companies, contacts, deals)."`
}

// searchPaths maps an entity to its collection in the API.
var searchPaths = map[string]string{"company": "/companies", "contact": "/contacts", "deal": "/deals"}

// registerSearch adds the operations of the global search box.
func (h *handlers) registerSearch(api huma.API) {
	const tag = "Search"
	api.OpenAPI().Tags = append(api.OpenAPI().Tags, &huma.Tag{Name: tag,
		Description: "One box that finds companies, contacts and deals by name, phone, e-mail or INN. Every CRM role; each group only if the caller may read that record type."})
	huma.Register(api, op("search", http.MethodGet, "/search", tag, "Search companies, contacts and deals",
		"Finds live records whose names, phones, e-mails or INN start with every word of q, exact matches first, grouped companies, contacts, deals."),
		func(ctx context.Context, in *searchInput) (*bodyOutput[SearchResult], error) {
			hits, err := h.app.Search(ctx, in.Q, in.Limit)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			out := SearchResult{Items: make([]SearchHit, 0, len(hits))}
			for _, x := range hits {
				out.Items = append(out.Items, SearchHit{Entity: x.Entity, ID: x.ID, Title: x.Title, Subtitle: x.Subtitle,
					Fuzzy: x.Fuzzy, URL: prefix + searchPaths[x.Entity] + "/" + strconv.FormatInt(x.ID, 10)})
			}
			return ok(out), nil
		})
}
