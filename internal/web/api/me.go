package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// ProfilePatch is all a user may change on themselves. Roles, directorates and the
// bookkeeping fields are deliberately absent: sending them is a 422, not a silent no-op, so
// that an attempt to widen one's own rights shows.
type ProfilePatch struct {
	Version  int64   `json:"version" minimum:"1" doc:"The version last read (GET /api/v1/me)."`
	FullName *string `json:"full_name,omitempty" maxLength:"200" doc:"Full name."`
	Email    *string `json:"email,omitempty" maxLength:"320" doc:"E-mail address."`
	Locale   *string `json:"locale,omitempty" enum:"ru,en" doc:"Interface language."`
	TimeZone *string `json:"timezone,omitempty" maxLength:"64" doc:"IANA time zone."`
}

// PasswordChange replaces the caller's password.
type PasswordChange struct {
	CurrentPassword string `json:"current_password" maxLength:"256" writeOnly:"true" doc:"The password now in use."`
	NewPassword     string `json:"new_password" maxLength:"256" writeOnly:"true" doc:"The new password, at least 10 characters."`
}

// Token is an API token; its secret is shown only once, when it is made.
type Token struct {
	ID         int64      `json:"id" doc:"Token id."`
	Name       string     `json:"name" doc:"What the token is for."`
	ReadOnly   bool       `json:"read_only" doc:"A read-only token is denied every change."`
	CreatedAt  time.Time  `json:"created_at" doc:"When it was made."`
	LastUsedAt *time.Time `json:"last_used_at,omitempty" doc:"Last use, updated at most once a minute."`
	RevokedAt  *time.Time `json:"revoked_at,omitempty" doc:"When it was revoked."`
}

func tokenOf(t *crm.APIToken) Token {
	return Token{ID: t.ID, Name: t.Name, ReadOnly: t.ReadOnly, CreatedAt: t.CreatedAt,
		LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

// NewToken is a token just made, with its secret.
type NewToken struct {
	Token
	Secret string `json:"token" doc:"The bearer secret (ldr_…). Shown this once; only its hash is kept."`
}

// TokenCreate asks for a new API token for oneself.
type TokenCreate struct {
	Name     string `json:"name,omitempty" maxLength:"100" doc:"What the token is for (default \"API\")."`
	ReadOnly bool   `json:"read_only,omitempty" doc:"Deny every change made with this token."`
}

type profileInput struct {
	Body ProfilePatch
}

type passwordInput struct {
	Body PasswordChange
}

type tokenInput struct {
	Body TokenCreate
}

func (h *handlers) registerMe(api huma.API) {
	const tag, path = "Profile", "/me"
	huma.Register(api, op("getMe", http.MethodGet, path, tag, "Who am I",
		"The caller's own user record, with roles and sales directorates. Needs no CRM role."),
		func(ctx context.Context, _ *struct{}) (*bodyOutput[User], error) {
			u, err := h.app.Me(ctx)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(userOf(u)), nil
		})

	huma.Register(api, op("updateMe", http.MethodPatch, path, tag, "Change my profile",
		"Changes the caller's name, e-mail, language or time zone. Any other field is refused with 422.", http.StatusConflict),
		func(ctx context.Context, in *profileInput) (*bodyOutput[User], error) {
			b := in.Body
			u, err := h.app.UpdateProfile(ctx, app.ProfilePatch{Version: b.Version, FullName: b.FullName,
				Email: b.Email, Locale: b.Locale, TimeZone: b.TimeZone})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(userOf(u)), nil
		})

	pw := op("changeMyPassword", http.MethodPost, path+"/password", tag, "Change my password",
		"Replaces the caller's password after checking the current one. Web sessions made before end.")
	pw.DefaultStatus = http.StatusNoContent
	huma.Register(api, pw, func(ctx context.Context, in *passwordInput) (*struct{}, error) {
		if err := h.app.ChangePassword(ctx, in.Body.CurrentPassword, in.Body.NewPassword); err != nil {
			return nil, fail(ctx, crm.RenameField(err, "password", "new_password"), in.Body)
		}
		return nil, nil
	})

	huma.Register(api, op("listMyTokens", http.MethodGet, path+"/tokens", tag, "List my API tokens",
		"The caller's API tokens, revoked ones included. Secrets are never shown again."),
		func(ctx context.Context, _ *struct{}) (*pageOutput[Token], error) {
			ts, err := h.app.ListTokens(ctx)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			out := Page[Token]{Items: make([]Token, 0, len(ts)), Total: len(ts)}
			for i := range ts {
				out.Items = append(out.Items, tokenOf(&ts[i]))
			}
			return &pageOutput[Token]{Body: out}, nil
		})

	huma.Register(api, op("createMyToken", http.MethodPost, path+"/tokens", tag, "Make an API token",
		"Makes an API token for the caller and returns its secret once. A read-only token cannot make tokens."),
		func(ctx context.Context, in *tokenInput) (*createdOutput[NewToken], error) {
			me := app.ActorFrom(ctx)
			if me == nil || me.User == nil {
				return nil, fail(ctx, crm.ErrUnauthorized, nil)
			}
			secret, t, err := h.app.CreateToken(ctx, me.User.ID, in.Body.Name, in.Body.ReadOnly)
			if err != nil {
				return nil, fail(ctx, err, in.Body)
			}
			return created(prefix+path+"/tokens", t.ID, NewToken{Token: tokenOf(t), Secret: secret}), nil
		})

	huma.Register(api, op("revokeMyToken", http.MethodDelete, path+"/tokens/{id}", tag, "Revoke an API token",
		"Revokes one of the caller's tokens; calls with it get 401 from then on.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*struct{}, error) {
			if err := h.app.RevokeToken(ctx, in.ID); err != nil {
				return nil, fail(ctx, err, nil)
			}
			return nil, nil
		})
}
