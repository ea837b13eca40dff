package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

const userColumns = `u.id, u.login, u.email, u.full_name, u.locale, u.timezone, u.phone_ext,
	u.weekly_capacity_h, u.active, u.password_hash, u.failed_logins, u.locked_until,
	u.created_at, u.created_by, u.updated_at, u.updated_by, u.version, u.deleted_at, u.deleted_by`

func scanUser(rows interface{ Scan(...any) error }, u *crm.User, extra ...any) error {
	var locked, created, updated, deleted dbTime
	var createdBy, updatedBy, deletedBy sql.NullInt64
	dest := []any{&u.ID, &u.Login, &u.Email, &u.FullName, &u.Locale, &u.TimeZone, &u.PhoneExt,
		&u.WeeklyCapacityH, &u.Active, &u.PasswordHash, &u.FailedLogins, &locked,
		&created, &createdBy, &updated, &updatedBy, &u.Version, &deleted, &deletedBy}
	if err := rows.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	u.LockedUntil = locked.ptr()
	u.CreatedAt, u.UpdatedAt, u.DeletedAt = created.T, updated.T, deleted.ptr()
	u.CreatedBy, u.UpdatedBy, u.DeletedBy = nullInt(createdBy), nullInt(updatedBy), nullInt(deletedBy)
	return nil
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	x := v.Int64
	return &x
}

// CountUsers counts users, deleted ones included.
func (r repo) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := r.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// UserByID reads one user with roles and directorates, deleted or not.
func (r repo) UserByID(ctx context.Context, id int64) (*crm.User, error) {
	return r.oneUser(ctx, "u.id = $1", id)
}

// UserByLogin finds a user by login or e-mail, case-insensitively.
func (r repo) UserByLogin(ctx context.Context, loginOrEmail string) (*crm.User, error) {
	v := crm.NormaliseEmail(loginOrEmail)
	return r.oneUser(ctx, "(u.login = $1 OR u.email = $1)", v)
}

func (r repo) oneUser(ctx context.Context, cond string, arg any) (*crm.User, error) {
	u := &crm.User{}
	row := r.r.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u WHERE "+cond, arg)
	if err := scanUser(row, u); err != nil {
		return nil, notFoundOr(err)
	}
	if err := r.loadUserLinks(ctx, []*crm.User{u}); err != nil {
		return nil, err
	}
	return u, nil
}

// loadUserLinks fills roles and ordered directorates of users in two queries.
func (r repo) loadUserLinks(ctx context.Context, users []*crm.User) error {
	if len(users) == 0 {
		return nil
	}
	byID := make(map[int64]*crm.User, len(users))
	ids := make([]int64, len(users))
	for i, u := range users {
		byID[u.ID], ids[i] = u, u.ID
		u.Roles, u.Directorates = crm.Roles{}, []int64{}
	}
	var args []any
	in := inList(&args, ids)
	rows, err := r.r.QueryContext(ctx, "SELECT user_id, role FROM user_roles WHERE user_id IN ("+in+") ORDER BY user_id, role", args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			rows.Close()
			return err
		}
		byID[id].Roles = append(byID[id].Roles, crm.Role(role))
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return err
	}
	rows, err = r.r.QueryContext(ctx, "SELECT user_id, directorate_id FROM user_directorates WHERE user_id IN ("+in+") ORDER BY user_id, position", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, d int64
		if err := rows.Scan(&id, &d); err != nil {
			return err
		}
		byID[id].Directorates = append(byID[id].Directorates, d)
	}
	return rows.Err()
}

var userSorts = map[string]sortField{
	"full_name":  {"u.full_name", sortText},
	"login":      {"u.login", sortText},
	"email":      {"u.email", sortText},
	"created_at": {"u.created_at", sortTime},
	"id":         {"u.id", sortInt},
}

// ListUsers reads a page of users.
func (r repo) ListUsers(ctx context.Context, f crm.UserFilter) (crm.Page[crm.User], error) {
	q := &listQuery{from: "users u", columns: userColumns, sorts: userSorts, deflt: "full_name"}
	if f.Deleted {
		q.filter("u.deleted_at IS NOT NULL")
	} else {
		q.filter("u.deleted_at IS NULL")
	}
	q.search("u", f.Q)
	if f.Role != "" {
		q.filter("EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role = ?)", string(f.Role))
	}
	if f.DirectorateID != 0 {
		q.filter("EXISTS (SELECT 1 FROM user_directorates ud WHERE ud.user_id = u.id AND ud.directorate_id = ?)", f.DirectorateID)
	}
	if f.Active != nil {
		q.filter("u.active = ?", *f.Active)
	}
	var page crm.Page[crm.User]
	var items []*crm.User
	next, total, err := q.run(ctx, r, f.Page, func(rows *sql.Rows, sv ...any) (int64, error) {
		u := &crm.User{}
		err := scanUser(rows, u, sv...)
		items = append(items, u)
		return u.ID, err
	})
	if err != nil {
		return page, err
	}
	if err := r.loadUserLinks(ctx, items); err != nil {
		return page, err
	}
	page.Items = make([]crm.User, len(items))
	for i, u := range items {
		page.Items[i] = *u
	}
	page.Next, page.Total = next, total
	return page, nil
}

