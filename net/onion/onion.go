package onion

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// Config configures an Onion. Self, DHT, Send, Closest and PathNodes are
// required unless DisableClient is set (then Self and PathNodes may be
// zero).
type Config struct {
	// Self is the long-term key pair: we announce ourselves with it and
	// friends' onion data is boxed to it.
	Self key.Pair
	// DHT is our DHT key pair: hop A of our paths sees its public key, and
	// the relay and announce server use its secret key.
	DHT key.Pair
	// Send puts a datagram on the socket. It may keep pkt: every packet is
	// a fresh allocation.
	Send func(dst netip.AddrPort, pkt []byte)
	// Rand is the randomness source (nil: crypto/rand).
	Rand io.Reader
	// Logf logs notable events (nil: silent).
	Logf func(format string, args ...any)
	// SharedKey, when set, returns beforenm(pk, DHT.Secret) from the DHT's
	// cache; it is used for keys of DHT nodes (relay hop 1, our hop A).
	// When nil the Onion keeps its own cache.
	SharedKey func(now time.Time, pk key.PublicKey) crypto.SharedKey
	// Closest returns up to max good DHT nodes closest to target; LAN nodes
	// only when requesterIsLAN. The announce server answers with them and
	// the client seeds its announce and search lists with them.
	Closest func(target key.PublicKey, max int, requesterIsLAN bool) []wire.Node
	// PathNodes returns candidate path nodes: a few random good DHT nodes
	// (c-toxcore uses up to 8 from its fake friends' lists) and the
	// bootstrap nodes. Each tick up to 8 of them join the client's ring of
	// 32 path nodes; until the ring has any, paths and first announces are
	// drawn from PathNodes directly. TCP nodes are ignored.
	PathNodes func(now time.Time) []wire.Node
	// DisableClient turns off the client (a bootstrap node only relays and
	// serves announces).
	DisableClient bool
	// SendTCP, when set, puts every client path on a TCP relay
	// (tox-protocol.md §9: the node runs without UDP): the relay is the
	// path's first hop, so the client builds the packet without the layer
	// hop A would peel (c-toxcore create_onion_packet_tcp) and hands nonce
	// and payload (IP_Port of hop B | hop B's pk | sbox for hop B) to
	// SendTCP, which reports whether a relay took it. Responses come back
	// through HandleTCPResponse.
	SendTCP func(nonce key.Nonce, payload []byte) bool
	// ConnectedTicks is how many consecutive 1 s ticks the "onion
	// connected" rule must hold before Connected reports true (default 3,
	// c-toxcore's ONION_CONNECTION_SECONDS).
	ConnectedTicks int
}

// Onion is a node's whole onion: relay, announce server and client. It is
// not safe for concurrent use.
type Onion struct {
	cfg    Config
	rand   io.Reader
	relay  relay
	server server
	client *client
	events []Event
	stats  Stats
}

// New returns an Onion. It draws the relay's symmetric key, the announce
// server's HMAC key and the client's data key pair from cfg.Rand.
func New(cfg Config) (*Onion, error) {
	if cfg.Send == nil {
		return nil, errors.New("onion: Config.Send is required")
	}
	if cfg.Closest == nil {
		cfg.Closest = func(key.PublicKey, int, bool) []wire.Node { return nil }
	}
	if cfg.PathNodes == nil {
		if !cfg.DisableClient {
			return nil, errors.New("onion: Config.PathNodes is required for the client")
		}
		cfg.PathNodes = func(time.Time) []wire.Node { return nil }
	}
	if cfg.ConnectedTicks <= 0 {
		cfg.ConnectedTicks = connectionTicks
	}
	o := &Onion{cfg: cfg, rand: cfg.Rand}
	if o.rand == nil {
		o.rand = rand.Reader
	}
	if err := o.relay.init(o); err != nil {
		return nil, err
	}
	if err := o.server.init(o); err != nil {
		return nil, err
	}
	if !cfg.DisableClient {
		c, err := newClient(o)
		if err != nil {
			return nil, err
		}
		o.client = c
	}
	return o, nil
}

// HandlePacket handles one datagram of kind 0x80-0x86 or 0x8c-0x8e. The
// error says why a packet was dropped; it wraps a wire sentinel or one of
// this package's errors.
func (o *Onion) HandlePacket(now time.Time, src netip.AddrPort, pkt []byte) error {
	if len(pkt) == 0 {
		return fmt.Errorf("%w: empty packet", wire.ErrShort)
	}
	if len(pkt) > wire.MaxUDPPacketSize {
		return fmt.Errorf("%w: %d-byte packet", wire.ErrLong, len(pkt))
	}
	src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
	switch k := wire.Kind(pkt[0]); k {
	case wire.KindOnionSendInitial, wire.KindOnionSend1, wire.KindOnionSend2:
		return o.relay.handleRequest(now, src, pkt)
	case wire.KindOnionRecv3, wire.KindOnionRecv2, wire.KindOnionRecv1:
		return o.relay.handleResponse(now, src, pkt)
	case wire.KindAnnounceRequest:
		return o.server.handleAnnounce(now, src, pkt)
	case wire.KindOnionDataRequest:
		return o.server.handleData(now, src, pkt)
	case wire.KindAnnounceResponse:
		if o.client == nil {
			return ErrDisabled
		}
		return o.client.handleAnnounceResponse(now, src, pkt)
	case wire.KindOnionDataResponse:
		if o.client == nil {
			return ErrDisabled
		}
		return o.client.handleDataResponse(now, pkt)
	default:
		return fmt.Errorf("%w: %v is not an onion packet", wire.ErrKind, k)
	}
}

