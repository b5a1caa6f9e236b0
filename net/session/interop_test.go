//go:build interop

package session_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/session"
	"parley/net/toxtest"
)

// The direct-dial shortcut (tox-protocol.md §5.5): a libtoxcore peer that
// has our long-term key as a friend accepts a net_crypto connection dialled
// straight to its DHT key and UDP port, with no DHT or onion at all.

// event is what the session told the test.
type event struct {
	kind string // state, lossless, lossy, acked
	s    session.State
	data []byte
	n    uint32
}

// driver owns a Manager on one goroutine fed by a UDP socket, as the real
// node will.
type driver struct {
	m      *session.Manager
	udp    *net.UDPConn
	do     chan func(now time.Time)
	events chan event
	stop   chan struct{}
	done   chan struct{} // both goroutines gone
	seen   []event
}

func startDriver(t *testing.T, self, dht key.Pair, friend key.PublicKey) *driver {
	t.Helper()
	udp, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	d := &driver{udp: udp, do: make(chan func(time.Time)), events: make(chan event, 4096),
		stop: make(chan struct{}), done: make(chan struct{})}
	emit := func(e event) {
		select {
		case d.events <- e:
		default:
			t.Errorf("event queue full, dropped %v", e.kind)
		}
	}
	cfg := session.Config{
		Self: self, DHT: dht,
		Send: func(dst netip.AddrPort, pkt []byte) {
			if _, err := udp.WriteToUDPAddrPort(pkt, dst); err != nil {
				t.Logf("send to %v: %v", dst, err)
			}
		},
		Logf:       t.Logf,
		Accept:     func(pk key.PublicKey) bool { return pk == friend },
		OnState:    func(c *session.Conn, s session.State) { emit(event{kind: "state", s: s}) },
		OnLossless: func(c *session.Conn, b []byte) { emit(event{kind: "lossless", data: bytes.Clone(b)}) },
		OnLossy:    func(c *session.Conn, b []byte) { emit(event{kind: "lossy", data: bytes.Clone(b)}) },
		OnAcked:    func(c *session.Conn, n uint32) { emit(event{kind: "acked", n: n}) },
	}
	if d.m, err = session.NewManager(cfg, time.Now()); err != nil {
		t.Fatal(err)
	}
	type dgram struct {
		src  netip.AddrPort
		data []byte
	}
	pkts := make(chan dgram, 256)
	readerDone := make(chan struct{})
	go func() { // the socket reader: exits when the socket closes
		defer close(readerDone)
		buf := make([]byte, 2048)
		for {
			n, src, err := udp.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			select {
			case pkts <- dgram{src, bytes.Clone(buf[:n])}:
			case <-d.stop:
				return
			}
		}
	}()
	ownerDone := make(chan struct{})
	go func() { // the owner: exits on stop
		defer close(ownerDone)
		timer := time.NewTimer(10 * time.Millisecond)
		defer timer.Stop()
		for {
			select {
			case <-d.stop:
				return
			case p := <-pkts:
				if err := d.m.HandlePacket(time.Now(), p.src, p.data); err != nil {
					t.Logf("dropped from %v: %v", p.src, err)
				}
			case f := <-d.do:
				f(time.Now())
			case <-timer.C:
			}
			now := time.Now()
			next := d.m.NextDeadline()
			if !next.IsZero() && !next.After(now) {
				d.m.Tick(now)
				next = d.m.NextDeadline()
			}
			wait := 100 * time.Millisecond
			if !next.IsZero() {
				wait = min(max(next.Sub(now), time.Millisecond), wait)
			}
			timer.Reset(wait)
		}
	}()
	go func() { <-readerDone; <-ownerDone; close(d.done) }()
	t.Cleanup(func() {
		close(d.stop)
		udp.Close()
		select {
		case <-d.done:
		case <-time.After(5 * time.Second):
			t.Error("driver goroutines did not exit")
		}
	})
	return d
}

// run executes f on the owner goroutine and waits for it.
func (d *driver) run(f func(now time.Time)) {
	ran := make(chan struct{})
	d.do <- func(now time.Time) { f(now); close(ran) }
	<-ran
}

