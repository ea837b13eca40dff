package crm

import (
	"net/mail"
	"strings"
)

// maxEmail is the longest address SMTP can carry (RFC 5321: 254 characters in a path).
const maxEmail = 254

// ParseEmail trims and lowercases an e-mail address of a contact or company (user.go's
// NormaliseEmail only folds a login) and checks its syntax: a bare
// addr-spec (no display name, no angle brackets) with a domain that has a dot. Lowercasing the
// local part is not what RFC 5321 promises, but every mail service people use treats it so,
// and duplicate detection needs Ivanov@x.ru and ivanov@x.ru to be one address.
func ParseEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > maxEmail {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.Contains(domain, "..") || strings.ContainsAny(domain, "[]") {
		return "", false
	}
	return s, true
}
