package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// The role enums in the struct tags below spell out crm.AllRoles (tags must be literals);
// TestRoleEnumsMatchTheDomain keeps them equal.

// User is a person who logs in to Ladder.
type User struct {
	Meta
	Login           string   `json:"login" doc:"Login name." example:"ivanova"`
	Email           string   `json:"email" format:"email" doc:"E-mail address." example:"ivanova@example.ru"`
	FullName        string   `json:"full_name" doc:"Full name." example:"Анна Иванова"`
	Locale          string   `json:"locale" enum:"ru,en" doc:"Interface language."`
	TimeZone        string   `json:"timezone" doc:"IANA time zone." example:"Europe/Moscow"`
	Roles           []string `json:"roles" enum:"crm_sales,crm_manager,crm_marketeer,crm_pam,crm_presale,crm_certificate_manager,crm_read_admin,crm_admin,admin" uniqueItems:"true" doc:"Roles; their rights add up. No role: no access beyond the own profile."`
	Directorates    []int64  `json:"directorates" doc:"Sales directorate ids in order; the first is the default for new records."`
	PhoneExt        string   `json:"phone_ext" doc:"Telephone extension."`
	WeeklyCapacityH int      `json:"weekly_capacity_h" doc:"Working hours per week."`
	Active          bool     `json:"active" doc:"Inactive users cannot log in."`
}

func userOf(u *crm.User) User {
	roles := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, string(r))
	}
	dirs := u.Directorates
	if dirs == nil {
		dirs = []int64{}
	}
	return User{Meta: metaOf(u.Meta), Login: u.Login, Email: u.Email, FullName: u.FullName,
		Locale: u.Locale, TimeZone: u.TimeZone, Roles: roles, Directorates: dirs,
		PhoneExt: u.PhoneExt, WeeklyCapacityH: u.WeeklyCapacityH, Active: u.Active}
}

// UserCreate is what an administrator sends to add a user.
type UserCreate struct {
	Login           string   `json:"login,omitempty" maxLength:"64" doc:"Login name; taken from the e-mail address when left out."`
	Email           string   `json:"email" maxLength:"320" doc:"E-mail address."`
	FullName        string   `json:"full_name" maxLength:"200" doc:"Full name."`
	Password        string   `json:"password" maxLength:"256" writeOnly:"true" doc:"Initial password, at least 10 characters."`
	Locale          string   `json:"locale,omitempty" enum:"ru,en" doc:"Interface language (default ru)."`
	TimeZone        string   `json:"timezone,omitempty" maxLength:"64" doc:"IANA time zone (default Europe/Moscow)."`
	Roles           []string `json:"roles,omitempty" enum:"crm_sales,crm_manager,crm_marketeer,crm_pam,crm_presale,crm_certificate_manager,crm_read_admin,crm_admin,admin" uniqueItems:"true" doc:"Roles. Only admin may grant admin."`
	Directorates    []int64  `json:"directorates,omitempty" doc:"Sales directorate ids; the first is the default."`
	PhoneExt        string   `json:"phone_ext,omitempty" maxLength:"32" doc:"Telephone extension."`
	WeeklyCapacityH int      `json:"weekly_capacity_h,omitempty" minimum:"0" maximum:"168" doc:"Working hours per week (default 40)."`
	Active          *bool    `json:"active,omitempty" doc:"Whether the user may log in (default true)."`
}

// UserPatch changes some fields of a user; fields left out stay as they are.
type UserPatch struct {
	Version         int64     `json:"version" minimum:"1" doc:"The version last read."`
	Email           *string   `json:"email,omitempty" maxLength:"320" doc:"E-mail address."`
	FullName        *string   `json:"full_name,omitempty" maxLength:"200" doc:"Full name."`
	Locale          *string   `json:"locale,omitempty" enum:"ru,en" doc:"Interface language."`
	TimeZone        *string   `json:"timezone,omitempty" maxLength:"64" doc:"IANA time zone."`
	Roles           *[]string `json:"roles,omitempty" enum:"crm_sales,crm_manager,crm_marketeer,crm_pam,crm_presale,crm_certificate_manager,crm_read_admin,crm_admin,admin" uniqueItems:"true" doc:"The complete new set of roles. Only admin may grant or take away admin."`
	Directorates    *[]int64  `json:"directorates,omitempty" doc:"The complete new ordered list of sales directorate ids."`
	PhoneExt        *string   `json:"phone_ext,omitempty" maxLength:"32" doc:"Telephone extension."`
	WeeklyCapacityH *int      `json:"weekly_capacity_h,omitempty" minimum:"0" maximum:"168" doc:"Working hours per week."`
	Active          *bool     `json:"active,omitempty" doc:"Whether the user may log in."`
	Password        *string   `json:"password,omitempty" maxLength:"256" writeOnly:"true" doc:"A new password set by the administrator."`
}