// HandleTCPResponse handles an onion response a TCP relay passed back to
// us (an announce response 0x84 or onion data 0x86: what a UDP 0x8e
// carries to hop A's sender); relay is the relay's address. Anything else
// is refused: a relay cannot make us relay or serve.
func (o *Onion) HandleTCPResponse(now time.Time, relay netip.AddrPort, pkt []byte) error {
	if len(pkt) == 0 {
		return fmt.Errorf("%w: empty packet", wire.ErrShort)
	}
	switch k := wire.Kind(pkt[0]); k {
	case wire.KindAnnounceResponse, wire.KindOnionDataResponse:
		return o.HandlePacket(now, relay, pkt)
	default:
		return fmt.Errorf("%w: %v from a TCP relay", wire.ErrKind, k)
	}
}

// Tick runs the timers: key rotation, announcing, friend search, path and
// node timeouts. Call it at least once a second; it does its work at most
// once a second.
func (o *Onion) Tick(now time.Time) {
	o.relay.rotate(now)
	o.server.store.expire(now)
	if o.client != nil {
		o.client.tick(now)
	}
}

// Events returns the events since the last call and forgets them.
func (o *Onion) Events() []Event {
	ev := o.events
	o.events = nil
	return ev
}

func (o *Onion) emit(e Event) { o.events = append(o.events, e) }

// Connected reports the "onion connected" state (tox-protocol.md §5.3):
// announced to at least half of our live announce nodes, heard from one
// within 75 s, for ConnectedTicks consecutive ticks.
func (o *Onion) Connected(now time.Time) bool {
	return o.client != nil && o.client.connected(now)
}

// Stats returns counters and gauges.
func (o *Onion) Stats() Stats {
	s := o.stats
	s.Stored = o.server.store.len()
	if o.client != nil {
		o.client.fillStats(&s)
	}
	return s
}

// Stats are the onion's counters (cumulative) and gauges (current).
type Stats struct {
	Relayed       uint64 // onion requests forwarded (0x80-0x82)
	Returned      uint64 // onion responses passed back (0x8c-0x8e)
	Announces     uint64 // announce requests answered
	DataForwarded uint64 // data requests forwarded to an announced key
	SentAnnounces uint64 // announce requests the client sent
	SentData      uint64 // onion data packets the client sent
	Received      uint64 // onion data payloads the client accepted

	Stored         int  // live entries in the announce store
	AnnounceNodes  int  // live nodes in our announce list
	AnnouncedNodes int  // of which we are stored at
	PathNodes      int  // known path nodes
	Friends        int  // friends searched for
	Connected      bool // onion connected
}

func (o *Onion) logf(format string, args ...any) {
	if o.cfg.Logf != nil {
		o.cfg.Logf("onion: "+format, args...)
	}
}

func (o *Onion) send(dst netip.AddrPort, pkt []byte) { o.cfg.Send(dst, pkt) }

// readRand fills b from the randomness source.
func (o *Onion) readRand(b []byte) error {
	if _, err := io.ReadFull(o.rand, b); err != nil {
		return fmt.Errorf("onion: reading randomness: %w", err)
	}
	return nil
}

func (o *Onion) nonce() (key.Nonce, error) { return key.RandomNonce(o.rand) }

func (o *Onion) newPair() (key.Pair, error) { return key.NewPair(o.rand) }

// randN returns a random int in [0, n), n > 0.
func (o *Onion) randN(n int) (int, error) {
	var b [8]byte
	if err := o.readRand(b[:]); err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint64(b[:]) % uint64(n)), nil
}

// dhtShared returns beforenm(pk, our DHT sk) for a DHT node's key.
func (o *Onion) dhtShared(now time.Time, pk key.PublicKey) crypto.SharedKey {
	if o.cfg.SharedKey != nil {
		return o.cfg.SharedKey(now, pk)
	}
	return o.relay.keys[0].Get(now, &pk)
}

// expired reports whether more than d passed since t; the zero time is
// always expired (c-toxcore's mono_time_is_timeout with a zero timestamp).
func expired(now, t time.Time, d time.Duration) bool {
	return t.IsZero() || now.Sub(t) > d
}
