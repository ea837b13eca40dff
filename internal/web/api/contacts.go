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

// Messenger is a contact's handle in a messenger.
type Messenger struct {
	Kind   string `json:"kind" enum:"telegram,whatsapp,viber,max" doc:"Messenger."`
	Handle string `json:"handle" maxLength:"100" doc:"Handle or number in it." example:"@ivanov"`
}

// Contact is a contact person of a company or, without company_id, a private person.
type Contact struct {
	Meta
	LastName        string         `json:"last_name" doc:"Фамилия." example:"Иванов"`
	FirstName       string         `json:"first_name" doc:"Имя." example:"Иван"`
	MiddleName      string         `json:"middle_name" doc:"Отчество." example:"Иванович"`
	FullName        string         `json:"full_name" doc:"ФИО: the name parts joined." example:"Иванов Иван Иванович"`
	CompanyID       *int64         `json:"company_id,omitempty" doc:"Id of the company; absent for a private person (Физлицо)."`
	Position        string         `json:"position" doc:"Position."`
	IsDecisionMaker bool           `json:"is_decision_maker" doc:"Decision maker (ЛПР)."`
	Type            string         `json:"type,omitempty" doc:"Code of the contact_type list."`
	Role            string         `json:"role,omitempty" doc:"Code of the contact_role list."`
	Phones          []Phone        `json:"phones" doc:"Phones, normalised to E.164."`
	Emails          []string       `json:"emails" doc:"E-mail addresses, lower case."`
	Messengers      []Messenger    `json:"messengers" doc:"Messenger handles."`
	DoNotContact    []string       `json:"do_not_contact" doc:"Channels not to use: email, sms, phone, messenger, postal."`
	PostalAddress   string         `json:"postal_address" doc:"Postal address."`
	ResponsibleID   *int64         `json:"responsible_id,omitempty" doc:"Id of the responsible user."`
	DirectorateID   *int64         `json:"directorate_id,omitempty" doc:"Id of the sales directorate it belongs to."`
	Tags            []string       `json:"tags" doc:"Tags."`
	Attributes      map[string]any `json:"attributes" doc:"Custom field values by field code."`
	Notes           string         `json:"notes" doc:"Free text."`
	MergedInto      *int64         `json:"merged_into,omitempty" doc:"Set on a record a merge removed: the id of the record it was merged into."`
}

func contactOf(c *crm.Contact) Contact {
	ms := make([]Messenger, 0, len(c.Messengers))
	for _, m := range c.Messengers {
		ms = append(ms, Messenger{Kind: m.Kind, Handle: m.Handle})
	}
	return Contact{Meta: metaOf(c.Meta), LastName: c.LastName, FirstName: c.FirstName, MiddleName: c.MiddleName, FullName: c.FullName(),
		CompanyID: c.CompanyID, Position: c.Position, IsDecisionMaker: c.IsDecisionMaker, Type: c.Type, Role: c.Role,
		Phones: phonesOf(c.Phones), Emails: nonNil(c.Emails), Messengers: ms, DoNotContact: nonNil(c.DoNotContact),
		PostalAddress: c.PostalAddress, ResponsibleID: c.ResponsibleID, DirectorateID: c.DirectorateID, Tags: nonNil(c.Tags),
		Attributes: attrsOut(c.Attributes), Notes: c.Notes, MergedInto: c.MergedInto}
}

func messengersIn(ms []Messenger) []crm.Messenger {
	if ms == nil {
		return nil
	}
	out := make([]crm.Messenger, 0, len(ms))
	for _, m := range ms {
		out = append(out, crm.Messenger{Kind: m.Kind, Handle: m.Handle})
	}
	return out
}

