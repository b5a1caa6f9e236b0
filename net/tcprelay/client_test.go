package tcprelay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"parley/net/clock"
	"parley/net/key"
	"parley/net/wire"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func mustPair(t testing.TB) key.Pair {
	t.Helper()
	kp, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

// The relay sees our DHT key in the hello, the handshake opens on both
// sides, and the first frame is a ping (what confirms the connection to
// c-toxcore's relay); further pings follow every PingInterval.
func TestClientHandshakeAndPings(t *testing.T) {
	r := newFakeRelay(t)
	clk := clock.NewFake(epoch)
	cfg := r.config(t, clk)
	c, rc := dialRelay(t, r, cfg)
	if hello := <-r.hellos; hello.PK != cfg.Self.Public {
		t.Fatalf("hello carries %v, want our key %v", hello.PK, cfg.Self.Public)
	}
	if rc.peer != cfg.Self.Public || c.Relay() != r.keys.Public {
		t.Fatalf("peer %v / relay %v mismatch", rc.peer, c.Relay())
	}
	last := uint64(0)
	for range 3 {
		// The client's loop arms the next ping timer when it has handled
		// the handshake (or our pong); advancing before that would skip it.
		waitTimerAt(t, clk, clk.Now().Add(PingInterval))
		clk.Advance(PingInterval)
		p := rc.expectPing(t)
		if p.ID == 0 || p.ID == last {
			t.Fatalf("ping id %d after %d", p.ID, last)
		}
		last = p.ID
		rc.write(t, &Pong{ID: p.ID})
	}
	if c.Err() != nil {
		t.Fatalf("client ended: %v", c.Err())
	}
}

func TestClientHandshakeWrongRelayKey(t *testing.T) {
	r := newFakeRelay(t)
	other := mustPair(t)
	r.replyKey = &other // a relay that is not the one whose key we hold
	_, err := Dial(context.Background(), r.config(t, clock.NewFake(epoch)))
	mustErrIs(t, err, ErrHandshake, wire.ErrDecrypt)
}

func TestClientHandshakeHangUp(t *testing.T) {
	r := newFakeRelay(t)
	r.hangUp = true // what c-toxcore does with a hello it cannot open
	_, err := Dial(context.Background(), r.config(t, clock.NewFake(epoch)))
	mustErrIs(t, err, ErrHandshake)
	if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error %v is not EOF", err)
	}
}

func TestClientHandshakeTimeout(t *testing.T) {
	r := newFakeRelay(t)
	r.noReply = true
	clk := clock.NewFake(epoch)
	errc := make(chan error, 1)
	go func() {
		_, err := Dial(context.Background(), r.config(t, clk))
		errc <- err
	}()
	<-r.hellos // the timer runs from before the dial
	clk.Advance(HandshakeTimeout - time.Millisecond)
	select {
	case err := <-errc:
		t.Fatalf("Dial ended before the timeout: %v", err)
	default:
	}
	clk.Advance(time.Millisecond)
	select {
	case err := <-errc:
		mustErrIs(t, err, ErrHandshakeTimeout)
	case <-time.After(10 * time.Second):
		t.Fatal("Dial did not time out")
	}
}

func TestClientHandshakeContextCancelled(t *testing.T) {
	r := newFakeRelay(t)
	r.noReply = true
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := Dial(ctx, r.config(t, clock.NewFake(epoch)))
		errc <- err
	}()
	<-r.hellos
	cancel()
	select {
	case err := <-errc:
		mustErrIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("Dial did not end on cancel")
	}
}

