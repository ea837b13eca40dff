package app

import (
	"context"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

// UserInput is what an administrator sets on a new user.
type UserInput struct {
	Login           string
	Email           string
	FullName        string
	Password        string
	Locale          string
	TimeZone        string
	Roles           []crm.Role
	Directorates    []int64
	PhoneExt        string
	WeeklyCapacityH int
	Active          bool
}

// CreateUser adds a user (SYS: crm_admin, admin; only admin may grant admin).
func (a *App) CreateUser(ctx context.Context, in UserInput) (*crm.User, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := Can(act, ActCreate, crm.EntityUser, nil); err != nil {
		return nil, err
	}
	if err := mayGrant(act, nil, in.Roles); err != nil {
		return nil, err
	}
	u := &crm.User{Login: in.Login, Email: in.Email, FullName: in.FullName, Locale: in.Locale,
		TimeZone: in.TimeZone, Roles: in.Roles, Directorates: in.Directorates, PhoneExt: in.PhoneExt,
		WeeklyCapacityH: in.WeeklyCapacityH, Active: in.Active}
	u.CreatedBy = act.userID()
	u.Normalise()
	if u.Login == "" {
		u.Login = loginFromEmail(u.Email)
	}
	p := crm.Problems{}
	if err := u.Validate(); err != nil {
		for k, v := range crm.ErrorFields(err) {
			p.Add(k, v)
		}
	}
	if err := crm.ValidatePassword(in.Password); err != nil {
		p.Add("password", crm.ErrorFields(err)["password"])
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if u.PasswordHash, err = HashPassword(in.Password); err != nil {
		return nil, err
	}
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		if err := checkDirectorateRefs(ctx, r, u.Directorates); err != nil {
			return err
		}
		if err := r.CreateUser(ctx, u); err != nil {
			return err
		}
		return a.audit(ctx, r, act, crm.AuditCreate, crm.EntityUser, u.ID, nil, u)
	})
	return u, err
}

// UserPatch is what an administrator may change on a user; Version must be the one read.
type UserPatch struct {
	Version         int64
	Email           *string
	FullName        *string
	Locale          *string
	TimeZone        *string
	Roles           *[]crm.Role
	Directorates    *[]int64
	PhoneExt        *string
	WeeklyCapacityH *int
	Active          *bool
	Password        *string // an administrator's reset
}

// UpdateUser applies an administrator's patch. crm_admin may not touch admins nor grant
// admin; nobody may take away their own admin rights or deactivate themselves.
func (a *App) UpdateUser(ctx context.Context, id int64, pt UserPatch) (*crm.User, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.User
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		u, err := liveUser(ctx, r, id)
		if err != nil {
			return err
		}
		if err := Can(act, ActUpdate, crm.EntityUser, nil); err != nil {
			return err
		}
		if err := mayTouch(act, u); err != nil {
			return err
		}
		if pt.Roles != nil {
			if err := mayGrant(act, u, *pt.Roles); err != nil {
				return err
			}
		}
		before := *u
		setIf(&u.Email, pt.Email)
		setIf(&u.FullName, pt.FullName)
		setIf(&u.Locale, pt.Locale)
		setIf(&u.TimeZone, pt.TimeZone)
		setIf((*[]crm.Role)(&u.Roles), pt.Roles)
		setIf(&u.Directorates, pt.Directorates)
		setIf(&u.PhoneExt, pt.PhoneExt)
		setIf(&u.WeeklyCapacityH, pt.WeeklyCapacityH)
		setIf(&u.Active, pt.Active)
		if u.ID == act.User.ID && (!u.Active || (before.Roles.IsFullAdmin() && !u.Roles.IsFullAdmin())) {
			return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"roles": "err.self_lockout"}}
		}
		u.Normalise()
		if err := u.Validate(); err != nil {
			return err
		}
		if pt.Directorates != nil {
			if err := checkDirectorateRefs(ctx, r, u.Directorates); err != nil {
				return err
			}
		}
		u.Version, u.UpdatedBy = pt.Version, act.userID()
		if err := r.UpdateUser(ctx, u); err != nil {
			return err
		}
		if pt.Password != nil {
			if err := crm.ValidatePassword(*pt.Password); err != nil {
				return err
			}
			hash, err := HashPassword(*pt.Password)
			if err != nil {
				return err
			}
			if err := r.SetPassword(ctx, u.ID, hash); err != nil {
				return err
			}
		}
		out = u
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityUser, id, &before, u)
	})
	return out, err
}

// ProfilePatch is what every user may change on themselves: never roles, directorates or
// anything that widens their rights.
type ProfilePatch struct {
	Version  int64
	FullName *string
	Email    *string
	Locale   *string
	TimeZone *string
}

// UpdateProfile changes the caller's own profile. It needs no CRM role.
func (a *App) UpdateProfile(ctx context.Context, pt ProfilePatch) (*crm.User, error) {
	act, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	var out *crm.User
	err = a.store.InTx(ctx, func(r crm.Repo) error {
		u, err := liveUser(ctx, r, act.User.ID)
		if err != nil {
			return err
		}
		before := *u
		setIf(&u.FullName, pt.FullName)
		setIf(&u.Email, pt.Email)
		setIf(&u.Locale, pt.Locale)
		setIf(&u.TimeZone, pt.TimeZone)
		u.Normalise()
		if err := u.Validate(); err != nil {
			return err
		}
		u.Version, u.UpdatedBy = pt.Version, act.userID()
		if err := r.UpdateUser(ctx, u); err != nil {
			return err
		}
		out = u
		return a.audit(ctx, r, act, crm.AuditUpdate, crm.EntityUser, u.ID, &before, u)
	})
	return out, err
}

