package testenv

import (
	"io"
	"net/http"
	"testing"
)

func TestStartServesHealthAndReadiness(t *testing.T) {
	env := Start(t, Options{})
	for _, path := range []string{"/healthz", "/readyz"} {
		res, err := http.Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(body) != "ok\n" {
			t.Fatalf("%s: %d %q", path, res.StatusCode, body)
		}
	}
	if env.Admin == nil || env.Admin.Login != "admin" {
		t.Fatalf("admin: %+v", env.Admin)
	}
}