func rolesOf(names []string) []crm.Role {
	out := make([]crm.Role, 0, len(names))
	for _, n := range names {
		out = append(out, crm.Role(n))
	}
	return out
}

type listUsersInput struct {
	ListParams
	Sort          string `query:"sort" enum:"full_name,-full_name,login,-login,email,-email,created_at,-created_at,id,-id" doc:"Sort field; a leading minus sorts descending. Default: full_name."`
	Q             string `query:"q" maxLength:"200" doc:"Search in login, e-mail and name (case-insensitive, Russian and English)."`
	Role          string `query:"role" enum:"crm_sales,crm_manager,crm_marketeer,crm_pam,crm_presale,crm_certificate_manager,crm_read_admin,crm_admin,admin" doc:"Only users holding this role."`
	DirectorateID int64  `query:"directorate_id" minimum:"0" doc:"Only users of this sales directorate."`
	Active        string `query:"active" enum:"true,false" doc:"Only active (true) or inactive (false) users."`
	Deleted       bool   `query:"deleted" doc:"List the trash instead (crm_admin, admin)."`
}

type userBody struct {
	Body UserCreate
}

type patchUserInput struct {
	IDParam
	Body UserPatch
}

func (h *handlers) registerUsers(api huma.API) {
	const tag, path = "Users", "/users"
	huma.Register(api, op("listUsers", http.MethodGet, path, tag, "List users",
		"A page of users. Readable by every CRM role."),
		func(ctx context.Context, in *listUsersInput) (*pageOutput[User], error) {
			pr, err := in.pageRequest(in.Sort)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			p, err := h.app.ListUsers(ctx, crm.UserFilter{Q: in.Q, Role: crm.Role(in.Role), DirectorateID: in.DirectorateID,
				Active: triState(in.Active), Deleted: in.Deleted, Page: pr})
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return &pageOutput[User]{Body: pageOf(p, userOf)}, nil
		})

	huma.Register(api, op("createUser", http.MethodPost, path, tag, "Create a user",
		"Adds a user (crm_admin, admin). Only admin may grant the admin role.", http.StatusConflict),
		func(ctx context.Context, in *userBody) (*createdOutput[User], error) {
			b := in.Body
			active := b.Active == nil || *b.Active
			u, err := h.app.CreateUser(ctx, app.UserInput{Login: b.Login, Email: b.Email, FullName: b.FullName,
				Password: b.Password, Locale: b.Locale, TimeZone: b.TimeZone, Roles: rolesOf(b.Roles),
				Directorates: b.Directorates, PhoneExt: b.PhoneExt, WeeklyCapacityH: b.WeeklyCapacityH, Active: active})
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return created(prefix+path, u.ID, userOf(u)), nil
		})

	huma.Register(api, op("getUser", http.MethodGet, path+"/{id}", tag, "Get a user",
		"One user. Everyone may read themselves; other users need a CRM role.", http.StatusNotFound),
		func(ctx context.Context, in *IDParam) (*bodyOutput[User], error) {
			u, err := h.app.User(ctx, in.ID)
			if err != nil {
				return nil, fail(ctx, err, nil)
			}
			return ok(userOf(u)), nil
		})

	huma.Register(api, op("updateUser", http.MethodPatch, path+"/{id}", tag, "Change a user",
		"Changes the fields sent (crm_admin, admin). crm_admin cannot change administrators nor grant admin; nobody can deactivate or demote themselves.",
		http.StatusNotFound, http.StatusConflict),
		func(ctx context.Context, in *patchUserInput) (*bodyOutput[User], error) {
			b := in.Body
			pt := app.UserPatch{Version: b.Version, Email: b.Email, FullName: b.FullName, Locale: b.Locale,
				TimeZone: b.TimeZone, Directorates: b.Directorates, PhoneExt: b.PhoneExt,
				WeeklyCapacityH: b.WeeklyCapacityH, Active: b.Active, Password: b.Password}
			if b.Roles != nil {
				roles := rolesOf(*b.Roles)
				pt.Roles = &roles
			}
			u, err := h.app.UpdateUser(ctx, in.ID, pt)
			if err != nil {
				return nil, fail(ctx, err, b)
			}
			return ok(userOf(u)), nil
		})

	huma.Register(api, op("deleteUser", http.MethodDelete, path+"/{id}", tag, "Delete a user",
		"Moves a user to the trash (crm_admin, admin); they can no longer log in. Nobody can delete themselves.",
		http.StatusNotFound, http.StatusConflict),
		deleteHandler(h.app.DeleteUser))

	restore := op("restoreUser", http.MethodPost, path+"/{id}/restore", tag, "Restore a user",
		"Brings a deleted user back from the trash (crm_admin, admin).", http.StatusNotFound)
	restore.DefaultStatus = http.StatusOK
	huma.Register(api, restore, func(ctx context.Context, in *IDParam) (*bodyOutput[User], error) {
		return restored(ctx, in.ID, h.app.RestoreUser, h.app.User, userOf)
	})
}