// CreateUser inserts a user with roles and directorates; it fills ID and the meta fields.
func (r repo) CreateUser(ctx context.Context, u *crm.User) error {
	now := nowUTC()
	u.CreatedAt, u.UpdatedAt, u.Version = now, now, 1
	u.UpdatedBy = u.CreatedBy
	err := r.w.QueryRowContext(ctx, `INSERT INTO users (login, email, full_name, locale, timezone,
		phone_ext, weekly_capacity_h, active, password_hash, search, created_at, created_by, updated_at, updated_by, version)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$12,1) RETURNING id`,
		u.Login, u.Email, u.FullName, u.Locale, u.TimeZone, u.PhoneExt, u.WeeklyCapacityH, u.Active,
		u.PasswordHash, userSearch(u), r.d.time(now), nullID(u.CreatedBy), r.d.time(now)).Scan(&u.ID)
	if err != nil {
		return r.writeErr(err)
	}
	return r.writeUserLinks(ctx, u)
}

func userSearch(u *crm.User) string { return searchText(u.Login, u.Email, u.FullName) }

func (r repo) writeUserLinks(ctx context.Context, u *crm.User) error {
	if _, err := r.w.ExecContext(ctx, "DELETE FROM user_roles WHERE user_id = $1", u.ID); err != nil {
		return err
	}
	for _, role := range u.Roles {
		if _, err := r.w.ExecContext(ctx, "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)", u.ID, string(role)); err != nil {
			return err
		}
	}
	if _, err := r.w.ExecContext(ctx, "DELETE FROM user_directorates WHERE user_id = $1", u.ID); err != nil {
		return err
	}
	for i, d := range u.Directorates {
		if _, err := r.w.ExecContext(ctx, "INSERT INTO user_directorates (user_id, directorate_id, position) VALUES ($1, $2, $3)", u.ID, d, i+1); err != nil {
			return err
		}
	}
	return nil
}

// UpdateUser writes a user if u.Version is current, then bumps it.
func (r repo) UpdateUser(ctx context.Context, u *crm.User) error {
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, `UPDATE users SET email=$1, full_name=$2, locale=$3, timezone=$4,
		phone_ext=$5, weekly_capacity_h=$6, active=$7, search=$8, updated_at=$9, updated_by=$10, version=version+1
		WHERE id=$11 AND version=$12 AND deleted_at IS NULL`,
		u.Email, u.FullName, u.Locale, u.TimeZone, u.PhoneExt, u.WeeklyCapacityH, u.Active,
		userSearch(u), r.d.time(now), nullID(u.UpdatedBy), u.ID, u.Version)
	if err != nil {
		return r.writeErr(err)
	}
	if err := r.checkVersion(ctx, res, "users", u.ID); err != nil {
		return err
	}
	u.Version++
	u.UpdatedAt = now
	return r.writeUserLinks(ctx, u)
}

// SetPassword stores a new hash and moves the auth epoch on, which ends every session made
// under the old password.
func (r repo) SetPassword(ctx context.Context, userID int64, hash string) error {
	res, err := r.w.ExecContext(ctx, "UPDATE users SET password_hash=$1, auth_epoch=auth_epoch+1, failed_logins=0, locked_until=NULL WHERE id=$2", hash, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.ErrNotFound
	}
	return nil
}

// AddLoginFailure counts a failed login and locks the account at the threshold, atomically.
func (r repo) AddLoginFailure(ctx context.Context, userID int64, lockAfter int, lockUntil time.Time) error {
	_, err := r.w.ExecContext(ctx, `UPDATE users SET
		locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END,
		failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END
		WHERE id = $3`, lockAfter, r.d.time(lockUntil), userID)
	return err
}

// ResetLoginFailures clears the count and any lockout after a successful login.
func (r repo) ResetLoginFailures(ctx context.Context, userID int64) error {
	_, err := r.w.ExecContext(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1", userID)
	return err
}

// AuthEpoch reads the user's password epoch.
func (r repo) AuthEpoch(ctx context.Context, userID int64) (int64, error) {
	var e int64
	err := r.r.QueryRowContext(ctx, "SELECT auth_epoch FROM users WHERE id = $1", userID).Scan(&e)
	return e, notFoundOr(err)
}

// softTables allow-lists the tables soft delete and restore may touch.
var softTables = map[string]string{
	crm.EntityUser:        "users",
	crm.EntityDirectorate: "directorates",
	crm.EntityProduct:     "products",
	crm.EntityProject:     "projects",
	crm.EntityChoice:      "choice_values",
	crm.EntityCustomField: "custom_fields",
	crm.EntityTopic:       "topics",
	crm.EntityCompany:     "companies",
	crm.EntityContact:     "contacts",
	crm.EntityDeal:        "deals",
	crm.EntityContract:    "contracts",
	crm.EntityTask:        "tasks",
	crm.EntityAttachment:  "attachments",
	crm.EntityNote:        "notes",
}

// SoftDelete marks a live record deleted if version matches.
func (r repo) SoftDelete(ctx context.Context, entity string, id, version, by int64) error {
	table, ok := softTables[entity]
	if !ok {
		return fmt.Errorf("store: no soft delete for %q", entity)
	}
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, "UPDATE "+table+" SET deleted_at=$1, deleted_by=$2, updated_at=$1, version=version+1 WHERE id=$3 AND version=$4 AND deleted_at IS NULL",
		r.d.time(now), nullID(&by), id, version)
	if err != nil {
		return err
	}
	return r.checkVersion(ctx, res, table, id)
}

// Restore brings a soft-deleted record back.
func (r repo) Restore(ctx context.Context, entity string, id, by int64) error {
	table, ok := softTables[entity]
	if !ok {
		return fmt.Errorf("store: no restore for %q", entity)
	}
	now := nowUTC()
	res, err := r.w.ExecContext(ctx, "UPDATE "+table+" SET deleted_at=NULL, deleted_by=NULL, updated_at=$1, updated_by=$2, version=version+1 WHERE id=$3 AND deleted_at IS NOT NULL",
		r.d.time(now), nullID(&by), id)
	if err != nil {
		return r.writeErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.ErrNotFound
	}
	return nil
}
