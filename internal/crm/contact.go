package crm

import (
	"strings"
	"time"
)

// Contact is a person (Контактное лицо) D: of a company, or a private person (Физлицо) with
// no company.
type Contact struct {
	Meta
	LastName        string      `json:"last_name"`
	FirstName       string      `json:"first_name"`
	MiddleName      string      `json:"middle_name"`
	CompanyID       *int64      `json:"company_id,omitempty"`
	Position        string      `json:"position"`
	IsDecisionMaker bool        `json:"is_decision_maker"`
	Type            string      `json:"type,omitempty"` // code of ListContactType
	Role            string      `json:"role,omitempty"` // code of ListContactRole
	Phones          []Phone     `json:"phones"`
	Emails          []string    `json:"emails"`
	Messengers      []Messenger `json:"messengers"`
	DoNotContact    []string    `json:"do_not_contact"` // channels (ChannelEmail…) not to use
	PostalAddress   string      `json:"postal_address"`
	ResponsibleID   *int64      `json:"responsible_id,omitempty"`
	DirectorateID   *int64      `json:"directorate_id,omitempty"`
	Tags            []string    `json:"tags"`
	Attributes      Attributes  `json:"attributes,omitempty"`
	Notes           string      `json:"notes"`
	MergedInto      *int64      `json:"merged_into,omitempty"`
}

// FullName is «Фамилия Имя Отчество», skipping empty parts.
func (c *Contact) FullName() string {
	return strings.Join(strings.Fields(c.LastName+" "+c.FirstName+" "+c.MiddleName), " ")
}

// DirectorateOf returns the directorate id or 0.
func (c *Contact) DirectorateOf() int64 { return derefInt(c.DirectorateID) }

// ContactFilter narrows the contact list.
type ContactFilter struct {
	Q             string
	IDs           []int64
	CompanyID     int64
	PrivateOnly   bool // persons without a company
	Type          string
	Role          string
	DecisionMaker *bool
	DirectorateID int64
	ResponsibleID int64
	Tag           string
	CreatedFrom   *Date
	CreatedTo     *Date
	Attr          map[string]string
	Deleted       bool
	Page          PageRequest
}

// ConsentStatus is granted or withdrawn.
type ConsentStatus string

const (
	ConsentGranted   ConsentStatus = "granted"
	ConsentWithdrawn ConsentStatus = "withdrawn"
)

// Consent is one append-only row of a contact's consent history (152-FZ, 38-FZ): the current
// state is the latest row per (contact, channel, purpose).
type Consent struct {
	ID          int64         `json:"id"`
	ContactID   int64         `json:"contact_id"`
	Channel     string        `json:"channel"` // ChannelEmail… or ChannelAny
	Purpose     string        `json:"purpose"` // marketing, pd_processing
	Status      ConsentStatus `json:"status"`
	Source      string        `json:"source"` // form, call, event, import, unsubscribe, manual
	TextVersion string        `json:"text_version"`
	Evidence    string        `json:"evidence"`
	At          time.Time     `json:"at"`
	CreatedBy   *int64        `json:"created_by,omitempty"`
}