// ContactCreate adds a contact person or a private person.
type ContactCreate struct {
	LastName        string         `json:"last_name,omitempty" maxLength:"100" doc:"Фамилия (this or first_name is required)."`
	FirstName       string         `json:"first_name,omitempty" maxLength:"100" doc:"Имя."`
	MiddleName      string         `json:"middle_name,omitempty" maxLength:"100" doc:"Отчество."`
	CompanyID       *int64         `json:"company_id,omitempty" minimum:"1" doc:"A live company; absent for a private person."`
	Position        string         `json:"position,omitempty" maxLength:"200" doc:"Position."`
	IsDecisionMaker bool           `json:"is_decision_maker,omitempty" doc:"Decision maker (ЛПР)."`
	Type            string         `json:"type,omitempty" maxLength:"40" doc:"Code of an active contact_type value."`
	Role            string         `json:"role,omitempty" maxLength:"40" doc:"Code of an active contact_role value."`
	Phones          []string       `json:"phones,omitempty" maxItems:"20" doc:"Phones as typed; stored in E.164."`
	Emails          []string       `json:"emails,omitempty" maxItems:"20" doc:"E-mail addresses."`
	Messengers      []Messenger    `json:"messengers,omitempty" maxItems:"20" doc:"Messenger handles."`
	DoNotContact    []string       `json:"do_not_contact,omitempty" maxItems:"5" doc:"Channels not to use: email, sms, phone, messenger, postal."`
	PostalAddress   string         `json:"postal_address,omitempty" maxLength:"1000" doc:"Postal address."`
	ResponsibleID   *int64         `json:"responsible_id,omitempty" minimum:"1" doc:"Responsible user (default: the caller)."`
	DirectorateID   int64          `json:"directorate_id,omitempty" minimum:"0" doc:"One of the caller's sales directorates. Default: the caller's first."`
	Tags            []string       `json:"tags,omitempty" maxItems:"20" doc:"Tags."`
	Attributes      map[string]any `json:"attributes,omitempty" doc:"Custom field values by field code."`
	Notes           string         `json:"notes,omitempty" maxLength:"10000" doc:"Free text."`
	AllowDuplicate  bool           `json:"allow_duplicate,omitempty" doc:"Create it even if live contacts share a phone or an e-mail (else 409 naming them)."`
}

// ContactPatch changes some fields of a contact; lists are replaced whole.
type ContactPatch struct {
	Version         int64           `json:"version" minimum:"1" doc:"The version last read."`
	LastName        *string         `json:"last_name,omitempty" maxLength:"100" doc:"Фамилия."`
	FirstName       *string         `json:"first_name,omitempty" maxLength:"100" doc:"Имя."`
	MiddleName      *string         `json:"middle_name,omitempty" maxLength:"100" doc:"Отчество."`
	CompanyID       Nullable[int64] `json:"company_id,omitzero" doc:"Company; null makes a private person."`
	Position        *string         `json:"position,omitempty" maxLength:"200" doc:"Position."`
	IsDecisionMaker *bool           `json:"is_decision_maker,omitempty" doc:"Decision maker (ЛПР)."`
	Type            *string         `json:"type,omitempty" maxLength:"40" doc:"Code of a contact_type value; empty clears it."`
	Role            *string         `json:"role,omitempty" maxLength:"40" doc:"Code of a contact_role value; empty clears it."`
	Phones          *[]string       `json:"phones,omitempty" maxItems:"20" doc:"All phones, as typed."`
	Emails          *[]string       `json:"emails,omitempty" maxItems:"20" doc:"All e-mail addresses."`
	Messengers      *[]Messenger    `json:"messengers,omitempty" maxItems:"20" doc:"All messenger handles."`
	DoNotContact    *[]string       `json:"do_not_contact,omitempty" maxItems:"5" doc:"All channels not to use."`
	PostalAddress   *string         `json:"postal_address,omitempty" maxLength:"1000" doc:"Postal address."`
	ResponsibleID   Nullable[int64] `json:"responsible_id,omitzero" doc:"Responsible user; null clears it."`
	DirectorateID   *int64          `json:"directorate_id,omitempty" minimum:"1" doc:"Move to another of the caller's sales directorates."`
	Tags            *[]string       `json:"tags,omitempty" maxItems:"20" doc:"All tags."`
	Attributes      map[string]any  `json:"attributes,omitempty" doc:"Custom field values to set; null removes a value."`
	Notes           *string         `json:"notes,omitempty" maxLength:"10000" doc:"Free text."`
}

