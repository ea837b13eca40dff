package crm

// CompanyKind says whether a counterparty is a legal entity, a sole proprietor or a private
// person (Физлицо).
type CompanyKind string

const (
	KindLegal      CompanyKind = "legal"
	KindSoleProp   CompanyKind = "sole_prop"
	KindIndividual CompanyKind = "individual"
)

// Company is a counterparty (Контрагент) D.
type Company struct {
	Meta
	Name          string      `json:"name"`
	LegalName     string      `json:"legal_name"`
	ExternalRef   string      `json:"external_ref,omitempty"`
	Kind          CompanyKind `json:"kind"`
	Type          string      `json:"type,omitempty"`     // code of ListCompanyType
	Industry      string      `json:"industry,omitempty"` // code of ListIndustry
	Size          string      `json:"size,omitempty"`     // employee band: micro, small, medium, large, enterprise
	INN           string      `json:"inn,omitempty"`
	KPP           string      `json:"kpp,omitempty"`
	Region        string      `json:"region"`
	Website       string      `json:"website"`
	Phones        []Phone     `json:"phones"`
	Emails        []string    `json:"emails"`
	Address       string      `json:"address"`
	ResponsibleID *int64      `json:"responsible_id,omitempty"`
	DirectorateID *int64      `json:"directorate_id,omitempty"`
	IsSupplier    bool        `json:"is_supplier"`
	Tags          []string    `json:"tags"`
	Attributes    Attributes  `json:"attributes,omitempty"`
	Notes         string      `json:"notes"`
	MergedInto    *int64      `json:"merged_into,omitempty"` // set on the record a merge removed
}

// DirectorateOf returns the directorate id or 0.
func (c *Company) DirectorateOf() int64 { return derefInt(c.DirectorateID) }

// CompanyFilter narrows the company list.
type CompanyFilter struct {
	Q             string
	IDs           []int64
	Kind          CompanyKind
	Type          string
	Industry      string
	Region        string
	DirectorateID int64
	ResponsibleID int64
	Tag           string
	Supplier      *bool
	CreatedFrom   *Date
	CreatedTo     *Date
	Attr          map[string]string // custom field code → value (exact)
	Deleted       bool
	Page          PageRequest
}

func derefInt(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
