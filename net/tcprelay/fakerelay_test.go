package tcprelay

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"parley/net/clock"
	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// fakeRelay is the relay side of the protocol, written from the spec for
// the unit tests (tox-protocol.md §9): it accepts connections over
// net.Pipe, checks the client's handshake, and hands each established
// connection to the test as a relayConn.
type fakeRelay struct {
	keys key.Pair
	// replyKey, when set, seals the handshake reply with the wrong key.
	replyKey *key.Pair
	// noReply: read the client's hello, then hold the connection silent.
	noReply bool
	// hangUp: read the hello and close.
	hangUp bool
	// manual: after the handshake, do not read the client's frames.
	manual bool
	hellos chan ClientHandshake
	conns  chan *relayConn
}

func newFakeRelay(t testing.TB) *fakeRelay {
	t.Helper()
	kp, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &fakeRelay{keys: kp, hellos: make(chan ClientHandshake, 4), conns: make(chan *relayConn, 4)}
}

func (r *fakeRelay) node() wire.Node {
	return wire.Node{PK: r.keys.Public, Addr: netip.MustParseAddrPort("192.0.2.1:33445"), TCP: true}
}

// dial is a Dialer handing the client one end of a net.Pipe.
func (r *fakeRelay) dial(ctx context.Context, addr netip.AddrPort) (net.Conn, error) {
	client, server := net.Pipe()
	go r.serve(server)
	return client, nil
}

// config returns a client Config for this relay with a fresh key pair.
func (r *fakeRelay) config(t testing.TB, clk clock.Clock) Config {
	t.Helper()
	self, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	return Config{Self: self, Relay: r.node(), Dial: r.dial, Clock: clk}
}

func (r *fakeRelay) serve(conn net.Conn) {
	var buf [ClientHandshakeSize]byte
	if _, err := io.ReadFull(conn, buf[:]); err != nil {
		conn.Close()
		return
	}
	hello, err := ParseClientHandshake(buf[:])
	if err != nil {
		conn.Close()
		return
	}
	r.hellos <- hello
	if r.hangUp {
		conn.Close()
		return
	}
	if r.noReply {
		io.Copy(io.Discard, conn) // until the client closes
		conn.Close()
		return
	}
	rb, rc, err := r.answer(conn, hello)
	if err != nil {
		conn.Close()
		return
	}
	if _, err := conn.Write(rb); err != nil {
		conn.Close()
		return
	}
	r.conns <- rc
	if r.manual {
		return // the test reads rc.conn itself, or not at all
	}
	rc.readLoop()
}

// answer checks the client's hello and builds the relay's reply and the
// connection state.
func (r *fakeRelay) answer(conn net.Conn, hello ClientHandshake) ([]byte, *relayConn, error) {
	rb, send, recv, err := relayHandshake(r.keys, r.replyKey, hello)
	if err != nil {
		return nil, nil, err
	}
	return rb, &relayConn{
		conn: conn, peer: hello.PK, send: send, recv: recv,
		pkts: make(chan Packet, 4096), nonces: make(chan key.Nonce, 4096), done: make(chan struct{}),
	}, nil
}

// relayHandshake is the relay's half of the handshake: it opens the
// client's hello with the relay's key and returns the reply (sealed with
// sealWith's key instead when it is set) and the relay's two ciphers.
func relayHandshake(relay key.Pair, sealWith *key.Pair, hello ClientHandshake) (reply []byte, send, recv *Cipher, err error) {
	static := crypto.Precompute(&hello.PK, &relay.Secret)
	pb, err := crypto.OpenShared(nil, hello.Sealed[:], &hello.Nonce, &static)
	if err != nil {
		return nil, nil, nil, err
	}
	theirs, err := ParseHandshakePlain(pb)
	if err != nil {
		return nil, nil, nil, err
	}
	temp, err := key.NewPair(nil)
	if err != nil {
		return nil, nil, nil, err
	}
	mine := HandshakePlain{TempPK: temp.Public}
	if mine.BaseNonce, err = key.RandomNonce(nil); err != nil {
		return nil, nil, nil, err
	}
	mb, err := mine.AppendBinary(nil)
	if err != nil {
		return nil, nil, nil, err
	}
	var sh ServerHandshake
	if sh.Nonce, err = key.RandomNonce(nil); err != nil {
		return nil, nil, nil, err
	}
	sealKey := static
	if sealWith != nil {
		sealKey = crypto.Precompute(&hello.PK, &sealWith.Secret)
	}
	copy(sh.Sealed[:], crypto.SealShared(nil, mb, &sh.Nonce, &sealKey))
	if reply, err = sh.AppendBinary(nil); err != nil {
		return nil, nil, nil, err
	}
	session := crypto.Precompute(&theirs.TempPK, &temp.Secret)
	return reply, NewCipher(session, mine.BaseNonce), NewCipher(session, theirs.BaseNonce), nil
}

