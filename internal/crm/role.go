package crm

// Role is one of the out-of-box («коробочные») roles of the SimpleOne role model (product.md §3.2).
type Role string

const (
	RoleSales              Role = "crm_sales"
	RoleManager            Role = "crm_manager"
	RoleMarketeer          Role = "crm_marketeer"
	RolePAM                Role = "crm_pam"
	RolePresale            Role = "crm_presale"
	RoleCertificateManager Role = "crm_certificate_manager"
	RoleReadAdmin          Role = "crm_read_admin"
	RoleCRMAdmin           Role = "crm_admin"
	RoleAdmin              Role = "admin"
)

// AllRoles lists every role in the order the UI shows them.
var AllRoles = []Role{
	RoleSales, RoleManager, RoleMarketeer, RolePAM, RolePresale,
	RoleCertificateManager, RoleReadAdmin, RoleCRMAdmin, RoleAdmin,
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range AllRoles {
		if x == r {
			return true
		}
	}
	return false
}

// Roles is a set of roles held by one user. Rights of several roles add up.
type Roles []Role

// Has reports whether any of want is held.
func (rs Roles) Has(want ...Role) bool {
	for _, r := range rs {
		for _, w := range want {
			if r == w {
				return true
			}
		}
	}
	return false
}

// IsCRMUser reports whether the user has any CRM role: without one there is no access beyond
// login and the own profile (R2).
func (rs Roles) IsCRMUser() bool { return len(rs) > 0 }

// IsFullAdmin reports crm_admin or admin: edit and delete everything.
func (rs Roles) IsFullAdmin() bool { return rs.Has(RoleCRMAdmin, RoleAdmin) }
