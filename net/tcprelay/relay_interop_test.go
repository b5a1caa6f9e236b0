//go:build interop

package tcprelay

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"parley/net/clock"
	"parley/net/key"
	"parley/net/toxtest"
	"parley/net/wire"
)

// interopClient is one Parley client of a real relay, with its key.
type interopClient struct {
	*Client
	keys key.Pair
	clk  *clock.Fake // the client's clock when the test drives it, or nil
}

// dialInterop dials a client on a fake clock that the test advances (pings;
// pacing then allows DefaultMaxBurst bytes per step, plenty for the tests).
func dialInterop(t testing.TB, relay wire.Node) *interopClient {
	t.Helper()
	clk := clock.NewFake(time.Now())
	c := dialInteropClock(t, relay, clk)
	c.clk = clk
	return c
}

// dialInteropClock dials a client on clk (clock.Real for benchmarks).
func dialInteropClock(t testing.TB, relay wire.Node, clk clock.Clock) *interopClient {
	t.Helper()
	kp, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	// The client's life is ctx; a fake clock cannot time the handshake
	// out, so a watchdog cancels ctx if Dial takes more than 10 s.
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	watchdog := time.AfterFunc(10*time.Second, cancel)
	c, err := Dial(ctx, Config{Self: kp, Relay: relay, Clock: clk})
	watchdog.Stop()
	if err != nil {
		t.Fatalf("Dial %v: %v", relay, err)
	}
	t.Cleanup(func() { c.Close() })
	return &interopClient{Client: c, keys: kp}
}

// waitFor polls cond (without sleeping) until it holds, for at most 10 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 10 s", what)
		}
		runtime.Gosched()
	}
}

// expect takes c's next event and checks its type.
func expect[T Event](t testing.TB, c *interopClient) T {
	t.Helper()
	ev := nextEvent(t, c.Client)
	got, ok := ev.(T)
	if !ok {
		var want T
		t.Fatalf("event %#v, want a %T", ev, want)
	}
	return got
}

// route has a and b route to each other and returns their ids, once both
// saw PeerOnline.
func route(t testing.TB, a, b *interopClient) (idA, idB ConnID) {
	t.Helper()
	ctx := context.Background()
	if err := a.RoutingRequest(ctx, b.keys.Public); err != nil {
		t.Fatal(err)
	}
	ra := expect[Routed](t, a)
	if ra.PK != b.keys.Public || !ra.ConnID.Valid() {
		t.Fatalf("a routed %+v", ra)
	}
	if err := b.RoutingRequest(ctx, a.keys.Public); err != nil {
		t.Fatal(err)
	}
	rb := expect[Routed](t, b)
	if rb.PK != a.keys.Public {
		t.Fatalf("b routed %+v", rb)
	}
	if on := expect[PeerOnline](t, a); on != (PeerOnline{ra.ConnID, b.keys.Public}) {
		t.Fatalf("a: %+v", on)
	}
	if on := expect[PeerOnline](t, b); on != (PeerOnline{rb.ConnID, a.keys.Public}) {
		t.Fatalf("b: %+v", on)
	}
	return ra.ConnID, rb.ConnID
}

