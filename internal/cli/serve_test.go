package cli

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCommandLine(t *testing.T) {
	if code, out, _ := run(t, "version"); code != 0 || !strings.HasPrefix(out, "ladder ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, _ := run(t, "nonsense"); code != exitUsage {
		t.Fatalf("unknown command: %d", code)
	}
	for _, cmd := range []string{"serve", "migrate", "demo", "version"} {
		if code, _, errs := run(t, cmd, "--help"); code != 0 || !strings.Contains(errs, "Usage: ladder "+cmd) {
			t.Errorf("%s --help: %d %q", cmd, code, errs)
		}
	}
	if code, _, errs := run(t, "serve", "--log-format", "xml"); code != exitUsage || !strings.Contains(errs, "text or json") {
		t.Fatalf("bad flag value: %d %q", code, errs)
	}
	if code, _, errs := run(t, "demo", "extra"); code != exitUsage || !strings.Contains(errs, "unexpected argument") {
		t.Fatalf("stray argument: %d %q", code, errs)
	}
}

func TestUserTokenDemoMigrate(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := run(t, "migrate", "--data-dir", dir); code != 0 || !strings.Contains(out, "applied") {
		t.Fatalf("migrate: %d %q %q", code, out, errs)
	}
	if code, out, _ := run(t, "migrate", "status", "--data-dir", dir); code != 0 || !strings.Contains(out, "applied") {
		t.Fatalf("migrate status: %d %q", code, out)
	}
	if code, out, errs := run(t, "demo", "--data-dir", dir); code != 0 || !strings.Contains(out, "8 users") {
		t.Fatalf("demo: %d %q %q", code, out, errs)
	}
	if code, out, _ := run(t, "demo", "--data-dir", dir); code != 0 || !strings.Contains(out, "nothing added") {
		t.Fatalf("demo twice: %d %q", code, out)
	}
	code, _, errs := run(t, "user", "create", "--data-dir", dir, "--email", "new@example.ru", "--name", "Новиков",
		"--password", "long-password", "--role", "crm_sales,crm_pam", "--directorate", "Дирекция по работе с партнёрами")
	if code != 0 {
		t.Fatalf("user create: %s", errs)
	}
	code, _, errs = run(t, "user", "create", "--data-dir", dir, "--email", "bad@example.ru", "--name", "X",
		"--password", "long-password", "--role", "crm_god")
	if code != exitUsage || !strings.Contains(errs, "unknown role") {
		t.Fatalf("bad role: %d %q", code, errs)
	}
	code, _, errs = run(t, "user", "create", "--data-dir", dir, "--email", "new@example.ru", "--name", "Дубль", "--password", "long-password")
	if code != exitError || !strings.Contains(errs, "already exists") {
		t.Fatalf("duplicate e-mail: %d %q", code, errs)
	}
	code, out, _ := run(t, "token", "create", "--data-dir", dir, "--user", "new@example.ru", "--read-only")
	if code != 0 || !strings.HasPrefix(out, "ldr_") {
		t.Fatalf("token: %d %q", code, out)
	}
	if code, _, errs := run(t, "token", "create", "--data-dir", dir, "--user", "ghost"); code != exitError || !strings.Contains(errs, "not found") {
		t.Fatalf("token for unknown user: %d %q", code, errs)
	}
}

// TestServeFirstStartAndGracefulShutdown starts serve on an empty database: it prints the URL
// and a generated admin password once; SIGTERM lets a request that is still being received
// finish before the process exits 0.
func TestServeFirstStartAndGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, "--data-dir", dir)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(srv.out.String(), "Password (shown once") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(srv.out.String(), "Password (shown once") {
		t.Fatalf("no admin password printed:\n%s", srv.out.String())
	}
	token := adminToken(t, dir)

	// A request whose body arrives slowly is in flight when SIGTERM comes.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/directorates", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	done := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("in-flight request failed: %v", err)
		}
		done <- res
	}()
	fmt.Fprint(pw, `{"name": "Дирекция `)
	time.Sleep(300 * time.Millisecond)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	fmt.Fprint(pw, `на завершении", "active": true}`)
	pw.Close()
	res := <-done
	if res == nil {
		t.Fatal("no response")
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("in-flight request: %d %s", res.StatusCode, body)
	}
	if err := srv.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, srv.out.String())
	}
	if !strings.Contains(srv.out.String(), "stopped") {
		t.Fatalf("no clean stop logged:\n%s", srv.out.String())
	}
}
