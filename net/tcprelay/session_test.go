package tcprelay

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/secretbox"
	"parley/net/crypto"
	"parley/net/internal/codectest"
	"parley/net/key"
	"parley/net/wire"
)

// establishedSession returns a Session that completed its handshake with
// relayHandshake (the test relay's half) at epoch, and the relay's ciphers.
func establishedSession(t testing.TB) (s *Session, relaySend, relayRecv *Cipher) {
	t.Helper()
	self, relay := mustPair(t), mustPair(t)
	s, err := NewSession(self, relay.Public, nil)
	if err != nil {
		t.Fatal(err)
	}
	hello, err := ParseClientHandshake(s.Hello())
	if err != nil {
		t.Fatal(err)
	}
	reply, relaySend, relayRecv, err := relayHandshake(relay, nil, hello)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.HandleHandshake(epoch, reply); err != nil {
		t.Fatal(err)
	}
	return s, relaySend, relayRecv
}

// sealBody seals plain with c and returns the frame body (no length).
func sealBody(t testing.TB, c *Cipher, plain []byte) []byte {
	t.Helper()
	f, err := c.SealFrame(nil, plain)
	if err != nil {
		t.Fatal(err)
	}
	return f[FrameHeaderSize:]
}

// openFrame opens one complete frame sealed by the session.
func openFrame(t testing.TB, c *Cipher, frame []byte) Packet {
	t.Helper()
	fr, err := ParseFrame(frame)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.OpenFrame(nil, fr.Sealed)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePacket(plain)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// seqReader yields 0, 1, 2, ... for deterministic keys and nonces.
type seqReader struct{ n byte }

func (r *seqReader) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = r.n
		r.n++
	}
	return len(b), nil
}

// The hello is a pure function of the keys and the random bytes; this
// golden pins the layout pk | nonce | sbox(temp pk | base nonce) and the
// key derivation (beforenm of relay pk and our DHT sk). The vector was
// computed independently with libsodium (crypto_scalarmult_curve25519_base,
// crypto_box_beforenm, crypto_box_easy_afternm), as c-toxcore does it.
func TestSessionHelloGolden(t *testing.T) {
	self := key.PairFromSecret(codectest.Fill[key.SecretKey](0x01))
	relay := key.PairFromSecret(codectest.Fill[key.SecretKey](0x02))
	s, err := NewSession(self, relay.Public, &seqReader{})
	if err != nil {
		t.Fatal(err)
	}
	hello := s.Hello()
	if len(hello) != ClientHandshakeSize {
		t.Fatalf("hello is %d bytes", len(hello))
	}
	const want = "" +
		"a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209" + // our DHT pk
		"38393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f" + // nonce
		"90aaad6c1fcc5f3d2b4cca7a8dfb98ed" + // MAC
		"61058fb40781fb7d64ee9f48b2a4d35be16f448e590ec7b2f51f3b567a6bd2de" + // temp pk
		"afc4df1d82225ce659ff283dfdc6f05b3c72683c29375563" // base nonce
	if got := hexOf(hello); got != want {
		t.Fatalf("hello\n got %s\nwant %s", got, want)
	}
	// Independently of the golden: the relay opens it with its own key and
	// finds a temp key and base nonce drawn from the reader (bytes 0..31 are
	// the temp secret, 32..55 the base nonce, 56..79 the hello nonce).
	hs, err := ParseClientHandshake(hello)
	if err != nil {
		t.Fatal(err)
	}
	if hs.PK != self.Public || hs.Nonce != seqNonce(56) {
		t.Fatalf("hello pk %v nonce %x", hs.PK, hs.Nonce)
	}
	k := [32]byte(keyOf(t, relay, self.Public))
	pb, ok := secretbox.Open(nil, hs.Sealed[:], (*[24]byte)(&hs.Nonce), &k)
	if !ok {
		t.Fatal("relay cannot open the hello")
	}
	plain, err := ParseHandshakePlain(pb)
	if err != nil {
		t.Fatal(err)
	}
	var tempSK key.SecretKey
	for i := range tempSK {
		tempSK[i] = byte(i)
	}
	if plain.TempPK != key.PairFromSecret(tempSK).Public || plain.BaseNonce != seqNonce(32) {
		t.Fatalf("plain %+v", plain)
	}
}

