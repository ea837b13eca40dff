package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// Contract (Договор) is signed with a counterparty, usually out of a won deal.
type Contract struct {
	Meta
	Number        string     `json:"number" doc:"Number, unique within the contract's year." example:"15/2026"`
	Date          Date       `json:"date" doc:"Contract date."`
	CompanyID     int64      `json:"company_id" doc:"Id of the counterparty."`
	DealID        *int64     `json:"deal_id,omitempty" doc:"Id of the deal."`
	EventID       *int64     `json:"event_id,omitempty" doc:"Id of the event (default the deal's source event, R37)."`
	TopicID       *int64     `json:"topic_id,omitempty" doc:"Id of the sales topic."`
	Amount        int64      `json:"amount" doc:"Amount in minor units (kopecks)."`
	Currency      string     `json:"currency" doc:"ISO 4217 currency."`
	Status        string     `json:"status" enum:"draft,signed,completed,cancelled" doc:"Проект, Заключён, Исполнен, Расторгнут."`
	SignedAt      *time.Time `json:"signed_at,omitempty" doc:"When it was signed."`
	ResponsibleID *int64     `json:"responsible_id,omitempty" doc:"Id of the responsible user."`
	DirectorateID *int64     `json:"directorate_id,omitempty" doc:"Id of the sales directorate."`
	Description   string     `json:"description" doc:"Free text."`
	Paid          int64      `json:"paid" doc:"Sum of the payments in minor units."`
	Payments      []Payment  `json:"payments" doc:"Payments (on a single contract; empty in lists)."`
}

// Payment is money received under a contract.
type Payment struct {
	ID     int64  `json:"id" doc:"Payment id."`
	PaidOn Date   `json:"paid_on" doc:"Day paid."`
	Amount int64  `json:"amount" doc:"Amount in minor units."`
	Note   string `json:"note" doc:"Note."`
}

func contractOf(c *crm.Contract) Contract {
	out := Contract{Meta: metaOf(c.Meta), Number: c.Number, Date: Date{day: c.Date}, CompanyID: c.CompanyID, DealID: c.DealID,
		EventID: c.EventID, TopicID: c.TopicID, Amount: c.Amount, Currency: c.Currency, Status: string(c.Status),
		SignedAt: c.SignedAt, ResponsibleID: c.ResponsibleID, DirectorateID: c.DirectorateID, Description: c.Description,
		Paid: c.Paid, Payments: make([]Payment, 0, len(c.Payments))}
	for _, p := range c.Payments {
		out.Payments = append(out.Payments, paymentOf(&p))
	}
	return out
}

func paymentOf(p *crm.Payment) Payment {
	return Payment{ID: p.ID, PaidOn: Date{day: p.PaidOn}, Amount: p.Amount, Note: p.Note}
}

// ContractCreate adds a contract.
type ContractCreate struct {
	Number        string     `json:"number" maxLength:"100" doc:"Number, unique within the year of date."`
	Date          Date       `json:"date" doc:"Contract date."`
	CompanyID     int64      `json:"company_id,omitempty" minimum:"0" doc:"Counterparty; default the deal's."`
	DealID        *int64     `json:"deal_id,omitempty" minimum:"1" doc:"The deal it comes from."`
	EventID       *int64     `json:"event_id,omitempty" minimum:"1" doc:"Event; default the deal's source event (R37)."`
	TopicID       *int64     `json:"topic_id,omitempty" minimum:"1" doc:"Sales topic; default the deal's."`
	Amount        int64      `json:"amount" minimum:"0" doc:"Amount in minor units."`
	Currency      string     `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 currency; default RUB."`
	Status        string     `json:"status,omitempty" enum:"draft,signed,completed,cancelled" doc:"Default draft."`
	SignedAt      *time.Time `json:"signed_at,omitempty" doc:"When it was signed; default now for a signed contract."`
	ResponsibleID *int64     `json:"responsible_id,omitempty" minimum:"1" doc:"Responsible user; default the caller."`
	DirectorateID int64      `json:"directorate_id,omitempty" minimum:"0" doc:"Sales directorate; default the deal's, else the caller's first."`
	Description   string     `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
}

// ContractPatch changes some fields of a contract.
type ContractPatch struct {
	Version       int64               `json:"version" minimum:"1" doc:"The version last read."`
	Number        *string             `json:"number,omitempty" maxLength:"100" doc:"Number."`
	Date          *Date               `json:"date,omitempty" doc:"Contract date."`
	CompanyID     *int64              `json:"company_id,omitempty" minimum:"1" doc:"Counterparty."`
	DealID        Nullable[int64]     `json:"deal_id,omitzero" doc:"Deal; null clears it."`
	EventID       Nullable[int64]     `json:"event_id,omitzero" doc:"Event; null clears it."`
	TopicID       Nullable[int64]     `json:"topic_id,omitzero" doc:"Topic; null clears it."`
	Amount        *int64              `json:"amount,omitempty" minimum:"0" doc:"Amount in minor units."`
	Currency      *string             `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 currency."`
	Status        *string             `json:"status,omitempty" enum:"draft,signed,completed,cancelled" doc:"Status."`
	SignedAt      Nullable[time.Time] `json:"signed_at,omitzero" doc:"When it was signed; null clears it (not on a signed contract)."`
	ResponsibleID Nullable[int64]     `json:"responsible_id,omitzero" doc:"Responsible user; null clears it."`
	DirectorateID *int64              `json:"directorate_id,omitempty" minimum:"1" doc:"Move to another of the caller's sales directorates."`
	Description   *string             `json:"description,omitempty" maxLength:"10000" doc:"Free text."`
}

