package ui

import (
	"strconv"
	"testing"
)

// spend fails logins from ip until the limiter refuses; it returns how many it let through.
func spend(t *testing.T, l *loginLimiter, ip string) int {
	t.Helper()
	for n := 0; n < 100; n++ {
		done, ok := l.begin(ip)
		if !ok {
			return n
		}
		done(true)
	}
	t.Fatalf("%s: the budget never ran out", ip)
	return 0
}

func allowed(l *loginLimiter, ip string) bool {
	done, ok := l.begin(ip)
	if ok {
		done(false) // a success costs nothing
	}
	return ok
}

func TestLoginLimiterForgetsTheLeastRecentlySeenClient(t *testing.T) {
	l := newLoginLimiter()
	l.max = 3
	if n := spend(t, l, "198.51.100.7"); n != 5 {
		t.Fatalf("burst of %d failed attempts, want 5", n)
	}
	allowed(l, "192.0.2.1")
	allowed(l, "192.0.2.2")
	if allowed(l, "198.51.100.7") { // seen again: now the most recent
		t.Fatal("spent budget allowed")
	}
	// New clients push out the least recently seen ones, never the guesser who keeps trying.
	for i := range 20 {
		allowed(l, "203.0.113."+strconv.Itoa(i))
		if allowed(l, "198.51.100.7") {
			t.Fatalf("after %d new clients the spent budget is back", i+1)
		}
	}
	if got := l.recent.Len(); got != 3 || len(l.byKey) != 3 {
		t.Fatalf("%d clients in the list, %d in the map; want 3", got, len(l.byKey))
	}
	if _, kept := l.byKey["192.0.2.1"]; kept {
		t.Fatal("the least recently seen client is still there")
	}
}

func TestLoginLimiterCountsAnIPv6Slash64AsOneClient(t *testing.T) {
	l := newLoginLimiter()
	spend(t, l, "2001:db8:1:2::1")
	for _, ip := range []string{"2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::1%eth0"} {
		if allowed(l, ip) {
			t.Errorf("%s has a budget of its own inside a spent /64", ip)
		}
	}
	if !allowed(l, "2001:db8:1:3::1") {
		t.Error("the next /64 is refused")
	}

	// IPv4 counts per address, whether written plain or IPv4-mapped.
	spend(t, l, "192.0.2.10")
	if allowed(l, "::ffff:192.0.2.10") {
		t.Error("an IPv4-mapped address escapes its IPv4 budget")
	}
	if !allowed(l, "192.0.2.11") {
		t.Error("the neighbouring IPv4 address is refused")
	}

	for ip, want := range map[string]string{
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"::ffff:10.0.0.1":      "10.0.0.1",
		"10.0.0.1":             "10.0.0.1",
		"not an ip":            "not an ip",
	} {
		if got := clientKey(ip); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", ip, got, want)
		}
	}
}
