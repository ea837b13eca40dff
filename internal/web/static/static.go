// Package static embeds the files the browser loads: vendored libraries (see
// scripts/vendor.sh), Ladder's own CSS and JavaScript.
package static

import "embed"

// FS holds vendor/, css/ and js/.
//
//go:embed vendor css js
var FS embed.FS