// Routing, notifications and data in both directions, then the peer
// leaves and we give the id up.
func TestClientRoutingAndData(t *testing.T) {
	r := newFakeRelay(t)
	c, rc := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
	ctx := context.Background()
	peer := mustPair(t).Public

	if err := c.RoutingRequest(ctx, peer); err != nil {
		t.Fatal(err)
	}
	if p, ok := rc.next(t, true).(*RoutingRequest); !ok || p.PK != peer {
		t.Fatalf("relay got %+v, want a routing request for the peer", p)
	}
	if err := c.Send(ctx, 20, []byte("early")); !errors.Is(err, ErrNotOnline) {
		t.Fatalf("Send before routing = %v, want ErrNotOnline", err)
	}
	rc.write(t, &RoutingResponse{ConnID: 20, PK: peer})
	if ev := nextEvent(t, c); ev != (Routed{ConnID: 20, PK: peer}) {
		t.Fatalf("event %+v, want Routed", ev)
	}
	if err := c.Send(ctx, 20, []byte("early")); !errors.Is(err, ErrNotOnline) {
		t.Fatalf("Send while offline = %v, want ErrNotOnline", err)
	}
	rc.write(t, &ConnectNotification{ConnID: 20})
	if ev := nextEvent(t, c); ev != (PeerOnline{ConnID: 20, PK: peer}) {
		t.Fatalf("event %+v, want PeerOnline", ev)
	}

	big := bytes.Repeat([]byte{0xab}, MaxDataSize)
	for _, payload := range [][]byte{[]byte("hello"), big} {
		if err := c.Send(ctx, 20, payload); err != nil {
			t.Fatal(err)
		}
		d, ok := rc.next(t, true).(*Data)
		if !ok || d.ConnID != 20 || !bytes.Equal(d.Payload, payload) {
			t.Fatalf("relay got %+v", d)
		}
	}
	if err := c.Send(ctx, 20, append(big, 0)); !errors.Is(err, wire.ErrLong) {
		t.Fatalf("Send of %d bytes = %v, want ErrLong", len(big)+1, err)
	}
	if err := c.Send(ctx, 20, nil); !errors.Is(err, wire.ErrShort) {
		t.Fatalf("empty Send = %v, want ErrShort", err)
	}
	rc.write(t, &Data{ConnID: 20, Payload: []byte("back")})
	ev := nextEvent(t, c)
	if got, ok := ev.(Received); !ok || got.ConnID != 20 || got.PK != peer || string(got.Data) != "back" {
		t.Fatalf("event %+v, want Received", ev)
	}

	rc.write(t, &DisconnectNotification{ConnID: 20})
	if ev := nextEvent(t, c); ev != (PeerOffline{ConnID: 20, PK: peer}) {
		t.Fatalf("event %+v, want PeerOffline", ev)
	}
	if err := c.Send(ctx, 20, []byte("x")); !errors.Is(err, ErrNotOnline) {
		t.Fatalf("Send after PeerOffline = %v, want ErrNotOnline", err)
	}
	if err := c.Disconnect(ctx, 20); err != nil {
		t.Fatal(err)
	}
	if p, ok := rc.next(t, true).(*DisconnectNotification); !ok || p.ConnID != 20 {
		t.Fatalf("relay got %+v, want a disconnect for 20", p)
	}
	if err := c.Disconnect(ctx, 20); !errors.Is(err, ErrUnknownConn) {
		t.Fatalf("second Disconnect = %v, want ErrUnknownConn", err)
	}

	// Data for an id we gave up is dropped and counted, not delivered.
	rc.write(t, &Data{ConnID: 20, Payload: []byte("late")})
	rc.write(t, &RoutingResponse{ConnID: 0, PK: peer})
	if ev := nextEvent(t, c); ev != (RouteRefused{PK: peer}) {
		t.Fatalf("event %+v, want RouteRefused (the late data must not surface)", ev)
	}
	// Out: ping, routing request, two data, disconnect; the writer counts
	// a batch after its write returns, so the last may not be counted yet.
	if st := c.Stats(); st.Ignored != 1 || st.FramesIn != 7 || st.FramesOut < 4 {
		t.Fatalf("stats %+v", st)
	}
}

