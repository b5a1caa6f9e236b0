package session

import (
	"fmt"
	"io"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
)

// Config configures a Manager. Send is required; every callback is
// optional.
//
// Callbacks run synchronously inside HandlePacket, Tick, Connect, Kill or
// Close, on the owner goroutine. They may call any Conn method (SendLossless
// from OnLossless, Kill from OnState...) and Connect, but must not call
// HandlePacket, Tick or Close. Slices they receive are only valid until
// they return.
type Config struct {
	// Self is our long-term key pair (handshakes are boxed with it).
	Self key.Pair
	// DHT is our DHT key pair, random at every start (§1); cookie requests
	// and responses are sealed with it.
	DHT key.Pair
	// SharedKey, if set, returns beforenm(pk, our DHT sk), e.g. from the
	// DHT's cache (dht.DHT.SharedKey); otherwise the Manager keeps its own.
	SharedKey func(now time.Time, pk key.PublicKey) crypto.SharedKey
	// Send transmits one UDP datagram and must not block. pkt is freshly
	// allocated for each call and never touched again, so Send may keep it.
	Send func(dst netip.AddrPort, pkt []byte)
	// SendTCP, if set, sends pkt through a TCP relay to the peer whose DHT
	// key is peerDHT (routed data when the peer is online on a relay we
	// share, out-of-band otherwise; tox-protocol.md §9) and reports
	// whether any relay path was tried. It must not block and may keep
	// pkt. A connection uses it while no direct UDP address is alive
	// (see tcp.go); nil means UDP only.
	SendTCP func(peerDHT key.PublicKey, pkt []byte) bool
	// Rand supplies keys, nonces and echo ids; nil means crypto/rand.
	Rand io.Reader
	// Logf, if set, receives rare diagnostic lines (never one per packet).
	Logf func(format string, args ...any)

	// Accept decides whether an unsolicited handshake from this long-term
	// key starts a connection (c-toxcore: the key is a friend's). nil
	// accepts none: only connections we initiate are made.
	Accept func(peer key.PublicKey) bool

	// IdleTimeout, if positive, kills an established connection that has
	// received nothing for that long. c-toxcore has none (friend_connection
	// times out after 32 s without its ALIVE packets, §7), so the default
	// 0 leaves liveness to the layer above; request packets go out at
	// least every second, so anything over a few seconds is safe.
	IdleTimeout time.Duration
	// RecvWindow bounds how many lossless packets ahead of our
	// buffer_start we store (memory per connection); 0 means
	// DefaultRecvWindow, and it is capped at RingSize.
	RecvWindow int

	// OnState reports every state change of a connection: accepted
	// connections start with StateNotConfirmed, and StateClosed is last
	// (Conn.Err says why). Connections made by Connect start silently in
	// StateCookieRequesting.
	OnState func(c *Conn, s State)
	// OnLossless delivers lossless packets (id + payload, id 16..191) in
	// order, each exactly once.
	OnLossless func(c *Conn, data []byte)
	// OnLossy delivers lossy packets (id 192..254) as they arrive.
	OnLossy func(c *Conn, data []byte)
	// OnAcked reports, in order and once each, every packet number that
	// SendLossless returned once the peer's buffer_start has passed it:
	// the peer has received it and every earlier one (Messenger's
	// delivery receipts, §7).
	OnAcked func(c *Conn, n uint32)
	// OnDHTKey reports the peer DHT key a handshake revealed, for an
	// accepted connection (also one that replaced an older connection of
	// the same peer), before its first OnState.
	OnDHTKey func(c *Conn, dhtPK key.PublicKey)
}

// State is a connection's position in the net_crypto state machine (§6.3).
type State uint8

// States, in order. StateNone is the zero value and never observed on a
// live connection.
const (
	StateNone State = iota
	// StateCookieRequesting: we initiated and send a cookie request every
	// second.
	StateCookieRequesting
	// StateHandshakeSent: we got a cookie and send our handshake every
	// second.
	StateHandshakeSent
	// StateNotConfirmed: both handshakes are known and the session key is
	// set; we wait for the first valid data packet.
	StateNotConfirmed
	// StateEstablished: data flows.
	StateEstablished
	// StateClosed: killed, timed out or replaced; the Conn is dead.
	StateClosed
)

var stateNames = [...]string{"none", "cookie-requesting", "handshake-sent", "not-confirmed", "established", "closed"}

// String names the state.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state-%d", uint8(s))
}

// Stats counts a Manager's traffic outside any connection.
type Stats struct {
	CookieRequestsIn  uint64 // valid cookie requests answered
	CookieResponsesIn uint64 // valid cookie responses taken
	HandshakesIn      uint64 // valid handshakes taken
	Accepted          uint64 // connections started by a peer's handshake
	Replaced          uint64 // connections replaced by one with a new DHT key
}

// ConnStats counts one connection's traffic.
type ConnStats struct {
	PacketsOut   uint64 // data packets sent, every kind
	PacketsIn    uint64 // data packets authenticated
	LosslessOut  uint64 // SendLossless calls that queued a packet
	Resent       uint64 // lossless packets sent again on request
	RequestsOut  uint64
	RequestsIn   uint64
	Delivered    uint64 // lossless packets handed to OnLossless
	LossyIn      uint64
	BadMAC       uint64 // data packets that failed authentication
	Replays      uint64 // authenticated data packets with a used nonce
	Duplicates   uint64 // lossless numbers already received
	RTT          time.Duration
	MinRTT       time.Duration
	Window       int    // congestion window, packets
	InFlight     uint32 // send ring span: sent, not yet passed by buffer_start
	RecvBuffered uint32 // receive ring span: buffer_end - buffer_start
}