// PaymentCreate records a payment.
type PaymentCreate struct {
	PaidOn Date   `json:"paid_on" doc:"Day paid."`
	Amount int64  `json:"amount" minimum:"1" doc:"Amount in minor units."`
	Note   string `json:"note,omitempty" maxLength:"1000" doc:"Note."`
}

// Income are the totals of a contract filter (R39).
type Income struct {
	Income int64 `json:"income" doc:"Σ amount of signed and completed contracts, minor units."`
	Paid   int64 `json:"paid" doc:"Σ payments on the contracts, minor units."`
}

// ContractFilterParams are the filters of a list, shared with its totals or board. Exported: huma reads
// only exported embedded parameter structs.
type ContractFilterParams struct {
	Q             string `query:"q" maxLength:"200" doc:"Search in number and description."`
	Status        string `query:"status" enum:"draft,signed,completed,cancelled" doc:"Only contracts of this status."`
	CompanyID     int64  `query:"company_id" minimum:"0" doc:"Only contracts of this counterparty."`
	DealID        int64  `query:"deal_id" minimum:"0" doc:"Only contracts of this deal."`
	DirectorateID int64  `query:"directorate_id" minimum:"0" doc:"Only contracts of this sales directorate."`
	ResponsibleID int64  `query:"responsible_id" minimum:"0" doc:"Only contracts this user is responsible for."`
	DateFrom      string `query:"date_from" format:"date" doc:"Contract date on or after this day."`
	DateTo        string `query:"date_to" format:"date" doc:"Contract date on or before this day."`
}

func (p ContractFilterParams) filter() (crm.ContractFilter, error) {
	f := crm.ContractFilter{Q: p.Q, Status: crm.ContractStatus(p.Status), CompanyID: p.CompanyID, DealID: p.DealID,
		DirectorateID: p.DirectorateID, ResponsibleID: p.ResponsibleID}
	pr := crm.Problems{}
	parseDateParams(pr, dateParam{"date_from", p.DateFrom, &f.DateFrom}, dateParam{"date_to", p.DateTo, &f.DateTo})
	return f, pr.Err()
}

