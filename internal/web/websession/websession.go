// Package websession keeps who is logged in to a browser session. Sessions live in the
// database (scs with the store's CtxStore) so that any number of instances share them.
package websession

import (
	"context"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
)

const (
	keyUser  = "user_id"
	keyEpoch = "auth_epoch" // the user's password epoch at login: a password change ends old sessions
	keyFlash = "flash"
)

// NewManager makes the session manager with secure cookie flags. secure=false only for plain
// http on localhost (development, tests).
func NewManager(store scs.CtxStore, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Lifetime = 14 * 24 * time.Hour
	sm.IdleTimeout = 24 * time.Hour
	sm.Cookie.Name = "ladder_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	return sm
}

// LogIn binds the session to a user under a fresh token (no session fixation).
func LogIn(ctx context.Context, sm *scs.SessionManager, userID, epoch int64) error {
	if err := sm.RenewToken(ctx); err != nil {
		return err
	}
	sm.Put(ctx, keyUser, userID)
	sm.Put(ctx, keyEpoch, epoch)
	return nil
}

// LogOut ends the session.
func LogOut(ctx context.Context, sm *scs.SessionManager) error { return sm.Destroy(ctx) }

// User returns the session's user id and password epoch; ok is false when nobody logged in.
func User(ctx context.Context, sm *scs.SessionManager) (userID, epoch int64, ok bool) {
	userID = sm.GetInt64(ctx, keyUser)
	return userID, sm.GetInt64(ctx, keyEpoch), userID != 0
}

// Flash keeps a message key for the next page (toasts after redirects).
func Flash(ctx context.Context, sm *scs.SessionManager, key string) { sm.Put(ctx, keyFlash, key) }

// PopFlash takes the pending message key, "" when none.
func PopFlash(ctx context.Context, sm *scs.SessionManager) string { return sm.PopString(ctx, keyFlash) }
