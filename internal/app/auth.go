package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// ErrBadLogin is the one answer to every failed login: unknown user, wrong password, locked or
// inactive account all look the same from outside.
var ErrBadLogin = &crm.Error{Code: crm.EUnauthorized, Message: "err.bad_login"}

// Login checks a login (or e-mail) and password. After LockoutAfter failures in a row the
// account is locked for LockoutFor; the answer stays ErrBadLogin.
func (a *App) Login(ctx context.Context, login, password string) (*crm.User, error) {
	u, err := a.store.UserByLogin(ctx, strings.TrimSpace(login))
	if isNotFound(err) {
		CheckPassword(dummyHash(), password)
		a.auditLogin(ctx, nil, crm.AuditLoginFailed)
		return nil, ErrBadLogin
	}
	if err != nil {
		return nil, err
	}
	now := a.now()
	ok := CheckPassword(u.PasswordHash, password)
	if u.Deleted() || !u.Active || u.Locked(now) {
		a.auditLogin(ctx, u, crm.AuditLoginFailed)
		return nil, ErrBadLogin
	}
	if !ok {
		if err := a.countFailure(ctx, u, crm.AuditLoginFailed); err != nil {
			return nil, err
		}
		return nil, ErrBadLogin
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if u.FailedLogins != 0 || u.LockedUntil != nil {
			if err := r.ResetLoginFailures(ctx, u.ID); err != nil {
				return err
			}
		}
		return a.audit(ctx, r, &Actor{User: u}, crm.AuditLogin, crm.EntityUser, u.ID, nil, nil)
	})
	return u, err
}

// countFailure counts a wrong password towards the lockout and audits it.
func (a *App) countFailure(ctx context.Context, u *crm.User, action string) error {
	return a.store.InTx(ctx, func(r crm.Repo) error {
		if err := r.AddLoginFailure(ctx, u.ID, a.LockoutAfter, a.now().Add(a.LockoutFor)); err != nil {
			return err
		}
		return a.audit(ctx, r, &Actor{User: u}, action, crm.EntityUser, u.ID, nil, nil)
	})
}

func (a *App) auditLogin(ctx context.Context, u *crm.User, action string) {
	var act *Actor
	var id int64
	if u != nil {
		act, id = &Actor{User: u}, u.ID
	}
	if err := a.store.InTx(ctx, func(r crm.Repo) error { return a.audit(ctx, r, act, action, crm.EntityUser, id, nil, nil) }); err != nil {
		a.log.Error("audit login", "err", err)
	}
}

// HasPassword tells whether an active user's password is pw, without counting a failure or
// writing an audit entry (start-up uses it to list the demo accounts that really work).
func (a *App) HasPassword(ctx context.Context, login, pw string) (bool, error) {
	u, err := a.store.UserByLogin(ctx, login)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !u.Deleted() && u.Active && CheckPassword(u.PasswordHash, pw), nil
}

// Logout records the end of a session.
func (a *App) Logout(ctx context.Context) {
	if act := ActorFrom(ctx); act != nil && act.User != nil {
		a.auditLogin(ctx, act.User, crm.AuditLogout)
	}
}

// AuthEpoch is a number that changes whenever a user's password changes: sessions made
// before carry the old number and stop being valid.
func (a *App) AuthEpoch(ctx context.Context, userID int64) (int64, error) {
	return a.store.AuthEpoch(ctx, userID)
}

// ChangePassword changes the caller's own password after checking the current one.
func (a *App) ChangePassword(ctx context.Context, current, next string) error {
	act, err := writer(ctx)
	if err != nil {
		return err
	}
	u, err := a.store.UserByID(ctx, act.User.ID)
	if err != nil {
		return err
	}
	// A stolen session or token must not be a free password oracle: wrong guesses here count
	// towards the same lockout as at login, and a locked account cannot change its password.
	if u.Locked(a.now()) {
		return ErrBadLogin
	}
	if !CheckPassword(u.PasswordHash, current) {
		if err := a.countFailure(ctx, u, crm.AuditLoginFailed); err != nil {
			return err
		}
		return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"current_password": "err.password_wrong"}}
	}
	if err := crm.ValidatePassword(next); err != nil {
		return err
	}
	return a.setPassword(ctx, act, u.ID, next)
}