func TestClientOOBAndOnion(t *testing.T) {
	r := newFakeRelay(t)
	c, rc := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
	ctx := context.Background()
	peer := mustPair(t).Public

	if err := c.SendOOB(ctx, peer, []byte("cookie request")); err != nil {
		t.Fatal(err)
	}
	if p, ok := rc.next(t, true).(*OOBSend); !ok || p.Dest != peer || string(p.Data) != "cookie request" {
		t.Fatalf("relay got %+v", p)
	}
	if err := c.SendOOB(ctx, peer, make([]byte, MaxOOBDataSize+1)); !errors.Is(err, wire.ErrLong) {
		t.Fatalf("oversized OOB = %v, want ErrLong", err)
	}
	rc.write(t, &OOBRecv{From: peer, Data: []byte("cookie response")})
	if ev, ok := nextEvent(t, c).(OOBReceived); !ok || ev.From != peer || string(ev.Data) != "cookie response" {
		t.Fatalf("event %+v", ev)
	}

	req := OnionRequest{Nonce: key.Nonce{1, 2, 3}, Payload: bytes.Repeat([]byte{7}, 300)}
	if err := c.SendOnion(ctx, req); err != nil {
		t.Fatal(err)
	}
	if p, ok := rc.next(t, true).(*OnionRequest); !ok || p.Nonce != req.Nonce || !bytes.Equal(p.Payload, req.Payload) {
		t.Fatalf("relay got %+v", p)
	}
	if err := c.SendOnion(ctx, OnionRequest{Payload: make([]byte, 100)}); !errors.Is(err, wire.ErrShort) {
		t.Fatalf("short onion request = %v, want ErrShort", err)
	}
	rc.write(t, &OnionResponse{Packet: []byte{0x84, 1, 2, 3}})
	if ev, ok := nextEvent(t, c).(OnionReceived); !ok || !bytes.Equal(ev.Packet, []byte{0x84, 1, 2, 3}) {
		t.Fatalf("event %+v", ev)
	}
}