// Two Parley clients meet on Debian's tox-bootstrapd (c-toxcore 0.2.18
// TCP_server.c): routing, connect notifications, data both ways up to the
// largest frame, OOB, the relay's answers to our pings, a disconnect by
// request and one by hanging up.
func TestInteropBootstrapdRelay(t *testing.T) {
	bd := toxtest.StartBootstrapd(t)
	relay := bd.TCPNode()
	a, b := dialInterop(t, relay), dialInterop(t, relay)
	ctx := context.Background()

	idA, idB := route(t, a, b)
	// Routed came after the relay's pong to our first ping (it answered
	// the ping before reading our routing request), so the ping is settled:
	// a full ping timeout passes without trouble.
	a.clk.Advance(PingTimeout)
	b.clk.Advance(PingTimeout)

	sizes := []int{1, 100, 1373, 1400, MaxDataSize}
	for _, n := range sizes {
		payload := bytes.Repeat([]byte{byte(n)}, n)
		payload[0] = 0x1b
		if err := a.Send(ctx, idA, payload); err != nil {
			t.Fatalf("a sends %d bytes: %v", n, err)
		}
		got := expect[Received](t, b)
		if got.ConnID != idB || got.PK != a.keys.Public || !bytes.Equal(got.Data, payload) {
			t.Fatalf("b got %d bytes on %d from %v, want %d bytes", len(got.Data), got.ConnID, got.PK.Short(), n)
		}
		if err := b.Send(ctx, idB, payload[:n/2+1]); err != nil {
			t.Fatalf("b sends: %v", err)
		}
		if back := expect[Received](t, a); back.ConnID != idA || !bytes.Equal(back.Data, payload[:n/2+1]) {
			t.Fatalf("a got %d bytes, want %d", len(back.Data), n/2+1)
		}
	}
	if err := a.Send(ctx, idA, make([]byte, MaxDataSize+1)); !errors.Is(err, wire.ErrLong) {
		t.Fatalf("oversized Send = %v, want ErrLong", err)
	}

	for _, n := range []int{1, MaxOOBDataSize} {
		oob := bytes.Repeat([]byte{0x18}, n)
		if err := a.SendOOB(ctx, b.keys.Public, oob); err != nil {
			t.Fatal(err)
		}
		got := expect[OOBReceived](t, b)
		if got.From != a.keys.Public || !bytes.Equal(got.Data, oob) {
			t.Fatalf("b got OOB %d bytes from %v", len(got.Data), got.From.Short())
		}
		if err := b.SendOOB(ctx, a.keys.Public, oob); err != nil {
			t.Fatal(err)
		}
		if got := expect[OOBReceived](t, a); got.From != b.keys.Public || !bytes.Equal(got.Data, oob) {
			t.Fatalf("a got OOB %d bytes from %v", len(got.Data), got.From.Short())
		}
	}

	// The 30 s ping: a pings again (wait until it is written: the loop
	// may take a command before the timer); the relay answers it before
	// it forwards a's next data, so once b echoes that data back the pong
	// is in and the timeout passes.
	before := a.Stats().FramesOut
	a.clk.Advance(PingInterval - PingTimeout)
	waitFor(t, "a's second ping", func() bool { return a.Stats().FramesOut > before })
	if err := a.Send(ctx, idA, []byte("after ping")); err != nil {
		t.Fatal(err)
	}
	expect[Received](t, b)
	if err := b.Send(ctx, idB, []byte("echo")); err != nil {
		t.Fatal(err)
	}
	expect[Received](t, a)
	a.clk.Advance(PingTimeout)
	if err := a.Send(ctx, idA, []byte("still up")); err != nil {
		t.Fatalf("after the ping timeout: %v (client error %v)", err, a.Err())
	}
	expect[Received](t, b)

	// a drops its route: b sees the peer go; a routes again and both are
	// back online, b on the same id.
	if err := a.Disconnect(ctx, idA); err != nil {
		t.Fatal(err)
	}
	if off := expect[PeerOffline](t, b); off != (PeerOffline{idB, a.keys.Public}) {
		t.Fatalf("b: %+v", off)
	}
	if err := a.RoutingRequest(ctx, b.keys.Public); err != nil {
		t.Fatal(err)
	}
	idA = expect[Routed](t, a).ConnID
	expect[PeerOnline](t, a)
	if on := expect[PeerOnline](t, b); on.ConnID != idB {
		t.Fatalf("b back online on %d, want %d", on.ConnID, idB)
	}

	// b closes (gracefully: disconnect notifications first): the relay
	// tells a at once.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if off := expect[PeerOffline](t, a); off != (PeerOffline{idA, b.keys.Public}) {
		t.Fatalf("a: %+v", off)
	}
	if err := a.Send(ctx, idA, []byte("x")); !errors.Is(err, ErrNotOnline) {
		t.Fatalf("Send to the gone peer = %v, want ErrNotOnline", err)
	}
	if err := a.Err(); err != nil {
		t.Fatalf("a ended: %v", err)
	}
	st := a.Stats()
	t.Logf("a: %+v", st)
	if st.Ignored != 0 {
		t.Errorf("a ignored %d packets from the relay", st.Ignored)
	}
}

// A client that vanishes without a goodbye: Debian's tox-bootstrapd is
// built without epoll and never sees the closed socket; it notices when
// the ping it sends that client every PingInterval goes unanswered for
// PingTimeout, and only then tells the peer. This test takes up to 40 s.
func TestInteropBootstrapdNoticesHangUp(t *testing.T) {
	bd := toxtest.StartBootstrapd(t)
	relay := bd.TCPNode()
	a := dialInterop(t, relay)

	kp, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	raw := make(chan net.Conn, 1)
	dial := func(ctx context.Context, addr netip.AddrPort) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr.String())
		if err == nil {
			raw <- c
		}
		return c, err
	}
	bc, err := Dial(context.Background(), Config{Self: kp, Relay: relay, Dial: dial, Clock: clock.NewFake(time.Now())})
	if err != nil {
		t.Fatal(err)
	}
	defer bc.Close()
	b := &interopClient{Client: bc, keys: kp}
	idA, _ := route(t, a, b)

	start := time.Now()
	(<-raw).Close() // no goodbye
	mustErrIs(t, waitDone(t, bc), ErrRelayClosed)
	select {
	case ev := <-a.Events():
		if ev != (PeerOffline{idA, kp.Public}) {
			t.Fatalf("a: %+v", ev)
		}
	case <-time.After(PingInterval + PingTimeout + 5*time.Second):
		t.Fatal("the relay did not notice the hang-up within PingInterval+PingTimeout")
	}
	t.Logf("the relay told the peer %v after the hang-up", time.Since(start).Round(time.Second))

	// Meanwhile the relay pinged a too (every 30 s from accept) and a
	// answered: it is still connected and served.
	if err := a.RoutingRequest(context.Background(), a.keys.Public); err != nil {
		t.Fatal(err)
	}
	expect[RouteRefused](t, a)
	if st := a.Stats(); st.PingsAnswered != 1 || a.Err() != nil {
		t.Fatalf("a: %+v, %v; want one relay ping answered and a running", st, a.Err())
	}
}

// A relay refuses a route to ourselves (TCP_server.c), and a hello for
// another relay key gets no answer: the relay closes the connection.
func TestInteropBootstrapdRefusals(t *testing.T) {
	bd := toxtest.StartBootstrapd(t)
	relay := bd.TCPNode()
	a := dialInterop(t, relay)
	if err := a.RoutingRequest(context.Background(), a.keys.Public); err != nil {
		t.Fatal(err)
	}
	if ev := expect[RouteRefused](t, a); ev.PK != a.keys.Public {
		t.Fatalf("refused %+v", ev)
	}

	wrong := relay
	wrong.PK[0] ^= 1
	kp, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = Dial(ctx, Config{Self: kp, Relay: wrong})
	if !errors.Is(err, ErrHandshake) && !errors.Is(err, ErrHandshakeTimeout) {
		t.Fatalf("Dial with the wrong relay key = %v, want a failed handshake", err)
	}
}
