package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/demo"
	"github.com/ladder-crm/ladder/internal/jobs"
	"github.com/ladder-crm/ladder/internal/web"
	"github.com/ladder-crm/ladder/internal/web/ui"
)

func runServe(env *Env, args []string) error {
	started := time.Now()
	fs, d := newFlagSet(env, "serve", "[--addr 127.0.0.1:8080] [--data-dir DIR] [--db-url URL] [--demo]")
	addr := fs.String("addr", envOr(env, "LADDER_ADDR", "127.0.0.1:8080"), "address to listen on")
	withDemo := fs.Bool("demo", false, "fill an empty database with demo data and show the demo logins on the login page")
	adminEmail := fs.String("admin-email", "admin@localhost", "e-mail of the first admin, made when the database has no users")
	adminPassword := fs.String("admin-password", env.Getenv("LADDER_ADMIN_PASSWORD"), "password of the first admin (default: generated and printed once)")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	secure := fs.String("secure-cookies", "auto", "Secure flag on cookies: auto (off only on a loopback address), on, off")
	trustProxy := fs.Bool("trust-proxy", false, "take the client IP from X-Forwarded-For (behind a reverse proxy)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	log, err := newLogger(env, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	secureCookies, err := cookieMode(*secure, *addr)
	if err != nil {
		return err
	}
	ctx := env.Ctx
	db, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, log)
	first, err := a.EnsureAdmin(ctx, *adminEmail, *adminPassword)
	if err != nil {
		return fmt.Errorf("first admin: %s", describe(err))
	}
	var demoUsers []ui.DemoUser
	if *withDemo {
		if _, err := demo.Fill(ctx, a, "small"); err != nil {
			return fmt.Errorf("demo data: %s", describe(err))
		}
		// Only accounts that really log in with the demo password are shown: on a database
		// that was not made by demo the login page must not advertise a password.
		accounts, err := demo.LiveAccounts(ctx, a)
		if err != nil {
			return fmt.Errorf("demo data: %s", describe(err))
		}
		for _, acc := range accounts {
			demoUsers = append(demoUsers, ui.DemoUser{Login: acc.Login, Password: demo.Password, Role: string(acc.Role)})
		}
	}
	srv := web.NewServer(a, db.Sessions(), web.Options{Log: log, SecureCookies: secureCookies, Demo: *withDemo,
		DemoUsers: demoUsers, Version: Version, TrustProxy: *trustProxy})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(env.Stdout, "Ladder %s is running at %s (database: %s, %s)\n", Version, url, db.Where, db.Dialect())
	if first != nil {
		fmt.Fprintf(env.Stdout, "First start: created the administrator. Login: %s  E-mail: %s\n", first.User.Login, first.User.Email)
		if first.Generated {
			fmt.Fprintf(env.Stdout, "Password (shown once, change it after logging in): %s\n", first.Password)
		}
	}
	if len(demoUsers) > 0 {
		fmt.Fprintf(env.Stdout, "Demo logins (password %q): ", demo.Password)
		for i, acc := range demoUsers {
			if i > 0 {
				fmt.Fprint(env.Stdout, ", ")
			}
			fmt.Fprintf(env.Stdout, "%s (%s)", acc.Login, acc.Role)
		}
		fmt.Fprintln(env.Stdout)
	}
	log.Info("listening", "url", url, "startup_ms", time.Since(started).Milliseconds())
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	go purgeSessions(ctx, db.Sessions(), log)
	// Open event streams (the reminder bell) end when the server shuts down, or Shutdown would
	// wait for them until its timeout.
	hs.RegisterOnShutdown(a.Notifier().Close)
	jctx, stopJobs := context.WithCancel(ctx)
	waitJobs := jobs.Start(jctx, a, log)
	defer func() { stopJobs(); waitJobs() }()

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful shutdown: stop accepting, let in-flight requests finish.
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func newLogger(env *Env, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(env.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(env.Stderr, opts)), nil
	}
	return nil, usagef("--log-format %q: use text or json", format)
}

// cookieMode decides the Secure flag: browsers drop Secure cookies over plain http, so it is
// off only where plain http is expected — a loopback address (development, demo).
func cookieMode(mode, addr string) (bool, error) {
	switch mode {
	case "on":
		return true, nil
	case "off":
		return false, nil
	case "auto":
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return false, usagef("--addr %q: %v", addr, err)
		}
		ip := net.ParseIP(host)
		return !(host == "localhost" || (ip != nil && ip.IsLoopback())), nil
	}
	return false, usagef("--secure-cookies %q: use auto, on or off", mode)
}

type sessionPurger interface {
	PurgeExpired(ctx context.Context) (int64, error)
}

func purgeSessions(ctx context.Context, s sessionPurger, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.PurgeExpired(ctx); err != nil {
				log.Warn("purge sessions", "err", err)
			} else if n > 0 {
				log.Info("purged expired sessions", "count", n)
			}
		}
	}
}
