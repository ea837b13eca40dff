package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
)

// sseHeartbeat keeps idle streams alive through proxies and finds clients that went away.
const sseHeartbeat = 25 * time.Second

// events is the page's live channel (server-sent events): when a reminder comes, or the
// bell's count changes, it pushes the redrawn bell ("bell") and, for a reminder, a toast
// ("toast"). It ends when the client goes away or the notifier closes (server shutdown).
func (u *UI) events(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	act := app.ActorFrom(ctx)
	if act == nil || act.User == nil || !act.User.Roles.IsCRMUser() {
		u.fail(w, r, crm.ErrForbidden)
		return
	}
	rc := http.NewResponseController(w)
	// The server's write timeout is for ordinary responses; a stream lives as long as its page.
	_ = rc.SetWriteDeadline(time.Time{})
	sub := u.app.Notifier().Subscribe(act.User.ID)
	defer sub.Close()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events on at once
	w.WriteHeader(http.StatusOK)
	// A reconnecting browser waits 5 s, not its default 3 s, after a dropped stream.
	if _, err := fmt.Fprint(w, "retry: 5000\n\n"); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	lang := u.lang(r)
	beat := time.NewTicker(sseHeartbeat)
	defer beat.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case n, open := <-sub.C:
			if !open {
				return
			}
			err = u.sendNotice(w, r, lang, n)
		case <-beat.C:
			_, err = fmt.Fprint(w, ": ping\n\n")
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return // the client is gone
		}
	}
}

// sendNotice writes the events of one notice: the bell drawn anew, and a toast for a reminder.
func (u *UI) sendNotice(w http.ResponseWriter, r *http.Request, lang string, n app.Notice) error {
	t, err := u.tmpl.lookup(lang, "tasks.html")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "bell_inner", u.bareView(r.Context(), lang)); err != nil {
		u.log.Error("sse bell", "err", err)
		return err
	}
	if err := writeEvent(w, "bell", buf.String()); err != nil {
		return err
	}
	if n.Task != nil {
		text := u.t(r, "bell.toast", "Title", n.Task.Title)
		b, _ := json.Marshal(toast{Level: "info", Text: text})
		return writeEvent(w, "toast", string(b))
	}
	return nil
}

// writeEvent writes one server-sent event; each line of data gets its own "data:" field.
func writeEvent(w http.ResponseWriter, name, data string) error {
	var sb strings.Builder
	sb.WriteString("event: " + name + "\n")
	for _, line := range strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n") {
		sb.WriteString("data: " + line + "\n")
	}
	sb.WriteString("\n")
	_, err := fmt.Fprint(w, sb.String())
	return err
}