// Every frame uses the next nonce of its direction.
func TestClientNonceIncrements(t *testing.T) {
	r := newFakeRelay(t)
	c, rc := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
	base := <-rc.nonces // the first ping's
	for i := range 5 {
		if err := c.SendOOB(context.Background(), key.PublicKey{1}, []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
		rc.next(t, false)
		want := base
		want.Add(uint32(i + 1))
		if got := <-rc.nonces; got != want {
			t.Fatalf("frame %d opened with nonce %x, want %x", i+1, got, want)
		}
	}
	// The client's receive side: frames the relay seals in order all open;
	// one sealed again with a used nonce (a replay) ends the connection.
	for i := range 3 {
		rc.write(t, &OOBRecv{From: key.PublicKey{2}, Data: []byte{byte(i)}})
		if ev, ok := nextEvent(t, c).(OOBReceived); !ok || ev.Data[0] != byte(i) {
			t.Fatalf("event %+v", ev)
		}
	}
	replay := NewCipher(rc.send.key, rc.send.Nonce())
	rc.write(t, &OOBRecv{From: key.PublicKey{2}, Data: []byte{9}})
	frame, err := replay.SealFrame(nil, []byte{byte(IDOOBRecv), 9})
	if err != nil {
		t.Fatal(err)
	}
	if ev, ok := nextEvent(t, c).(OOBReceived); !ok || ev.Data[0] != 9 {
		t.Fatalf("event %+v", ev)
	}
	rc.writeRaw(t, frame)
	mustErrIs(t, waitDone(t, c), wire.ErrDecrypt)
}

func TestClientTamperedFrame(t *testing.T) {
	r := newFakeRelay(t)
	c, rc := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
	frame, err := rc.send.SealFrame(nil, []byte{byte(IDOnionResponse), 1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	frame[len(frame)-1] ^= 1
	rc.writeRaw(t, frame)
	mustErrIs(t, waitDone(t, c), wire.ErrDecrypt)
	if _, ok := <-c.Events(); ok {
		t.Fatal("an event came out of a tampered frame")
	}
}

// What c-toxcore's client drops the connection for, Parley does too.
func TestClientProtocolViolations(t *testing.T) {
	for _, tc := range []struct {
		name  string
		plain []byte
		want  error
	}{
		{"routing request to a client", append([]byte{0}, make([]byte, 32)...), wire.ErrKind},
		{"oob send to a client", append([]byte{6}, make([]byte, 40)...), wire.ErrKind},
		{"forward request", []byte{10, 1, 2}, wire.ErrKind},
		{"reserved id 15", []byte{15, 1}, wire.ErrKind},
		{"zero pong", []byte{5, 0, 0, 0, 0, 0, 0, 0, 0}, wire.ErrMalformed},
		{"connect notification for id 3", []byte{2, 3}, wire.ErrMalformed},
		{"one-byte packet", []byte{20}, wire.ErrShort},
		{"long ping", []byte{4, 1, 2, 3, 4, 5, 6, 7, 8, 9}, wire.ErrLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newFakeRelay(t)
			c, rc := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
			rc.writePlain(t, tc.plain)
			mustErrIs(t, waitDone(t, c), ErrProtocol, tc.want)
		})
	}
}

func TestClientIgnoresForwardingAndStrayNotifications(t *testing.T) {
	r := newFakeRelay(t)
	c, rc := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
	rc.writePlain(t, []byte{byte(IDForwarding), 1, 2, 3})
	rc.write(t, &ConnectNotification{ConnID: 40})    // never routed
	rc.write(t, &DisconnectNotification{ConnID: 41}) // never routed
	rc.write(t, &Ping{ID: 0})                        // not answered, as c-toxcore
	rc.write(t, &Pong{ID: 12345})                    // not our ping
	rc.write(t, &OnionResponse{Packet: []byte{1}})
	if _, ok := nextEvent(t, c).(OnionReceived); !ok {
		t.Fatal("want the onion response after the ignored packets")
	}
	if st := c.Stats(); st.Ignored != 5 {
		t.Fatalf("ignored %d packets, want 5", st.Ignored)
	}
}

func TestClientFrameTooLong(t *testing.T) {
	r := newFakeRelay(t)
	c, rc := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
	rc.writeRaw(t, []byte{0x08, 0x01}) // 2049 > MAX_PACKET_SIZE
	mustErrIs(t, waitDone(t, c), ErrProtocol, wire.ErrLong)
}

func TestClientAnswersRelayPing(t *testing.T) {
	r := newFakeRelay(t)
	c, rc := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
	rc.write(t, &Ping{ID: 0x0102030405060708})
	if p, ok := rc.nextAny(t).(*Pong); !ok || p.ID != 0x0102030405060708 {
		t.Fatalf("relay got %+v, want the pong", p)
	}
	if st := c.Stats(); st.PingsAnswered != 1 {
		t.Fatalf("stats %+v, want one ping answered", st)
	}
}

func TestClientPingTimeout(t *testing.T) {
	r := newFakeRelay(t)
	clk := clock.NewFake(epoch)
	c, err := Dial(context.Background(), r.config(t, clk))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rc := r.accept(t)
	rc.expectPing(t) // and no pong
	clk.Advance(PingTimeout - time.Second)
	select {
	case <-c.Done():
		t.Fatalf("ended before the timeout: %v", c.Err())
	default:
	}
	clk.Advance(time.Second)
	mustErrIs(t, waitDone(t, c), ErrPingTimeout)
	if _, ok := <-c.Events(); ok {
		t.Fatal("Events not closed")
	}
}

func TestClientRelayHangsUp(t *testing.T) {
	r := newFakeRelay(t)
	c, rc := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
	rc.conn.Close()
	mustErrIs(t, waitDone(t, c), ErrRelayClosed)
	err := c.Send(context.Background(), 16, []byte("x"))
	mustErrIs(t, err, ErrClosed, ErrRelayClosed)
}

func TestClientCloseTwice(t *testing.T) {
	r := newFakeRelay(t)
	c, _ := dialRelay(t, r, r.config(t, clock.NewFake(epoch)))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	mustErrIs(t, c.Err(), ErrClosed)
	mustErrIs(t, c.RoutingRequest(context.Background(), key.PublicKey{}), ErrClosed)
}

// waitTimerAt waits until clk has a timer armed for exactly at.
func waitTimerAt(t *testing.T, clk *clock.Fake, at time.Time) {
	t.Helper()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.After(20 * time.Second)
	for !clk.TimerAt(at) {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no timer armed for %v", at)
		}
	}
}
