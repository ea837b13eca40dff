package app

import (
	"sync"
	"time"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Notice is one live event for a user: a reminder that came (Task set), or a change of the
// bell's count after a dismissal or a done task (Task nil).
type Notice struct {
	Task *crm.Task
	At   time.Time
}

// Notifier fans live notices out to the open pages of each user, inside one process. A slow
// subscriber never blocks the others: its buffer takes a few notices and the rest are
// dropped for it, which loses nothing that matters, since every notice makes the page read
// the current count from the database.
//
// Several instances behind a balancer each have their own notifier: a reminder reaches the
// pages connected to the instance whose worker claimed it (the others see it on their next
// page load or bell refresh). PostgreSQL LISTEN/NOTIFY can carry notices across instances later.
type Notifier struct {
	mu     sync.Mutex
	subs   map[int64]map[*Subscription]struct{}
	closed bool
	wake   chan struct{}
}

// Subscription is one open page's stream of notices. C is closed when the notifier shuts down.
type Subscription struct {
	C      <-chan Notice
	ch     chan Notice
	userID int64
	n      *Notifier
	once   sync.Once
}

// subscriberBuffer is how many notices a subscriber may lag behind before some are dropped.
const subscriberBuffer = 16

func newNotifier() *Notifier {
	return &Notifier{subs: map[int64]map[*Subscription]struct{}{}, wake: make(chan struct{}, 1)}
}

// Notifier returns the app's notifier.
func (a *App) Notifier() *Notifier { return a.notifier }

// Subscribe opens a stream of the notices of one user. Close it when the page goes away.
func (n *Notifier) Subscribe(userID int64) *Subscription {
	ch := make(chan Notice, subscriberBuffer)
	s := &Subscription{C: ch, ch: ch, userID: userID, n: n}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		close(ch)
		s.once.Do(func() {})
		return s
	}
	if n.subs[userID] == nil {
		n.subs[userID] = map[*Subscription]struct{}{}
	}
	n.subs[userID][s] = struct{}{}
	return s
}

// Close ends the subscription; it is safe to call more than once and after the notifier closed.
func (s *Subscription) Close() {
	s.n.mu.Lock()
	defer s.n.mu.Unlock()
	if set := s.n.subs[s.userID]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(s.n.subs, s.userID)
		}
	}
	s.once.Do(func() { close(s.ch) })
}

// Publish hands a notice to every open page of a user without waiting for any of them.
// It reports how many subscribers took it.
func (n *Notifier) Publish(userID int64, notice Notice) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	taken := 0
	for s := range n.subs[userID] {
		select {
		case s.ch <- notice:
			taken++
		default: // this page lags: it will read the count with the next notice it takes
		}
	}
	return taken
}

// Subscribers counts the open streams of a user (tests, metrics).
func (n *Notifier) Subscribers(userID int64) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.subs[userID])
}

// Close ends every stream (server shutdown): pages reconnect to another instance or after
// the restart. Later subscriptions are closed at once.
func (n *Notifier) Close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return
	}
	n.closed = true
	for uid, set := range n.subs {
		for s := range set {
			s.once.Do(func() { close(s.ch) })
		}
		delete(n.subs, uid)
	}
}

// Wake tells the reminder worker that a reminder time was saved, so that one due sooner than
// its next planned look is not late.
func (n *Notifier) Wake() {
	select {
	case n.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// Woken is the channel the reminder worker waits on besides its timer.
func (n *Notifier) Woken() <-chan struct{} { return n.wake }