type listContractsInput struct {
	ListParams
	ContractFilterParams
	Sort    string `query:"sort" enum:"date,-date,number,-number,amount,-amount,status,-status,created_at,-created_at,updated_at,-updated_at,id,-id" doc:"Sort field; a leading minus sorts descending. Default: date."`
	Deleted bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type incomeInput struct {
	ContractFilterParams
}

type contractBody struct {
	Body ContractCreate
}

type patchContractInput struct {
	IDParam
	Body ContractPatch
}

type paymentInput struct {
	IDParam
	Body PaymentCreate
}

type paymentIDInput struct {
	IDParam
	PaymentID int64 `path:"payment_id" minimum:"1" doc:"Payment id."`
}

func (h *handlers) registerContracts(api huma.API) {
	const tag, path = "Contracts", "/contracts"
	huma.Register(api, op("listContracts", http.MethodGet, path, tag, "List contracts",
		"A page of contracts with their paid sums. Readable by every CRM role."),
		func(ctx context.Context, in *listContractsInput) (*pageOutput[Contract], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f, err := in.filter()
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f.Deleted, f.Page = in.Deleted, pr
			p, err := h.app.ListContracts(ctx, f)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[Contract]{Body: pageOf(p, contractOf)}, nil
		})

	huma.Register(api, op("contractIncome", http.MethodGet, path+"/income", tag, "Income of contracts",
		"Totals of the live contracts of a filter: income counts signed and completed contracts only (R39); paid sums their payments."),
		func(ctx context.Context, in *incomeInput) (*bodyOutput[Income], error) {
			f, err := in.filter()
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			t, err := h.app.Income(ctx, f)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(Income{Income: t.Income, Paid: t.Paid}), nil
		})

	huma.Register(api, op("createContract", http.MethodPost, path, tag, "Create a contract",
		"Adds a contract; from a deal it takes the deal's counterparty, source event and topic unless given (R37)."),
		func(ctx context.Context, in *contractBody) (*createdOutput[Contract], error) {
			b := in.Body
			c, err := h.app.CreateContract(ctx, app.ContractInput{Number: b.Number, Date: b.Date.day, CompanyID: b.CompanyID,
				DealID: b.DealID, EventID: b.EventID, TopicID: b.TopicID, Amount: b.Amount, Currency: b.Currency,
				Status: crm.ContractStatus(b.Status), SignedAt: b.SignedAt, ResponsibleID: b.ResponsibleID,
				DirectorateID: b.DirectorateID, Description: b.Description})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, c.ID, contractOf(c)), nil
		})

	huma.Register(api, op("getContract", http.MethodGet, path+"/{id}", tag, "Get a contract",
		"One contract with its payments.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Contract], error) {
			c, err := h.app.Contract(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(contractOf(c)), nil
		})

	huma.Register(api, op("updateContract", http.MethodPatch, path+"/{id}", tag, "Change a contract",
		"Changes the fields sent; a contract made signed without signed_at was signed now.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchContractInput) (*bodyOutput[Contract], error) {
			b := in.Body
			pt := app.ContractPatch{Version: b.Version, Number: b.Number, CompanyID: b.CompanyID, DealID: b.DealID.patch(),
				EventID: b.EventID.patch(), TopicID: b.TopicID.patch(), Amount: b.Amount, Currency: b.Currency,
				SignedAt: b.SignedAt.patch(), ResponsibleID: b.ResponsibleID.patch(), DirectorateID: b.DirectorateID,
				Description: b.Description}
			if b.Date != nil {
				pt.Date = &b.Date.day
			}
			if b.Status != nil {
				s := crm.ContractStatus(*b.Status)
				pt.Status = &s
			}
			c, err := h.app.UpdateContract(ctx, in.ID, pt)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(contractOf(c)), nil
		})

	huma.Register(api, op("deleteContract", http.MethodDelete, path+"/{id}", tag, "Delete a contract",
		"Moves a contract to the trash.", http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteContract))

	restore := op("restoreContract", http.MethodPost, path+"/{id}/restore", tag, "Restore a contract",
		"Brings a deleted contract back (crm_admin, admin); its number must still be free in its year.", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[Contract], error) {
		return restored(ctx, in.ID, h.app.RestoreContract, h.app.Contract, contractOf)
	})

	huma.Register(api, op("addPayment", http.MethodPost, path+"/{id}/payments", tag, "Add a payment",
		"Records money received under the contract.", http.StatusNotFound),
		func(ctx context.Context, in *paymentInput) (*createdOutput[Payment], error) {
			b := in.Body
			p, err := h.app.AddPayment(ctx, in.ID, crm.Payment{PaidOn: b.PaidOn.day, Amount: b.Amount, Note: b.Note})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path+"/"+strconv.FormatInt(in.ID, 10)+"/payments", p.ID, paymentOf(p)), nil
		})

	huma.Register(api, op("deletePayment", http.MethodDelete, path+"/{id}/payments/{payment_id}", tag, "Delete a payment",
		"Removes a payment entered by mistake; the contract's history keeps it.", http.StatusNotFound),
		func(ctx context.Context, in *paymentIDInput) (*struct{}, error) {
			if err := h.app.DeletePayment(ctx, in.ID, in.PaymentID); err != nil {
				return nil, fail(ctx, err, nil)
			}
			return nil, nil
		})
}
