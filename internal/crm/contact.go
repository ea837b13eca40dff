package crm

import (
	"slices"
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

// Messenger kinds a contact's handle may be of.
var MessengerKinds = []string{"telegram", "whatsapp", "viber", "max"}

// ContactChannels are the channels a do-not-contact flag can be set on.
var ContactChannels = []string{ChannelEmail, ChannelSMS, ChannelPhone, ChannelMessenger, ChannelPostal}

// Normalise trims text and drops repeated phones, e-mails, messengers, flags and tags. Phones
// must already be parsed (internal/phone) and e-mails lowered.
func (c *Contact) Normalise() {
	for _, s := range []*string{&c.LastName, &c.FirstName, &c.MiddleName, &c.Position, &c.Type, &c.Role,
		&c.PostalAddress, &c.Notes} {
		*s = strings.TrimSpace(*s)
	}
	c.Phones = uniquePhones(c.Phones)
	c.Emails = uniqueStrings(c.Emails)
	c.DoNotContact = uniqueStrings(c.DoNotContact)
	c.Tags = NormaliseTags(c.Tags)
	ms := []Messenger{}
	for _, m := range c.Messengers {
		m.Kind, m.Handle = strings.ToLower(strings.TrimSpace(m.Kind)), strings.TrimSpace(m.Handle)
		if m.Handle != "" && !slices.Contains(ms, m) {
			ms = append(ms, m)
		}
	}
	c.Messengers = ms
	if c.Attributes == nil {
		c.Attributes = Attributes{}
	}
}

// Validate checks a contact: a last or a first name, known channels and messenger kinds.
func (c *Contact) Validate() error {
	p := Problems{}
	if c.LastName == "" && c.FirstName == "" {
		p.Add("last_name", "party.err.name_required")
	}
	maxLen(p, "last_name", c.LastName, 100)
	maxLen(p, "first_name", c.FirstName, 100)
	maxLen(p, "middle_name", c.MiddleName, 100)
	maxLen(p, "position", c.Position, 200)
	maxLen(p, "postal_address", c.PostalAddress, 1000)
	maxLen(p, "notes", c.Notes, 10000)
	checkPartyLists(p, c.Phones, c.Emails, c.Tags)
	if len(c.Messengers) > MaxPartyItems {
		p.Add("messengers", "err.too_long")
	}
	for _, m := range c.Messengers {
		if !slices.Contains(MessengerKinds, m.Kind) {
			p.Add("messengers", "err.choice")
		} else if len([]rune(m.Handle)) > 100 {
			p.Add("messengers", "err.too_long")
		}
	}
	for _, ch := range c.DoNotContact {
		if !slices.Contains(ContactChannels, ch) {
			p.Add("do_not_contact", "err.choice")
		}
	}
	return p.Err()
}

// ConsentPurposes and ConsentSources are the values product.md §4.2 allows.
var (
	ConsentPurposes = []string{"marketing", "pd_processing"}
	ConsentSources  = []string{"form", "call", "event", "import", "unsubscribe", "manual"}
	ConsentChannels = []string{ChannelEmail, ChannelSMS, ChannelMessenger, ChannelPhone, ChannelPostal, ChannelAny}
)

// Normalise trims the texts and fills the source.
func (c *Consent) Normalise() {
	c.Channel, c.Purpose, c.Source = strings.TrimSpace(c.Channel), strings.TrimSpace(c.Purpose), strings.TrimSpace(c.Source)
	c.TextVersion, c.Evidence = strings.TrimSpace(c.TextVersion), strings.TrimSpace(c.Evidence)
	if c.Source == "" {
		c.Source = "manual"
	}
}

// Validate checks the fixed value sets of a consent row.
func (c *Consent) Validate() error {
	p := Problems{}
	if !slices.Contains(ConsentChannels, c.Channel) {
		p.Add("channel", "err.choice")
	}
	if !slices.Contains(ConsentPurposes, c.Purpose) {
		p.Add("purpose", "err.choice")
	}
	if c.Status != ConsentGranted && c.Status != ConsentWithdrawn {
		p.Add("status", "err.choice")
	}
	if !slices.Contains(ConsentSources, c.Source) {
		p.Add("source", "err.choice")
	}
	maxLen(p, "text_version", c.TextVersion, 100)
	maxLen(p, "evidence", c.Evidence, 2000)
	return p.Err()
}

// CurrentConsents reduces a consent history (any order) to the latest row per channel and
// purpose: the state in force.
func CurrentConsents(history []Consent) []Consent {
	latest := map[[2]string]Consent{}
	for _, c := range history {
		k := [2]string{c.Channel, c.Purpose}
		if cur, ok := latest[k]; !ok || c.At.After(cur.At) || (c.At.Equal(cur.At) && c.ID > cur.ID) {
			latest[k] = c
		}
	}
	out := make([]Consent, 0, len(latest))
	for _, c := range latest {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Consent) int {
		return strings.Compare(a.Channel+"/"+a.Purpose, b.Channel+"/"+b.Purpose)
	})
	return out
}