func (a *App) setPassword(ctx context.Context, act *Actor, userID int64, pw string) error {
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		if err := r.SetPassword(ctx, userID, hash); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditPasswordChange, crm.EntityUser, userID, nil, nil)
	})
}

// tokenPrefix marks Ladder tokens so that secret scanners can find leaked ones.
const tokenPrefix = "ldr_"

// CreateToken makes an API token for user userID and returns its secret, shown once. Users
// make tokens for themselves; admins (SYS writers) for anyone.
func (a *App) CreateToken(ctx context.Context, userID int64, name string, readOnly bool) (string, *crm.APIToken, error) {
	act, err := writer(ctx)
	if err != nil {
		return "", nil, err
	}
	if userID != act.User.ID {
		if err := Can(act, ActUpdate, crm.EntityUser, nil); err != nil {
			return "", nil, err
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API"
	}
	if len([]rune(name)) > 100 {
		return "", nil, &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"name": "err.too_long"}}
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t := &crm.APIToken{UserID: userID, Name: name, Hash: hashToken(secret), ReadOnly: readOnly, CreatedAt: a.now()}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		u, err := r.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if u.Deleted() {
			return crm.ErrNotFound
		}
		if userID != act.User.ID {
			// A token acts as its owner: minting one for an admin would grant admin.
			if err := mayTouch(act, u); err != nil {
				return err
			}
		}
		if err := r.CreateToken(ctx, t); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditTokenCreate, crm.EntityToken, t.ID, nil, t)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// AuthenticateToken turns a bearer secret into an actor.
func (a *App) AuthenticateToken(ctx context.Context, secret string) (*Actor, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, crm.ErrUnauthorized
	}
	t, err := a.store.TokenByHash(ctx, hashToken(secret))
	if isNotFound(err) || (err == nil && t.RevokedAt != nil) {
		return nil, crm.ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	u, err := a.store.UserByID(ctx, t.UserID)
	if isNotFound(err) || (err == nil && (u.Deleted() || !u.Active)) {
		return nil, crm.ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	// last_used_at is advisory: write it at most once a minute per token.
	if now := a.now(); t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := a.store.TouchToken(ctx, t.ID, now); err != nil {
			a.log.Warn("touch token", "err", err)
		}
	}
	return &Actor{User: u, ReadOnly: t.ReadOnly}, nil
}

// ListTokens lists the caller's tokens.
func (a *App) ListTokens(ctx context.Context) ([]crm.APIToken, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return a.store.ListTokens(ctx, act.User.ID)
}

// RevokeToken revokes one of the caller's tokens.
func (a *App) RevokeToken(ctx context.Context, id int64) error {
	act, err := writer(ctx)
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(r crm.Repo) error {
		if err := r.RevokeToken(ctx, act.User.ID, id); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditTokenRevoke, crm.EntityToken, id, nil, nil)
	})
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// UserFromSession loads the user of a web session, checking that the session was made under
// the current password (epoch) and that the user may still log in.
func (a *App) UserFromSession(ctx context.Context, userID, epoch int64) (*Actor, error) {
	u, err := a.store.UserByID(ctx, userID)
	if isNotFound(err) {
		return nil, crm.ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	if u.Deleted() || !u.Active {
		return nil, crm.ErrUnauthorized
	}
	cur, err := a.store.AuthEpoch(ctx, userID)
	if err != nil {
		return nil, err
	}
	if cur != epoch {
		return nil, crm.ErrUnauthorized
	}
	return &Actor{User: u}, nil
}