// wait returns the first event (seen before or arriving within timeout)
// that matches.
func (d *driver) wait(t *testing.T, what string, timeout time.Duration, match func(event) bool) event {
	t.Helper()
	for i, e := range d.seen {
		if match(e) {
			d.seen = append(d.seen[:i], d.seen[i+1:]...)
			return e
		}
	}
	deadline := time.After(timeout)
	for {
		select {
		case e := <-d.events:
			if match(e) {
				return e
			}
			d.seen = append(d.seen, e)
		case <-deadline:
			t.Fatalf("no %s within %v (saw %d other events)", what, timeout, len(d.seen))
		}
	}
}

func TestInteropDirectDial(t *testing.T) {
	p := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "ctox"})
	self, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	dht, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	fn := p.MustDo("friend_add_norequest", self.Public.String())[0]
	d := startDriver(t, self, dht, p.PublicKey)

	var c *session.Conn
	start := time.Now()
	d.run(func(now time.Time) {
		c, err = d.m.Connect(now, p.PublicKey, p.DHTID, netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), p.Port))
	})
	if err != nil {
		t.Fatal(err)
	}
	d.wait(t, "ESTABLISHED", 20*time.Second, func(e event) bool { return e.kind == "state" && e.s == session.StateEstablished })
	t.Logf("net_crypto established with c-toxcore in %v", time.Since(start))

	send := func(b []byte) uint32 {
		t.Helper()
		var n uint32
		d.run(func(now time.Time) { n, err = c.SendLossless(now, b) })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Messenger: our ONLINE makes us online for c-toxcore (§7).
	send([]byte{24})
	p.MustWait(20*time.Second, toxtest.Is("friend_connection", fn, "udp"))
	d.wait(t, "ONLINE from c-toxcore", 10*time.Second, func(e event) bool { return e.kind == "lossless" && bytes.Equal(e.data, []byte{24}) })

	// c-toxcore -> us: a message (lossless 64) and its receipt, which comes
	// from our ack.
	text := "hello from c-toxcore"
	id := p.MustDo("send", fn, "normal", toxtest.Hex(text))[0]
	d.wait(t, "message", 10*time.Second, func(e event) bool {
		return e.kind == "lossless" && bytes.Equal(e.data, append([]byte{64}, text...))
	})
	p.MustWait(10*time.Second, toxtest.Is("receipt", fn, id))

	// us -> c-toxcore: a message, acked; a custom lossless packet; lossy.
	n := send(append([]byte{64}, "hello from parley"...))
	p.MustWait(10*time.Second, toxtest.Is("message", fn, "normal", toxtest.Hex("hello from parley")))
	d.wait(t, "ack", 10*time.Second, func(e event) bool { return e.kind == "acked" && e.n == n })
	send([]byte{160, 1, 2, 3})
	p.MustWait(10*time.Second, toxtest.Is("lossless_packet", fn, "a0010203"))
	d.run(func(now time.Time) { err = c.SendLossy(now, []byte{200, 9, 9}) })
	if err != nil {
		t.Fatal(err)
	}
	p.MustWait(10*time.Second, toxtest.Is("lossy_packet", fn, "c80909"))
	p.MustDo("send_lossy", fn, "d0aabb")
	d.wait(t, "lossy", 10*time.Second, func(e event) bool { return e.kind == "lossy" && hex.EncodeToString(e.data) == "d0aabb" })
	p.MustDo("send_lossless", fn, "a1ccdd")
	d.wait(t, "custom lossless", 10*time.Second, func(e event) bool {
		return e.kind == "lossless" && hex.EncodeToString(e.data) == "a1ccdd"
	})

	// 500 messages at once, in order.
	for i := range 500 {
		send(fmt.Appendf([]byte{64}, "burst %03d", i))
	}
	for i := range 500 {
		p.MustWait(20*time.Second, toxtest.Is("message", fn, "normal", toxtest.Hex(fmt.Sprintf("burst %03d", i))))
	}

	// Kill: c-toxcore sees the friend go offline at once.
	d.run(func(now time.Time) { c.Kill(now) })
	p.MustWait(10*time.Second, toxtest.Is("friend_connection", fn, "none"))
	d.run(func(time.Time) { err = c.Err() })
	if !errors.Is(err, session.ErrClosed) {
		t.Fatalf("after Kill: %v", err)
	}
}
