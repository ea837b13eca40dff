package app

import (
	"context"
	"crypto/rand"
	"math/big"

	"github.com/ladder-crm/ladder/internal/crm"
)

// FirstAdmin is the account made on the first start of an empty database.
type FirstAdmin struct {
	User      *crm.User
	Password  string
	Generated bool // the password was made up here and must be shown once
}

// EnsureAdmin makes the user "admin" with role admin when the database has no users at all.
// It returns nil when users exist already.
func (a *App) EnsureAdmin(ctx context.Context, email, password string) (*FirstAdmin, error) {
	n, err := a.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return nil, err
	}
	if email == "" {
		email = "admin@localhost"
	}
	out := &FirstAdmin{Password: password}
	if password == "" {
		out.Password, out.Generated = RandomPassword(16), true
	}
	u, err := a.CreateUser(WithActor(ctx, System), UserInput{Login: "admin", Email: email, FullName: "Administrator",
		Password: out.Password, Roles: []crm.Role{crm.RoleAdmin}, Active: true})
	if err != nil {
		return nil, err
	}
	out.User = u
	return out, nil
}

// RandomPassword makes a password of n characters without look-alike letters.
func RandomPassword(n int) string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}
