package crm

// Phone is a telephone number as typed (Raw) and normalised to E.164 (R13). The parsing itself
// lives in internal/phone: it needs libphonenumber, and this package stays standard library.
type Phone struct {
	E164 string `json:"e164"`
	Raw  string `json:"raw"`
	Ext  string `json:"ext,omitempty"`
}

// Messenger is a contact's handle in a messenger.
type Messenger struct {
	Kind   string `json:"kind"` // whatsapp, telegram
	Handle string `json:"handle"`
}

// Channels a person can be reached on; do-not-contact flags and consent are kept per channel.
const (
	ChannelEmail     = "email"
	ChannelSMS       = "sms"
	ChannelPhone     = "phone"
	ChannelMessenger = "messenger"
	ChannelPostal    = "postal"
	ChannelAny       = "any"
)
