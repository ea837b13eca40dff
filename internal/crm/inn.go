package crm

// Russian taxpayer numbers (R16). ИНН of an organisation has 10 digits, of a person or a sole
// proprietor 12; the last one or two digits are check digits over the others with fixed
// weights (Приказ ФНС ММВ-7-6/435@). КПП is 9 characters: tax office (4 digits), reason
// (2 digits or capital Latin letters since 2013), serial number (3 digits).

var (
	inn10Weights  = []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12Weights1 = []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12Weights2 = []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

// ValidINN reports whether s is a 10- or 12-digit INN with correct check digits.
func ValidINN(s string) bool {
	if len(s) != 10 && len(s) != 12 {
		return false
	}
	d := make([]int, len(s))
	zero := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d[i] = int(c - '0')
		zero = zero && c == '0'
	}
	if zero {
		return false // passes the checksum, names nobody
	}
	if len(d) == 10 {
		return innCheck(d, inn10Weights) == d[9]
	}
	return innCheck(d, inn12Weights1) == d[10] && innCheck(d, inn12Weights2) == d[11]
}

func innCheck(d, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += d[i] * w
	}
	return sum % 11 % 10
}

// INNFitsKind reports whether a valid INN has the length of the counterparty's kind: 10 for a
// legal entity, 12 for a sole proprietor or a private person.
func INNFitsKind(inn string, kind CompanyKind) bool {
	if kind == KindLegal {
		return len(inn) == 10
	}
	return len(inn) == 12
}

// ValidKPP reports whether s has the shape of a KPP: 4 digits, 2 digits or capital Latin
// letters, 3 digits.
func ValidKPP(s string) bool {
	if len(s) != 9 {
		return false
	}
	for i := 0; i < 9; i++ {
		c := s[i]
		digit := c >= '0' && c <= '9'
		if i == 4 || i == 5 {
			if !digit && (c < 'A' || c > 'Z') {
				return false
			}
		} else if !digit {
			return false
		}
	}
	return true
}
