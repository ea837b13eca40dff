package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Actor is who makes a call: a logged-in user, or a user behind an API token.
type Actor struct {
	User     *crm.User
	ReadOnly bool // a read-only API token: every write is denied
}

// System is the actor of start-up and CLI work done with no user (first admin, demo data).
var System = &Actor{User: &crm.User{Login: "system", Roles: crm.Roles{crm.RoleAdmin}, Active: true}}

type actorKey struct{}
type requestKey struct{}

// RequestMeta is what the audit log records of the request behind a change.
type RequestMeta struct {
	IP        string
	RequestID string
}

// WithActor returns ctx carrying actor.
func WithActor(ctx context.Context, actor *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor of ctx, nil when none.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// WithRequestMeta returns ctx carrying the request's IP and id for the audit log.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, requestKey{}, m)
}

func requestMeta(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(requestKey{}).(RequestMeta)
	return m
}

// actor returns the caller or an unauthorized error: no use case runs anonymously.
func actor(ctx context.Context) (*Actor, error) {
	a := ActorFrom(ctx)
	if a == nil || a.User == nil || !a.User.Active {
		return nil, crm.ErrUnauthorized
	}
	return a, nil
}

// writer is actor for calls that change something: a read-only token may not, even for the
// caller's own preferences.
func writer(ctx context.Context) (*Actor, error) {
	act, err := actor(ctx)
	if err == nil && act.ReadOnly {
		return nil, crm.ErrForbidden
	}
	return act, err
}

// userID is the id recorded in created_by/updated_by; nil for the system actor.
func (a *Actor) userID() *int64 {
	if a.User.ID == 0 {
		return nil
	}
	id := a.User.ID
	return &id
}