// relayConn is one established connection as the relay sees it.
type relayConn struct {
	conn       net.Conn
	peer       key.PublicKey
	send, recv *Cipher // send is used by the test goroutine only
	pkts       chan Packet
	nonces     chan key.Nonce // the nonce each packet in pkts was opened with
	done       chan struct{}
	err        error // why readLoop ended; set before done closes
}

func (rc *relayConn) readLoop() {
	defer close(rc.done)
	defer rc.conn.Close()
	var hdr [FrameHeaderSize]byte
	for {
		if _, err := io.ReadFull(rc.conn, hdr[:]); err != nil {
			rc.err = err
			return
		}
		n, err := ParseFrameHeader(hdr[:])
		if err != nil {
			rc.err = err
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(rc.conn, body); err != nil {
			rc.err = err
			return
		}
		nonce := rc.recv.Nonce()
		plain, err := rc.recv.OpenFrame(nil, body)
		if err != nil {
			rc.err = err
			return
		}
		p, err := ParsePacket(plain)
		if err != nil {
			rc.err = err
			return
		}
		rc.nonces <- nonce
		rc.pkts <- p
	}
}

// write seals and sends one packet to the client.
func (rc *relayConn) write(t testing.TB, p Packet) {
	t.Helper()
	plain, err := p.AppendBinary(nil)
	if err != nil {
		t.Fatalf("relay: append %v: %v", p.PacketID(), err)
	}
	rc.writePlain(t, plain)
}

// writePlain seals and sends plain bytes as they are.
func (rc *relayConn) writePlain(t testing.TB, plain []byte) {
	t.Helper()
	frame, err := rc.send.SealFrame(nil, plain)
	if err != nil {
		t.Fatalf("relay: seal: %v", err)
	}
	rc.writeRaw(t, frame)
}

func (rc *relayConn) writeRaw(t testing.TB, b []byte) {
	t.Helper()
	if _, err := rc.conn.Write(b); err != nil {
		t.Fatalf("relay: write: %v", err)
	}
}

// next returns the client's next packet that is not a ping, answering
// pings when pong is set.
func (rc *relayConn) next(t testing.TB, pong bool) Packet {
	t.Helper()
	for {
		p := rc.nextAny(t)
		if ping, ok := p.(*Ping); ok {
			if pong {
				rc.write(t, &Pong{ID: ping.ID})
			}
			continue
		}
		return p
	}
}

func (rc *relayConn) nextAny(t testing.TB) Packet {
	t.Helper()
	select {
	case p := <-rc.pkts:
		return p
	case <-rc.done:
		select {
		case p := <-rc.pkts:
			return p
		default:
		}
		t.Fatalf("relay: connection ended: %v", rc.err)
	case <-time.After(10 * time.Second):
		t.Fatal("relay: no packet from the client within 10 s")
	}
	return nil
}

// expectPing takes the next packet and checks that it is a ping.
func (rc *relayConn) expectPing(t testing.TB) *Ping {
	t.Helper()
	p := rc.nextAny(t)
	ping, ok := p.(*Ping)
	if !ok {
		t.Fatalf("relay: got %T, want a ping", p)
	}
	return ping
}

func (r *fakeRelay) accept(t testing.TB) *relayConn {
	t.Helper()
	select {
	case rc := <-r.conns:
		return rc
	case <-time.After(10 * time.Second):
		t.Fatal("relay: no connection within 10 s")
	}
	return nil
}

// dialRelay connects a client to r and returns both ends; the relay has
// taken (and answered) the client's first ping.
func dialRelay(t testing.TB, r *fakeRelay, cfg Config) (*Client, *relayConn) {
	t.Helper()
	c, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	rc := r.accept(t)
	ping := rc.expectPing(t)
	rc.write(t, &Pong{ID: ping.ID})
	return c, rc
}

// nextEvent returns the client's next event within 10 s.
func nextEvent(t testing.TB, c *Client) Event {
	t.Helper()
	select {
	case ev, ok := <-c.Events():
		if !ok {
			t.Fatalf("events closed: %v", c.Err())
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return nil
}

// waitDone waits for the client to end and returns its error.
func waitDone(t testing.TB, c *Client) error {
	t.Helper()
	select {
	case <-c.Done():
		return c.Err()
	case <-time.After(10 * time.Second):
		t.Fatal("client did not end within 10 s")
	}
	return nil
}

func mustErrIs(t testing.TB, err error, targets ...error) {
	t.Helper()
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("error %v is not %v", err, target)
		}
	}
}