// DeleteUser soft-deletes a user; one cannot delete oneself.
func (a *App) DeleteUser(ctx context.Context, id, version int64) error {
	act, err := actor(ctx)
	if err != nil {
		return err
	}
	if id == act.User.ID {
		return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{"id": "err.self_lockout"}}
	}
	return a.softDelete(ctx, crm.EntityUser, id, version, func(ctx context.Context, r crm.Repo, id int64) (any, *Scope, error) {
		u, err := liveUser(ctx, r, id)
		if err != nil {
			return nil, nil, err
		}
		if err := mayTouch(act, u); err != nil {
			return nil, nil, err
		}
		return u, nil, nil
	})
}

// RestoreUser brings a deleted user back; crm_admin may not bring back an admin.
func (a *App) RestoreUser(ctx context.Context, id int64) error {
	return a.restore(ctx, crm.EntityUser, id, func(ctx context.Context, r crm.Repo, act *Actor) error {
		u, err := r.UserByID(ctx, id)
		if err != nil {
			return err
		}
		return mayTouch(act, u)
	})
}

// CanManageUser tells a skin whether to offer editing, deleting or restoring target; the use
// cases check again.
func (a *App) CanManageUser(ctx context.Context, target *crm.User) bool {
	act := ActorFrom(ctx)
	return Can(act, ActUpdate, crm.EntityUser, nil) == nil && mayTouch(act, target) == nil
}

// GrantableRoles lists the roles the caller may give: every role for admin, all but admin for
// crm_admin, none for others.
func (a *App) GrantableRoles(ctx context.Context) []crm.Role {
	act := ActorFrom(ctx)
	if Can(act, ActUpdate, crm.EntityUser, nil) != nil {
		return nil
	}
	var out []crm.Role
	for _, r := range crm.AllRoles {
		if r != crm.RoleAdmin || act.User.Roles.Has(crm.RoleAdmin) {
			out = append(out, r)
		}
	}
	return out
}

// User reads one user. Everyone may read themselves; other users need a CRM role.
func (a *App) User(ctx context.Context, id int64) (*crm.User, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	u, err := a.store.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if id == act.User.ID {
		return u, nil
	}
	return u, canRead(act, crm.EntityUser, u.Meta)
}

// Me reads the caller.
func (a *App) Me(ctx context.Context) (*crm.User, error) {
	act, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return a.store.UserByID(ctx, act.User.ID)
}

// ListUsers reads a page of users.
func (a *App) ListUsers(ctx context.Context, f crm.UserFilter) (crm.Page[crm.User], error) {
	if _, err := readList(ctx, crm.EntityUser, f.Deleted); err != nil {
		return crm.Page[crm.User]{}, err
	}
	f.Page.Clamp()
	return a.store.ListUsers(ctx, f)
}

// CountUsers tells start-up whether the first admin must be made.
func (a *App) CountUsers(ctx context.Context) (int, error) { return a.store.CountUsers(ctx) }

// mayGrant: only admin grants or takes away admin.
func mayGrant(act *Actor, target *crm.User, roles []crm.Role) error {
	if act.User.Roles.Has(crm.RoleAdmin) {
		return nil
	}
	had := target != nil && target.Roles.Has(crm.RoleAdmin)
	if crm.Roles(roles).Has(crm.RoleAdmin) != had {
		return &crm.Error{Code: crm.EForbidden, Message: "err.grant_admin"}
	}
	return nil
}

// mayTouch: crm_admin manages users but not admins.
func mayTouch(act *Actor, target *crm.User) error {
	if target.Roles.Has(crm.RoleAdmin) && !act.User.Roles.Has(crm.RoleAdmin) {
		return &crm.Error{Code: crm.EForbidden, Message: "err.grant_admin"}
	}
	return nil
}

func liveUser(ctx context.Context, r crm.Repo, id int64) (*crm.User, error) {
	return live(r.UserByID(ctx, id))
}

// loginFromEmail derives a login from the local part of an e-mail: characters a login may not
// hold become dots, and a too-short result is padded with the domain's first label, so that
// i@x.ru or a+b@x.ru still get a valid login instead of an error on a field nobody sent.
func loginFromEmail(email string) string {
	local, domain, _ := strings.Cut(email, "@")
	clean := func(s string) string {
		var b strings.Builder
		for _, c := range strings.ToLower(s) {
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
				b.WriteRune(c)
			default:
				b.WriteByte('.')
			}
		}
		return strings.Trim(b.String(), "._-")
	}
	login := clean(local)
	if len(login) < 2 {
		first, _, _ := strings.Cut(domain, ".")
		login = strings.Trim(login+"."+clean(first), ".")
	}
	if len(login) > 64 {
		login = login[:64]
	}
	return login
}
