package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's first recommended set (19 MiB, 2 passes, 1 lane). It is as strong
// as the 64 MiB/1-pass set against GPU cracking and keeps a burst of logins from costing a
// server hundreds of megabytes.
var (
	argonTime    uint32 = 2
	argonMemory  uint32 = 19 * 1024
	argonThreads uint8  = 1
)

const argonKeyLen = 32

// SetPasswordCostForTests makes new hashes cheap (1 MiB, 1 pass): tests create many users and run
// under the race detector. Verification reads the cost from each hash, so it keeps working.
// It is safe to call from parallel tests: the change happens once.
func SetPasswordCostForTests() { cheapHashing() }

var cheapHashing = sync.OnceFunc(func() { argonMemory, argonTime = 1024, 1 })

// hashing bounds the argon2id computations running at once: each takes 19 MiB, and a burst of
// logins must not be able to exhaust memory.
var hashing = make(chan struct{}, max(2, runtime.NumCPU()))

func argonKey(pw, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey(pw, salt, t, m, p, n)
}

// HashPassword returns a PHC-format argon2id hash with a random salt.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argonKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword compares pw with a hash made by HashPassword, in constant time.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var mem uint32
	var iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	if mem > 256*1024 || iters > 16 || threads == 0 || len(want) > 64 {
		return false // a hash we did not make; refuse rather than spend unbounded memory on it
	}
	got := argonKey([]byte(pw), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a login names no user, so that a wrong login costs as
// much time as a wrong password and does not reveal which logins exist. It is made on first
// use: an argon2id hash takes 19 MiB, which start-up need not pay.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("ladder-dummy-password")
	return h
})
