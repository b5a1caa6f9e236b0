// Package tcprelay owns the client side of Tox TCP relays: the handshake,
// the encrypted length-prefixed frames, the inner relay packets, a sans-IO
// Session state machine and Client, the goroutines that run one relay
// connection (tox-protocol.md §9; c-toxcore 0.2.18 TCP_client.c,
// TCP_server.c, TCP_common.h).
//
// # Byte layout
//
// The client connects with its DHT key pair. Handshake, in clear on the TCP
// stream (sbox(k, N, m) is secretbox, a 16-byte MAC in front):
//
//	client → relay  our DHT pk(32) | N(24) | sbox(beforenm(relay pk, our sk), N, temp pk(32) | base nonce(24))   128 bytes
//	relay → client  N(24) | sbox(same key, N, relay temp pk(32) | relay base nonce(24))                            96 bytes
//
// The session key is beforenm(relay temp pk, our temp sk). Each side then
// sends frames
//
//	length(2, BE) | sbox(session key, nonce, plain)
//
// where length counts the sealed bytes (16..2048, MAX_PACKET_SIZE) and the
// nonce starts at the sender's base nonce and is incremented (as one
// big-endian 192-bit number) after every frame, separately per direction.
// A frame that does not open, or a length above 2048, ends the connection.
//
// The plain packets (first byte = PacketID):
//
//	0 routing request       0 | pk(32)                    client → relay
//	1 routing response      1 | conn id(1) | pk(32)       id 0 = refused, else 16..255
//	2 connect notification  2 | conn id(1)                the peer is on this relay too
//	3 disconnect notif.     3 | conn id(1)                either direction
//	4 ping                  4 | ping id(8)                either direction, id ≠ 0
//	5 pong                  5 | ping id(8)                echoes the ping's 8 bytes
//	6 OOB send              6 | dest pk(32) | data(1..1024)
//	7 OOB recv              7 | sender pk(32) | data(1..)
//	8 onion request         8 | nonce(24) | onion packet without its first hop
//	9 onion response        9 | onion response packet (0x84, 0x86...)
//	16..255 data            conn id | data(1..2031)
//
// 10 and 11 (forward request, forwarding) are not spoken; 11 from a relay
// is ignored, as are unknown connection ids. Like c-toxcore, every plain
// packet is at least 2 bytes, and a packet a client must never receive
// (0, 6, 8, 10, 12..15) ends the connection.
//
// # Timers (§9)
//
// The handshake must finish within 10 s (TCP_CONNECTION_TIMEOUT). The
// client pings as soon as the handshake completes (that first frame is
// what makes the relay accept the connection) and every 30 s after
// (TCP_PING_FREQUENCY); a ping not answered within 10 s (TCP_PING_TIMEOUT)
// closes the connection. Pings from the relay are answered at once.
//
// The writer paces itself: at most Config.MaxBurst bytes (DefaultMaxBurst,
// 16 KiB) per PaceInterval (30 ms, tox-bootstrapd's main-loop sleep).
// Debian's tox-bootstrapd is built without epoll, reads a socket only when
// a whole frame is buffered, and wedges the connection for good when more
// than its receive buffer arrives between two of its passes (measured;
// see DefaultMaxBurst). The same relay never notices a client that just
// closes its socket until its next ping times out, so Close sends
// disconnect notifications first.
//
// # Shape
//
// The codecs (HandshakePlain, ClientHandshake, ServerHandshake, Frame and
// the packets) are pure Append/Parse pairs; Cipher is the per-direction
// secretbox with its incrementing nonce. Session is the state machine for
// one connection: it takes `now`, returns what to send, and is not safe
// for concurrent use.
//
// Client runs one Session. Parley's rule is that only net/transport
// touches sockets; the relay's TCP connection is the exception this package
// makes explicit: the socket is opened by a Dialer the caller injects
// (Config.Dial, by default a net.Dialer), and Client only reads and writes
// the net.Conn it is handed. Per connection it runs three goroutines: a
// reader (frames in), a writer (frames out, from a bounded queue, batched
// into one write) and the loop that owns the Session, the timers
// (clock.Clock) and the event queue. All three exit on Close, when the
// Dial context is cancelled, or when the connection fails; Done is closed
// once they have. Close (and the context) end gracefully: a disconnect
// notification for every id held, flushed for at most CloseFlushTimeout.
package tcprelay
