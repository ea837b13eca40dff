package app

import "context"

// RequestIP is the client address the server middleware recorded for ctx ("" when none); the
// UI's login rate limit keys on it so that it honours the same proxy setting as the audit log.
func RequestIP(ctx context.Context) string { return requestMeta(ctx).IP }