type listContactsInput struct {
	ListParams
	Sort string `query:"sort" enum:"name,-name,position,-position,type,-type,role,-role,created_at,-created_at,updated_at,-updated_at,id,-id" doc:"Sort field (name = ФИО); a leading minus sorts descending. Default: name."`
	ContactFilterParams
	Deleted bool `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type contactBody struct {
	Body ContactCreate
}

type patchContactInput struct {
	IDParam
	Body ContactPatch
}

// Consent is one row of a contact's consent history (152-FZ, 38-FZ); the state in force is
// the latest row per channel and purpose.
type Consent struct {
	ID          int64     `json:"id" doc:"Row id."`
	ContactID   int64     `json:"contact_id" doc:"The contact."`
	Channel     string    `json:"channel" enum:"email,sms,messenger,phone,postal,any" doc:"Channel."`
	Purpose     string    `json:"purpose" enum:"marketing,pd_processing" doc:"Purpose: marketing messages or processing of personal data."`
	Status      string    `json:"status" enum:"granted,withdrawn" doc:"Granted or withdrawn."`
	Source      string    `json:"source" enum:"form,call,event,import,unsubscribe,manual" doc:"Where it came from."`
	TextVersion string    `json:"text_version" doc:"Version of the consent text agreed to."`
	Evidence    string    `json:"evidence" doc:"Evidence: form URL, call id, document."`
	At          time.Time `json:"at" doc:"When it was given or withdrawn (UTC)."`
	CreatedBy   *int64    `json:"created_by,omitempty" doc:"Who recorded it."`
}

func consentOf(c *crm.Consent) Consent {
	return Consent{ID: c.ID, ContactID: c.ContactID, Channel: c.Channel, Purpose: c.Purpose, Status: string(c.Status),
		Source: c.Source, TextVersion: c.TextVersion, Evidence: c.Evidence, At: c.At, CreatedBy: c.CreatedBy}
}

// ConsentCreate records a consent being given or withdrawn.
type ConsentCreate struct {
	Channel     string     `json:"channel" enum:"email,sms,messenger,phone,postal,any" doc:"Channel."`
	Purpose     string     `json:"purpose" enum:"marketing,pd_processing" doc:"Purpose."`
	Status      string     `json:"status" enum:"granted,withdrawn" doc:"Granted or withdrawn."`
	Source      string     `json:"source,omitempty" enum:"form,call,event,import,unsubscribe,manual" doc:"Default manual."`
	TextVersion string     `json:"text_version,omitempty" maxLength:"100" doc:"Version of the consent text."`
	Evidence    string     `json:"evidence,omitempty" maxLength:"2000" doc:"Evidence."`
	At          *time.Time `json:"at,omitempty" doc:"When (default now; a time in the future counts as now)."`
}

type consentInput struct {
	IDParam
	Body ConsentCreate
}

type consentsOutput struct {
	Body struct {
		Items   []Consent `json:"items" doc:"The history, newest first."`
		Current []Consent `json:"current" doc:"The state in force: the latest row per channel and purpose."`
	}
}

func (h *handlers) registerContacts(api huma.API) {
	const tag, path = "Contacts", "/contacts"
	huma.Register(api, op("listContacts", http.MethodGet, path, tag, "List contacts",
		"A page of contact persons and private persons of all sales directorates, by ФИО. Readable by every CRM role."),
		func(ctx context.Context, in *listContactsInput) (*pageOutput[Contact], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f, err := in.filter()
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			f.Deleted, f.Page = in.Deleted, pr
			p, err := h.app.ListContacts(ctx, f)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[Contact]{Body: pageOf(p, contactOf)}, nil
		})

	create := withDuplicateProblem(api, op("createContact", http.MethodPost, path, tag, "Create a contact",
		"Adds a contact person (with company_id) or a private person (without) in one of the caller's sales directorates. "+
			"Phones are normalised to E.164, e-mails to lower case. A live contact with the same phone or e-mail makes it a 409 listing them, unless allow_duplicate is true."))
	huma.Register(api, create, func(ctx context.Context, in *contactBody) (*createdOutput[Contact], error) {
		b := in.Body
		c, err := h.app.CreateContact(ctx, app.ContactInput{LastName: b.LastName, FirstName: b.FirstName, MiddleName: b.MiddleName,
			CompanyID: b.CompanyID, Position: b.Position, IsDecisionMaker: b.IsDecisionMaker, Type: b.Type, Role: b.Role,
			Phones: b.Phones, Emails: b.Emails, Messengers: messengersIn(b.Messengers), DoNotContact: b.DoNotContact,
			PostalAddress: b.PostalAddress, ResponsibleID: b.ResponsibleID, DirectorateID: b.DirectorateID, Tags: b.Tags,
			Attributes: b.Attributes, Notes: b.Notes, AllowDuplicate: b.AllowDuplicate})
		if err != nil {
			return nil, partyFail(ctx, err, b)
		}
		return created(prefix+path, c.ID, contactOf(c)), nil
	})

	huma.Register(api, op("getContact", http.MethodGet, path+"/{id}", tag, "Get a contact",
		"One contact. Readable by every CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[Contact], error) {
			c, err := h.app.Contact(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(contactOf(c)), nil
		})

	huma.Register(api, op("updateContact", http.MethodPatch, path+"/{id}", tag, "Change a contact",
		"Changes the fields sent. Members of the contact's sales directorate with a business role may; crm_admin and admin always.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchContactInput) (*bodyOutput[Contact], error) {
			b := in.Body
			pt := app.ContactPatch{Version: b.Version, LastName: b.LastName, FirstName: b.FirstName, MiddleName: b.MiddleName,
				CompanyID: b.CompanyID.patch(), Position: b.Position, IsDecisionMaker: b.IsDecisionMaker, Type: b.Type, Role: b.Role,
				Phones: b.Phones, Emails: b.Emails, DoNotContact: b.DoNotContact, PostalAddress: b.PostalAddress,
				ResponsibleID: b.ResponsibleID.patch(), DirectorateID: b.DirectorateID, Tags: b.Tags, Attributes: b.Attributes, Notes: b.Notes}
			if b.Messengers != nil {
				ms := messengersIn(*b.Messengers)
				if ms == nil {
					ms = []crm.Messenger{}
				}
				pt.Messengers = &ms
			}
			c, err := h.app.UpdateContact(ctx, in.ID, pt)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(contactOf(c)), nil
		})

	huma.Register(api, op("deleteContact", http.MethodDelete, path+"/{id}", tag, "Delete a contact",
		"Moves a contact to the trash: members of its sales directorate with a business role, crm_admin, admin.",
		http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteContact))

	restore := op("restoreContact", http.MethodPost, path+"/{id}/restore", tag, "Restore a contact",
		"Brings a deleted contact back from the trash (crm_admin, admin). One removed by a merge cannot come back.", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[Contact], error) {
		return restored(ctx, in.ID, h.app.RestoreContact, h.app.Contact, contactOf)
	})

	merge := op("mergeContacts", http.MethodPost, path+"/{id}/merge", tag, "Merge a contact into this one",
		"Moves every deal, consent, task, file and note of drop_id to this contact, takes over the fields named in from_dropped, "+
			"unites phones, e-mails, messengers, do-not-contact flags and tags, and puts drop_id in the trash with merged_into set. "+
			"The caller must be allowed to edit both.", http.StatusNotFound, http.StatusConflict)
	merge.DefaultStatus = http.StatusOK
	huma.Register(api, merge, mergeHandler(h.app.MergeContacts, contactOf))

	huma.Register(api, op("listConsents", http.MethodGet, path+"/{id}/consents", tag, "List a contact's consents",
		"The consent history of a contact, newest first, and the state in force per channel and purpose. Readable by every CRM role.",
		http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*consentsOutput, error) {
			hist, err := h.app.Consents(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			out := &consentsOutput{}
			out.Body.Items = make([]Consent, 0, len(hist))
			for i := range hist {
				out.Body.Items = append(out.Body.Items, consentOf(&hist[i]))
			}
			cur := crm.CurrentConsents(hist)
			out.Body.Current = make([]Consent, 0, len(cur))
			for i := range cur {
				out.Body.Current = append(out.Body.Current, consentOf(&cur[i]))
			}
			return out, nil
		})

	huma.Register(api, op("addConsent", http.MethodPost, path+"/{id}/consents", tag, "Record a consent",
		"Appends a row to the contact's consent history (rows are never changed). Any CRM role may, whatever the contact's directorate; a read-only token may not.",
		http.StatusNotFound),
		func(ctx context.Context, in *consentInput) (*createdOutput[Consent], error) {
			b := in.Body
			c, err := h.app.AddConsent(ctx, in.ID, app.ConsentInput{Channel: b.Channel, Purpose: b.Purpose,
				Status: crm.ConsentStatus(b.Status), Source: b.Source, TextVersion: b.TextVersion, Evidence: b.Evidence, At: b.At})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path+"/"+strconv.FormatInt(in.ID, 10)+"/consents", c.ID, consentOf(c)), nil
		})
}
