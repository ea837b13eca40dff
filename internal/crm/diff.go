package crm

import (
	"encoding/json"
	"reflect"
)

// metaFields are left out of audit diffs: they change on every write and say nothing new.
var metaFields = map[string]bool{
	"id": true, "created_at": true, "created_by": true, "updated_at": true,
	"updated_by": true, "version": true, "deleted_at": true, "deleted_by": true,
}

// Diff compares two records field by field through their JSON form and returns
// field → [old, new] for every field that differs. Either side may be nil (create, purge).
func Diff(before, after any) map[string][2]any {
	b, a := asMap(before), asMap(after)
	out := map[string][2]any{}
	for k, nv := range a {
		if metaFields[k] {
			continue
		}
		if ov, ok := b[k]; !ok || !reflect.DeepEqual(ov, nv) {
			out[k] = [2]any{b[k], nv}
		}
	}
	for k, ov := range b {
		if _, ok := a[k]; !ok && !metaFields[k] {
			out[k] = [2]any{ov, nil}
		}
	}
	return out
}

func asMap(v any) map[string]any {
	m := map[string]any{}
	if v == nil || (reflect.ValueOf(v).Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil()) {
		return m
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return m
	}
	_ = json.Unmarshal(raw, &m)
	return m
}
