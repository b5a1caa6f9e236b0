package tox

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"parley/net/transport"
	"parley/net/wire"
)

// startClient starts a full client node (DHT, onion, sessions, friends) on
// 127.0.0.1 and subscribes to its events.
func startClient(t *testing.T, name string, boot ...wire.Node) (*Node, *events) {
	t.Helper()
	return startClientWith(t, name, Config{
		Listen:       transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")},
		Bootstrap:    boot,
		LANDiscovery: true,
	})
}

// startClientWith starts a node with cfg (Name and Logf filled in from
// name), subscribes to its events and closes it when the test ends.
func startClientWith(t *testing.T, name string, cfg Config) (*Node, *events) {
	t.Helper()
	cfg.Name = name
	cfg.Logf = func(f string, a ...any) { t.Logf(name+": "+f, a...) }
	n, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ch, cancel := n.Subscribe()
	ev := &events{t: t, name: name, ch: ch}
	t.Cleanup(func() {
		cancel()
		if err := n.Close(); err != nil {
			t.Errorf("close %s: %v", name, err)
		}
	})
	return n, ev
}

// events reads a node's event stream in a test.
type events struct {
	t    testing.TB
	name string
	ch   <-chan Event
	seen []Event
}

// wait returns the first event, among those not yet returned and those to
// come, that matches, or fails the test after timeout.
func (e *events) wait(timeout time.Duration, what string, match func(Event) bool) Event {
	e.t.Helper()
	for i, ev := range e.seen {
		if match(ev) {
			e.seen = append(e.seen[:i:i], e.seen[i+1:]...)
			return ev
		}
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case ev, ok := <-e.ch:
			if !ok {
				e.t.Fatalf("%s: event stream closed while waiting for %s", e.name, what)
			}
			if match(ev) {
				return ev
			}
			e.seen = append(e.seen, ev)
		case <-deadline.C:
			var b strings.Builder
			for _, ev := range e.seen {
				b.WriteString("\n  ")
				b.WriteString(strings.TrimSpace(strings.ReplaceAll(describe(ev), "\n", " ")))
			}
			e.t.Fatalf("%s: no %s within %v; other events:%s", e.name, what, timeout, b.String())
		}
	}
}

// friendEvent matches friend-layer events of type T that pass ok.
func friendEvent[T any](ok func(T) bool) func(Event) bool {
	return func(ev Event) bool {
		fe, isFE := ev.(FriendEvent)
		if !isFE {
			return false
		}
		x, isT := fe.Event.(T)
		return isT && (ok == nil || ok(x))
	}
}
