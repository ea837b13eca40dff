package web

import (
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.2.3:5555"
	r.Header.Set("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
	if got := clientIP(r, false); got != "10.1.2.3" {
		t.Errorf("untrusted proxy: %q", got)
	}
	if got := clientIP(r, true); got != "203.0.113.7" {
		t.Errorf("trusted proxy takes the last hop, got %q", got)
	}
	r.Header.Set("X-Forwarded-For", "not-an-ip")
	if got := clientIP(r, true); got != "10.1.2.3" {
		t.Errorf("garbage hop: %q", got)
	}
}
