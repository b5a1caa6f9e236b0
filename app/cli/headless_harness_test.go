package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/tox"
	"parley/net/transport"
	"parley/net/wire"
)

var loopback = netip.MustParseAddr("127.0.0.1")

// loopbackListen makes a headless instance bind a kernel-chosen port on
// 127.0.0.1.
func loopbackListen() *transport.Config {
	return &transport.Config{Ephemeral: true, BindAddr: loopback}
}

// startRelay starts a relay-only Parley node on 127.0.0.1 to bootstrap
// from, and returns its --bootstrap argument.
func startRelay(t *testing.T) (*tox.Node, string) {
	t.Helper()
	n, err := tox.Start(tox.Config{RelayOnly: true, Listen: *loopbackListen(), LANDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("closing the relay: %v", err)
		}
	})
	return n, bootstrapArg(wire.Node{PK: n.DHTPublicKey(), Addr: n.LocalAddr()})
}

func bootstrapArg(n wire.Node) string {
	return fmt.Sprintf("%s:%d:%s", n.Addr.Addr(), n.Addr.Port(), n.PK)
}

// msg is one JSON line from a headless instance.
type msg map[string]any

func (m msg) str(k string) string { s, _ := m[k].(string); return s }
func (m msg) flag(k string) bool  { b, _ := m[k].(bool); return b }
func (m msg) ok() bool            { return m.flag("ok") }

func (m msg) pk(t *testing.T, k string) key.PublicKey {
	t.Helper()
	pk, err := key.ParsePublicKey(m.str(k))
	if err != nil {
		t.Fatalf("%q in %v: %v", k, m, err)
	}
	return pk
}

// hl is a headless instance run in-process with runHeadless on pipes.
type hl struct {
	t     *testing.T
	name  string
	stdin *io.PipeWriter
	errc  chan error // runHeadless's result
	ready msg

	mu      sync.Mutex
	lines   []msg // not yet taken
	raw     []string
	closed  bool // stdout ended
	changed chan struct{}
	nextID  int
	exited  bool
	exitErr error
}

// startHL starts an instance and waits for its ready line. It stops in
// t.Cleanup (stdin EOF) unless the test stopped it.
func startHL(t *testing.T, name string, o headlessOptions) *hl {
	t.Helper()
	if o.listen == nil {
		o.listen = loopbackListen()
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	h := &hl{t: t, name: name, stdin: inW, errc: make(chan error, 1), changed: make(chan struct{}, 1)}
	stderr := &testLog{t: t, prefix: name + ": "}
	go func() {
		err := runHeadless(context.Background(), o, inR, outW, stderr)
		outW.Close()
		inR.Close()
		h.errc <- err
	}()
	go h.read(outR)
	t.Cleanup(func() {
		if !h.exited {
			h.stdin.Close()
			if err := h.wait(15 * time.Second); err != nil {
				t.Errorf("%s: exit after stdin EOF: %v", name, err)
			}
		}
		stderr.stop()
		if t.Failed() {
			h.mu.Lock()
			t.Logf("%s stdout:\n%s", name, strings.Join(h.raw, "\n"))
			h.mu.Unlock()
		}
	})
	h.ready = h.waitEvent(20*time.Second, "ready", nil)
	return h
}

func (h *hl) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var m msg
		d := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		d.UseNumber()
		err := d.Decode(&m)
		h.mu.Lock()
		h.raw = append(h.raw, sc.Text())
		if err != nil {
			m = msg{"event": "unparseable", "line": sc.Text()}
		}
		h.lines = append(h.lines, m)
		h.mu.Unlock()
		h.notify()
	}
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.notify()
}

func (h *hl) notify() {
	select {
	case h.changed <- struct{}{}:
	default:
	}
}

// take returns the first line not yet taken that matches, waiting up to
// timeout.
func (h *hl) take(timeout time.Duration, what string, match func(msg) bool) msg {
	h.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		h.mu.Lock()
		for i, m := range h.lines {
			if match(m) {
				h.lines = append(h.lines[:i:i], h.lines[i+1:]...)
				h.mu.Unlock()
				return m
			}
		}
		closed := h.closed
		h.mu.Unlock()
		if closed {
			h.t.Fatalf("%s: stdout ended while waiting for %s", h.name, what)
		}
		select {
		case <-h.changed:
		case <-deadline.C:
			h.mu.Lock()
			raw := strings.Join(h.raw, "\n  ")
			h.mu.Unlock()
			h.t.Fatalf("%s: no %s within %v; output so far:\n  %s", h.name, what, timeout, raw)
		}
	}
}

// waitEvent takes the first event named name that passes match (nil: any).
func (h *hl) waitEvent(timeout time.Duration, name string, match func(msg) bool) msg {
	h.t.Helper()
	return h.take(timeout, "event "+name, func(m msg) bool {
		return m.str("event") == name && (match == nil || match(m))
	})
}

// eventFrom matches events about the friend pk.
func eventFrom(pk key.PublicKey) func(msg) bool {
	return func(m msg) bool { return m.str("public_key") == pk.String() }
}

// send writes a raw line to stdin.
func (h *hl) send(line string) {
	h.t.Helper()
	if _, err := io.WriteString(h.stdin, line+"\n"); err != nil {
		h.t.Fatalf("%s: writing %s: %v", h.name, line, err)
	}
}

// do sends a command with a fresh id and returns its reply.
func (h *hl) do(c map[string]any) msg {
	h.t.Helper()
	h.mu.Lock()
	h.nextID++
	id := fmt.Sprintf("%s-%d", h.name, h.nextID)
	h.mu.Unlock()
	c["id"] = id
	b, err := json.Marshal(c)
	if err != nil {
		h.t.Fatal(err)
	}
	h.send(string(b))
	return h.take(30*time.Second, fmt.Sprintf("reply to %s", b), func(m msg) bool {
		return m.str("reply") != "" && m.str("id") == id
	})
}

// must is do that fails the test on an error reply.
func (h *hl) must(c map[string]any) msg {
	h.t.Helper()
	r := h.do(c)
	if !r.ok() || r.str("reply") != c["cmd"] {
		h.t.Fatalf("%s: %v: reply %v", h.name, c, r)
	}
	return r
}

// quit sends quit and waits for a clean exit.
func (h *hl) quit() {
	h.t.Helper()
	h.must(map[string]any{"cmd": "quit"})
	if err := h.wait(15 * time.Second); err != nil {
		h.t.Fatalf("%s: exit after quit: %v", h.name, err)
	}
}

// wait waits for runHeadless to return.
func (h *hl) wait(timeout time.Duration) error {
	select {
	case err := <-h.errc:
		h.exited, h.exitErr = true, err
		return err
	case <-time.After(timeout):
		return fmt.Errorf("runHeadless did not return within %v", timeout)
	}
}

func (h *hl) toxID() key.ToxID {
	h.t.Helper()
	id, err := key.ParseToxID(h.ready.str("tox_id"))
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

// testLog sends stderr lines to t.Log until the test ends.
type testLog struct {
	t      *testing.T
	prefix string
	mu     sync.Mutex
	done   bool
}

func (l *testLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.t.Log(l.prefix + strings.TrimRight(string(b), "\n"))
	}
	return len(b), nil
}

func (l *testLog) stop() {
	l.mu.Lock()
	l.done = true
	l.mu.Unlock()
}
