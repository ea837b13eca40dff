package crm

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// User is a person who logs in to Ladder (product.md §4.1).
type User struct {
	Meta
	Login           string     `json:"login"`
	Email           string     `json:"email"`
	FullName        string     `json:"full_name"`
	Locale          string     `json:"locale"`   // ru | en
	TimeZone        string     `json:"timezone"` // IANA name
	Roles           Roles      `json:"roles"`
	Directorates    []int64    `json:"directorates"` // ordered: the first is the default (R4)
	PhoneExt        string     `json:"phone_ext"`
	WeeklyCapacityH int        `json:"weekly_capacity_h"`
	Active          bool       `json:"active"`
	PasswordHash    string     `json:"-"`
	FailedLogins    int        `json:"-"`
	LockedUntil     *time.Time `json:"-"`
}

// Locales the UI speaks. Russian comes first: it is the default.
var Locales = []string{"ru", "en"}

// DefaultTimeZone is used for users who set none.
const DefaultTimeZone = "Europe/Moscow"

var loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// NormaliseEmail lower-cases and trims an address: one person, one spelling.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Normalise fills defaults and canonical forms before validation.
func (u *User) Normalise() {
	u.Login = strings.ToLower(strings.TrimSpace(u.Login))
	u.Email = NormaliseEmail(u.Email)
	u.FullName = strings.TrimSpace(u.FullName)
	u.PhoneExt = strings.TrimSpace(u.PhoneExt)
	if u.Locale == "" {
		u.Locale = "ru"
	}
	if u.TimeZone == "" {
		u.TimeZone = DefaultTimeZone
	}
	if u.WeeklyCapacityH == 0 {
		u.WeeklyCapacityH = 40
	}
}

// Validate checks the fields a person can get wrong.
func (u *User) Validate() error {
	p := Problems{}
	if !loginPattern.MatchString(u.Login) {
		p.Add("login", "err.login_format")
	}
	if u.Email == "" {
		p.Add("email", "err.required")
	} else if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		p.Add("email", "err.email_format")
	}
	if u.FullName == "" {
		p.Add("full_name", "err.required")
	} else if len([]rune(u.FullName)) > 200 {
		p.Add("full_name", "err.too_long")
	}
	if !validLocale(u.Locale) {
		p.Add("locale", "err.locale")
	}
	if _, err := time.LoadLocation(u.TimeZone); err != nil {
		p.Add("timezone", "err.timezone")
	}
	seen := map[Role]bool{}
	for _, r := range u.Roles {
		if !r.Valid() {
			p.Add("roles", "err.role_unknown")
		}
		if seen[r] {
			p.Add("roles", "err.duplicate")
		}
		seen[r] = true
	}
	if hasDuplicate(u.Directorates) {
		p.Add("directorates", "err.duplicate")
	}
	if u.WeeklyCapacityH < 0 || u.WeeklyCapacityH > 168 {
		p.Add("weekly_capacity_h", "err.range")
	}
	return p.Err()
}

// FirstDirectorate is the user's default directorate ("first found", R4), 0 when none.
func (u *User) FirstDirectorate() int64 {
	if len(u.Directorates) == 0 {
		return 0
	}
	return u.Directorates[0]
}

// InDirectorate reports whether the user belongs to directorate id.
func (u *User) InDirectorate(id int64) bool {
	for _, d := range u.Directorates {
		if d == id {
			return true
		}
	}
	return false
}

// Locked reports whether the account is locked out after failed logins at time now.
func (u *User) Locked(now time.Time) bool {
	return u.LockedUntil != nil && now.Before(*u.LockedUntil)
}

func validLocale(l string) bool {
	for _, x := range Locales {
		if x == l {
			return true
		}
	}
	return false
}

func hasDuplicate(ids []int64) bool {
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return true
		}
		seen[id] = true
	}
	return false
}

// MinPasswordLength is the shortest password Ladder accepts.
const MinPasswordLength = 10

// ValidatePassword checks a new password.
func ValidatePassword(pw string) error {
	if len([]rune(pw)) < MinPasswordLength {
		return &Error{Code: EInvalid, Message: "err.validation", Fields: map[string]string{"password": "err.password_short"}}
	}
	if len(pw) > 256 {
		return &Error{Code: EInvalid, Message: "err.validation", Fields: map[string]string{"password": "err.too_long"}}
	}
	return nil
}
