package session

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// capture records every datagram from one address while letting it pass.
func capture(l *link, from netip.AddrPort) *[][]byte {
	var got [][]byte
	l.Filter = func(d *datagram) bool {
		if d.src == from {
			got = append(got, append([]byte(nil), d.data...))
		}
		return true
	}
	return &got
}

// TestForgedReplayedTruncated attacks an established session with every
// kind of bad packet and checks that each is refused for the right reason
// while the session goes on.
func TestForgedReplayedTruncated(t *testing.T) {
	l := newLink(t, 11)
	a := l.addNode("a", 1001, nil)
	b := l.addNode("b", 1002, nil)
	fromA := capture(l, a.addr)
	a.connect(b)
	if !l.runUntil(time.Second, func() bool { return bothEstablished(a, b) }, nil) {
		t.Fatal("not established")
	}
	exchange(t, l, a, b, 20)
	cb := b.conn(a)
	delivered := len(b.lossless)

	var data, hs, req [][]byte
	for _, p := range *fromA {
		switch wire.Kind(p[0]) {
		case wire.KindCryptoData:
			data = append(data, p)
		case wire.KindCryptoHandshake:
			hs = append(hs, p)
		case wire.KindCookieRequest:
			req = append(req, p)
		}
	}
	if len(data) < 20 || len(hs) == 0 || len(req) == 0 {
		t.Fatalf("captured %d data, %d handshakes, %d cookie requests", len(data), len(hs), len(req))
	}
	inject := func(p []byte) error { return b.m.HandlePacket(l.now, a.addr, p) }
	want := func(what string, err, sentinel error) {
		t.Helper()
		if !errors.Is(err, sentinel) {
			t.Errorf("%s: err = %v, want %v", what, err, sentinel)
		}
	}

	// Replays: every data packet seen so far, and the handshake.
	for i, p := range data {
		want("replayed data packet", inject(p), ErrReplay)
		if i > 5 {
			break
		}
	}
	want("replayed handshake", inject(hs[0]), ErrState)
	// Forgeries: one flipped bit anywhere after the kind byte.
	for _, pos := range []int{1, 2, 3, 10, len(data[5]) - 1} {
		p := bytes.Clone(data[5])
		p[pos] ^= 0x40
		want("bit flip", inject(p), wire.ErrDecrypt)
	}
	forged := make([]byte, 100)
	forged[0] = byte(wire.KindCryptoData)
	want("random data packet", inject(forged), wire.ErrDecrypt)
	h := bytes.Clone(hs[0])
	h[200] ^= 1
	want("forged handshake box", inject(h), wire.ErrDecrypt)
	h = bytes.Clone(hs[0])
	h[5] ^= 1
	want("forged handshake cookie", inject(h), ErrCookie)
	// Truncations.
	for _, n := range []int{1, 2, 3, MinDataPacketSize - 1} {
		want("truncated data", inject(data[5][:n]), wire.ErrShort)
	}
	want("cut ciphertext", inject(data[5][:len(data[5])-1]), wire.ErrDecrypt)
	want("truncated handshake", inject(hs[0][:HandshakeSize-1]), wire.ErrShort)
	want("truncated cookie request", inject(req[0][:100]), wire.ErrShort)
	want("empty packet", inject(nil), wire.ErrShort)
	want("oversized packet", inject(make([]byte, MaxPacketSize+1)), wire.ErrLong)
	want("unknown kind", inject([]byte{0x30, 1, 2}), wire.ErrKind)
	// A data packet from an address no connection uses.
	if err := b.m.HandlePacket(l.now, netip.MustParseAddrPort("10.9.9.9:1"), data[6]); !errors.Is(err, ErrUnknownSource) {
		t.Errorf("data from a stranger: %v", err)
	}
	// A cookie response nobody asked for.
	resp := make([]byte, CookieResponseSize)
	resp[0] = byte(wire.KindCookieResponse)
	want("late cookie response", a.m.HandlePacket(l.now, b.addr, resp), ErrState)
	want("stray cookie response", a.m.HandlePacket(l.now, netip.MustParseAddrPort("10.9.9.9:1"), resp), ErrUnknownSource)

	st := cb.Stats()
	if st.Replays < 6 || st.BadMAC < 7 {
		t.Errorf("counted %d replays, %d bad MACs", st.Replays, st.BadMAC)
	}
	if len(b.lossless) != delivered || cb.State() != StateEstablished {
		t.Fatalf("attacks changed the session: %d delivered (was %d), %v", len(b.lossless), delivered, cb.State())
	}
	exchange(t, l, a, b, 100)
}

// TestStaleCookie refuses a handshake whose cookie is older than 15 s.
func TestStaleCookie(t *testing.T) {
	l := newLink(t, 12)
	a, b := l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
	fromA := capture(l, a.addr)
	a.connect(b)
	l.runUntil(time.Second, func() bool { return bothEstablished(a, b) }, nil)
	var hs []byte
	for _, p := range *fromA {
		if wire.Kind(p[0]) == wire.KindCryptoHandshake {
			hs = p
		}
	}
	b.conn(a).Kill(l.now)
	l.run(CookieTimeout + time.Second)
	if err := b.m.HandlePacket(l.now, a.addr, hs); !errors.Is(err, ErrCookie) {
		t.Fatalf("handshake with a 16 s old cookie: %v", err)
	}
	if b.m.Conns() != 0 {
		t.Fatal("a stale handshake made a connection")
	}
}

// TestNoPlaintextOnTheWire captures every datagram of a session and looks
// for the message text and any secret key in it.
func TestNoPlaintextOnTheWire(t *testing.T) {
	l := newLink(t, 13)
	var all [][]byte
	l.Filter = func(d *datagram) bool { all = append(all, bytes.Clone(d.data)); return true }
	a, b := established(t, l)
	secret := []byte("the eagle lands at midnight")
	if _, err := a.conn(b).SendLossless(l.now, append([]byte{64}, secret...)); err != nil {
		t.Fatal(err)
	}
	l.runUntil(time.Second, func() bool { return len(b.lossless) == 1 }, nil)
	ca, cb := a.conn(b), b.conn(a)
	needles := map[string][]byte{
		"message": secret, "a long-term sk": a.self.Secret[:], "b long-term sk": b.self.Secret[:],
		"a DHT sk": a.dht.Secret[:], "b DHT sk": b.dht.Secret[:], "session key": ca.shared[:],
		"a cookie key": a.m.cookieKey[:], "b cookie key": b.m.cookieKey[:],
	}
	for name, n := range needles {
		for _, p := range all {
			if bytes.Contains(p, n[:16]) {
				t.Fatalf("%s appears on the wire", name)
			}
		}
	}
	if cb.session.Secret != (key.SecretKey{}) {
		t.Error("the session secret key is kept after establishment")
	}
}
