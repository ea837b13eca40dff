package crm

// SearchHit is one record found by the global search box.
type SearchHit struct {
	Entity   string `json:"entity"` // EntityCompany, EntityContact, EntityDeal
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"` // company of a contact, INN, phone…
}