func TestSessionHandshakeErrors(t *testing.T) {
	self, relay, other := mustPair(t), mustPair(t), mustPair(t)
	s, err := NewSession(self, relay.Public, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Seal(nil, &Ping{ID: 1}); !errors.Is(err, ErrNotEstablished) {
		t.Fatalf("Seal before the handshake = %v", err)
	}
	if _, _, err := s.Receive(make([]byte, 32)); !errors.Is(err, ErrNotEstablished) {
		t.Fatalf("Receive before the handshake = %v", err)
	}
	if p, err := s.Tick(epoch); p != nil || err != nil {
		t.Fatalf("Tick before the handshake = %v, %v", p, err)
	}
	if _, ok := s.NextDeadline(); ok {
		t.Fatal("a deadline before the handshake")
	}
	hello, err := ParseClientHandshake(s.Hello())
	if err != nil {
		t.Fatal(err)
	}
	bad, _, _, err := relayHandshake(relay, &other, hello)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.HandleHandshake(epoch, bad); !errors.Is(err, ErrHandshake) || !errors.Is(err, wire.ErrDecrypt) {
		t.Fatalf("reply sealed with another key: %v", err)
	}
	if err := s.HandleHandshake(epoch, bad[:95]); !errors.Is(err, ErrHandshake) || !errors.Is(err, wire.ErrShort) {
		t.Fatalf("short reply: %v", err)
	}
	good, _, _, err := relayHandshake(relay, nil, hello)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.HandleHandshake(epoch, good); err != nil {
		t.Fatal(err)
	}
	if !s.Established() {
		t.Fatal("not established")
	}
	if err := s.HandleHandshake(epoch, good); !errors.Is(err, ErrProtocol) {
		t.Fatalf("second handshake: %v", err)
	}
}

// c-toxcore's schedule: ping when the handshake completes, then every 30 s;
// an unanswered ping kills the connection 10 s after it was sent.
func TestSessionPingSchedule(t *testing.T) {
	s, _, _ := establishedSession(t)
	if d, _ := s.NextDeadline(); !d.Equal(epoch) {
		t.Fatalf("first deadline %v, want the handshake time", d)
	}
	p, err := s.Tick(epoch)
	ping, ok := p.(*Ping)
	if err != nil || !ok || ping.ID == 0 {
		t.Fatalf("Tick at the handshake = %v, %v", p, err)
	}
	if d, _ := s.NextDeadline(); !d.Equal(epoch.Add(PingTimeout)) {
		t.Fatalf("deadline with a ping in flight %v", d)
	}
	if p, err := s.Tick(epoch.Add(PingTimeout - time.Nanosecond)); p != nil || err != nil {
		t.Fatalf("Tick before the timeout = %v, %v", p, err)
	}
	// The pong clears the ping; the next is due 30 s after the first.
	s.pingID = 0 // as handled by Receive, tested in TestSessionReceive
	if d, _ := s.NextDeadline(); !d.Equal(epoch.Add(PingInterval)) {
		t.Fatalf("deadline after the pong %v", d)
	}
	if p, err := s.Tick(epoch.Add(PingInterval - time.Nanosecond)); p != nil || err != nil {
		t.Fatalf("Tick before the interval = %v, %v", p, err)
	}
	at := epoch.Add(PingInterval)
	if p, err := s.Tick(at); err != nil || p == nil {
		t.Fatalf("Tick at the interval = %v, %v", p, err)
	}
	if _, err := s.Tick(at.Add(PingTimeout)); !errors.Is(err, ErrPingTimeout) {
		t.Fatalf("Tick at the timeout = %v", err)
	}
}

func TestSessionReceive(t *testing.T) {
	s, relaySend, _ := establishedSession(t)
	peer, other := key.PublicKey{0xaa}, key.PublicKey{0xbb}
	recv := func(p Packet) (Event, Packet) {
		t.Helper()
		b, err := p.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		ev, reply, err := s.Receive(sealBody(t, relaySend, b))
		if err != nil {
			t.Fatalf("Receive(%T): %v", p, err)
		}
		return ev, reply
	}
	steps := []struct {
		in      Packet
		ev      Event
		ignored uint64
	}{
		{&ConnectNotification{ConnID: 16}, nil, 1}, // not routed yet
		{&RoutingResponse{ConnID: 16, PK: peer}, Routed{16, peer}, 1},
		{&RoutingResponse{ConnID: 16, PK: peer}, Routed{16, peer}, 1},    // repeated request
		{&RoutingResponse{ConnID: 16, PK: other}, nil, 2},                // id taken by peer
		{&RoutingResponse{ConnID: 3, PK: other}, RouteRefused{other}, 2}, // under 16: refused
		{&DisconnectNotification{ConnID: 16}, nil, 3},                    // not online
		{&ConnectNotification{ConnID: 16}, PeerOnline{16, peer}, 3},
		{&ConnectNotification{ConnID: 16}, nil, 4},
		{&DisconnectNotification{ConnID: 16}, PeerOffline{16, peer}, 4},
		{&ConnectNotification{ConnID: 16}, PeerOnline{16, peer}, 4},
		{&Data{ConnID: 17, Payload: []byte{1}}, nil, 5}, // unknown id
	}
	for i, st := range steps {
		ev, reply := recv(st.in)
		if ev != st.ev || reply != nil || s.Ignored() != st.ignored {
			t.Fatalf("step %d (%T): event %+v reply %v ignored %d; want %+v, ignored %d", i, st.in, ev, reply, s.Ignored(), st.ev, st.ignored)
		}
	}
	ev, _ := recv(&Data{ConnID: 16, Payload: []byte("x")})
	if got, ok := ev.(Received); !ok || got.PK != peer || string(got.Data) != "x" {
		t.Fatalf("data event %+v", ev)
	}
	if _, reply := recv(&Ping{ID: 77}); reply == nil || *reply.(*Pong) != (Pong{ID: 77}) {
		t.Fatalf("ping reply %+v", reply)
	}
	ping, err := s.Tick(epoch)
	if err != nil {
		t.Fatal(err)
	}
	recv(&Pong{ID: ping.(*Ping).ID})
	if s.pingID != 0 {
		t.Fatal("the pong did not clear the ping")
	}
}

func TestSessionSealChecks(t *testing.T) {
	s, relaySend, relayRecv := establishedSession(t)
	peer := key.PublicKey{0xaa}
	for _, p := range []Packet{&RoutingResponse{ConnID: 16}, &OOBRecv{Data: []byte{1}}, &OnionResponse{Packet: []byte{1}}, &ConnectNotification{ConnID: 16}} {
		if _, err := s.Seal(nil, p); !errors.Is(err, ErrNotClientPacket) {
			t.Errorf("Seal(%T) = %v, want ErrNotClientPacket", p, err)
		}
	}
	if _, err := s.Seal(nil, &Data{ConnID: 16, Payload: []byte{1}}); !errors.Is(err, ErrNotOnline) {
		t.Fatalf("data to a free id: %v", err)
	}
	if _, err := s.Seal(nil, &DisconnectNotification{ConnID: 16}); !errors.Is(err, ErrUnknownConn) {
		t.Fatalf("disconnect of a free id: %v", err)
	}
	for _, p := range []Packet{&RoutingResponse{ConnID: 16, PK: peer}, &ConnectNotification{ConnID: 16}} {
		b, err := p.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Receive(sealBody(t, relaySend, b)); err != nil {
			t.Fatal(err)
		}
	}
	before := relayRecv.Nonce()
	frame, err := s.Seal(nil, &Data{ConnID: 16, Payload: []byte("hi")})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := openFrame(t, relayRecv, frame).(*Data); !ok || string(d.Payload) != "hi" {
		t.Fatalf("relay opened %+v", d)
	}
	// A failed Seal uses no nonce: the next frame still opens.
	if _, err := s.Seal(nil, &Data{ConnID: 16}); !errors.Is(err, wire.ErrShort) {
		t.Fatalf("empty data: %v", err)
	}
	frame, err = s.Seal(frame[:0], &DisconnectNotification{ConnID: 16})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := openFrame(t, relayRecv, frame).(*DisconnectNotification); !ok || d.ConnID != 16 {
		t.Fatalf("relay opened %+v", d)
	}
	want := before
	want.Add(2)
	if relayRecv.Nonce() != want {
		t.Fatal("two frames did not use two nonces")
	}
	if _, err := s.Seal(nil, &Data{ConnID: 16, Payload: []byte{1}}); !errors.Is(err, ErrNotOnline) {
		t.Fatalf("data after our disconnect: %v", err)
	}
}

// The frame layout, checked with nacl/secretbox directly: length BE |
// MAC | ciphertext, nonce incremented big-endian after every frame.
func TestCipherFrames(t *testing.T) {
	k := codectest.Fill[[32]byte](0x0a)
	base := codectest.Fill[key.Nonce](0x0b)
	base[23] = 0xff // the increment carries
	c := NewCipher(k, base)
	plain := []byte{4, 1, 2, 3, 4, 5, 6, 7, 8}
	var stream []byte
	for range 3 {
		var err error
		if stream, err = c.SealFrame(stream, plain); err != nil {
			t.Fatal(err)
		}
	}
	n := base
	for i := range 3 {
		size := int(stream[0])<<8 | int(stream[1])
		if size != len(plain)+16 {
			t.Fatalf("frame %d length %d", i, size)
		}
		got, ok := secretbox.Open(nil, stream[2:2+size], (*[24]byte)(&n), &k)
		if !ok || !bytes.Equal(got, plain) {
			t.Fatalf("frame %d does not open with nonce %x", i, n)
		}
		if i == 0 { // computed with libsodium crypto_box_easy_afternm
			const want = "0019" + "f1516102d31ee153d2de08145dc28df8" + "5ebdc547ad5b2ef9a2"
			if got := hexOf(stream[:2+size]); got != want {
				t.Fatalf("first frame\n got %s\nwant %s", got, want)
			}
		}
		stream = stream[2+size:]
		n.Increment()
	}
	if c.Nonce() != n {
		t.Fatalf("nonce after three frames %x, want %x", c.Nonce(), n)
	}
	if n[23] != 0x02 || n[22] != 0x0c {
		t.Fatalf("increment did not carry: %x", n)
	}

	// Opening: in order only, and a failure does not move the nonce.
	seal, open := NewCipher(k, base), NewCipher(k, base)
	f1, err := seal.SealFrame(nil, []byte{1, 1})
	if err != nil {
		t.Fatal(err)
	}
	f2, err := seal.SealFrame(nil, []byte{2, 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := open.OpenFrame(nil, f2[2:]); !errors.Is(err, wire.ErrDecrypt) {
		t.Fatalf("out-of-order frame: %v", err)
	}
	for _, f := range [][]byte{f1, f2} {
		if _, err := open.OpenFrame(nil, f[2:]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := open.OpenFrame(nil, make([]byte, 15)); !errors.Is(err, wire.ErrShort) {
		t.Fatalf("15-byte frame: %v", err)
	}
	if _, err := seal.SealFrame(nil, make([]byte, MaxPlainSize+1)); !errors.Is(err, wire.ErrLong) {
		t.Fatalf("oversized plain: %v", err)
	}
}

func seqNonce(start byte) key.Nonce {
	var n key.Nonce
	for i := range n {
		n[i] = start + byte(i)
	}
	return n
}

func hexOf(b []byte) string { return hex.EncodeToString(b) }

// keyOf is the relay's static key for a client: beforenm(client pk, relay sk).
func keyOf(t testing.TB, relay key.Pair, client key.PublicKey) crypto.SharedKey {
	t.Helper()
	return crypto.Precompute(&client, &relay.Secret)
}
