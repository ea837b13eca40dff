// Package crm holds Ladder's domain: record types, validation and rules. It uses the standard
// library only and knows nothing of SQL or HTTP.
package crm

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. The API and the UI map each to one HTTP status in one table.
const (
	ENotFound     = "not_found"
	EConflict     = "conflict"     // stale version, duplicate key
	EInvalid      = "invalid"      // validation failed; Fields says where
	EUnauthorized = "unauthorized" // no or bad credentials
	EForbidden    = "forbidden"    // authenticated, but not allowed
	ETooMany      = "too_many"     // rate limit
	EInternal     = "internal"
)

// Error is a domain error: a code, a message key for the catalogue and per-field problems.
// Messages are catalogue keys (e.g. "err.name_required") so that both skins can translate them.
type Error struct {
	Code    string
	Message string            // catalogue key or plain English for internal errors
	Fields  map[string]string // field name → catalogue key
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Code + ": " + e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+e.Fields[k])
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, ", "))
}

// Errorf makes an Error with a code and a message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal for errors that are not domain errors.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of a domain error, or a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "err.internal"
}

// ErrorFields returns the per-field problems of a domain error, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors during validation.
type Problems map[string]string

// Add records a problem with a field unless one is already recorded for it.
func (p Problems) Add(field, key string) {
	if _, ok := p[field]; !ok {
		p[field] = key
	}
}

// Err returns nil when there are no problems, else an EInvalid error.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "err.validation", Fields: map[string]string(p)}
}

// Common errors.
var (
	ErrNotFound     = &Error{Code: ENotFound, Message: "err.not_found"}
	ErrStale        = &Error{Code: EConflict, Message: "err.stale_version"}
	ErrForbidden    = &Error{Code: EForbidden, Message: "err.forbidden"}
	ErrUnauthorized = &Error{Code: EUnauthorized, Message: "err.unauthorized"}
)
