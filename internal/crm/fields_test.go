package crm

import (
	"errors"
	"fmt"
	"maps"
	"testing"
)

func TestRenameField(t *testing.T) {
	orig := &Error{Code: EInvalid, Message: "err.validation", Fields: map[string]string{"price_minor": "err.range", "name": "err.required"}}
	before := maps.Clone(orig.Fields)

	got := RenameField(orig, "price_minor", "price")
	want := map[string]string{"price": "err.range", "name": "err.required"}
	if !maps.Equal(ErrorFields(got), want) || ErrorCode(got) != EInvalid || ErrorMessage(got) != "err.validation" {
		t.Fatalf("renamed: %v", got)
	}
	if !maps.Equal(orig.Fields, before) {
		t.Fatalf("the original error changed: %v", orig.Fields)
	}
	if got == error(orig) {
		t.Fatal("the original error came back instead of a copy")
	}

	// A wrapped domain error is found too.
	wrapped := fmt.Errorf("saving: %w", orig)
	if f := ErrorFields(RenameField(wrapped, "name", "title")); f["title"] != "err.required" || f["name"] != "" {
		t.Fatalf("wrapped: %v", f)
	}
	if orig.Fields["name"] != "err.required" {
		t.Fatalf("the wrapped original changed: %v", orig.Fields)
	}

	// Errors without the field, without fields, or not domain errors at all are unchanged.
	plain := errors.New("disk full")
	for _, err := range []error{nil, plain, ErrNotFound, orig} {
		if got := RenameField(err, "missing", "other"); got != err {
			t.Errorf("%v: got %v, want it unchanged", err, got)
		}
	}
}
