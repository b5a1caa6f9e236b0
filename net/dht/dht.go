package dht

import (
	"io"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// Config configures a DHT.
type Config struct {
	// Keys is this node's DHT key pair, random at every start (§1).
	Keys key.Pair
	// Send transmits one UDP datagram. It must not block. pkt is freshly
	// allocated for each call and never touched again by the DHT, so Send
	// may keep it.
	Send func(dst netip.AddrPort, pkt []byte)
	// Rand supplies nonces, ping ids and random choices; nil means
	// crypto/rand. Tests and simulations pass a seeded reader.
	Rand io.Reader
	// Logf, if set, receives rare diagnostic lines (never one per packet).
	Logf func(format string, args ...any)
	// LANDiscovery makes the DHT answer 0x21 from LAN sources by
	// bootstrapping off them (§4.3).
	LANDiscovery bool
	// NodeSeen, if set, is called for every usable node listed in a valid
	// send-nodes reply (c-toxcore's get_nodes_response callback, which the
	// onion uses to collect path nodes).
	NodeSeen func(now time.Time, n wire.Node)
	// DisableHolePunching stops the port guessing of §4.2 (c-toxcore's
	// hole_punching_enabled = false). NAT pings are still answered.
	DisableHolePunching bool
}

// DHT is Parley's DHT state machine. It is not safe for concurrent use.
type DHT struct {
	cfg   Config
	self  key.PublicKey
	rng   *rng
	keys  *crypto.SharedKeys
	epoch time.Time
	now   stamp // the latest time any method was given

	close       [BucketCount]*bucket
	closeLastGN stamp // close_lastgetnodes
	closeBoots  int   // close_bootstrap_times
	toBootstrap []wire.Node

	friends []*friend // the FakeFriends fake friends first

	toPing     []wire.Node
	lastToPing stamp

	pending   pendingTable
	handlers  [256]RequestHandler
	natCustom bool // HandleRequest replaced the built-in NAT ping handler

	refSeq uint64 // AddFriend registrations

	lookups    []*lookup
	lookupSeq  uint32
	lastDo     stamp // when do_dht last ran
	due        stamp // when do_dht next has work (never before lastDo+1s)
	lookupsDue stamp // earliest lookup deadline, 0 if none

	stats Stats
}

// bucket is one close-list bucket, allocated when first used.
type bucket [BucketSize]client

// RequestHandler handles the data of a 0x20 request addressed to us. data
// belongs to the handler.
type RequestHandler func(now time.Time, src netip.AddrPort, sender key.PublicKey, data []byte)

// New returns a DHT with two fake friends (§3.4) and the built-in NAT ping
// handler (subtype 254).
func New(cfg Config, now time.Time) *DHT {
	d := &DHT{
		cfg:   cfg,
		self:  cfg.Keys.Public,
		rng:   newRNG(cfg.Rand),
		keys:  crypto.NewSharedKeys(cfg.Keys.Secret, sharedKeyCacheSize, SharedKeyTTL),
		epoch: now.Add(-time.Hour),
	}
	if d.cfg.Send == nil {
		d.cfg.Send = func(netip.AddrPort, []byte) {}
	}
	d.at(now)
	for i := 0; i < FakeFriends; i++ {
		var pk key.PublicKey
		if err := d.rng.read(pk[:]); err != nil {
			d.logf("dht: fake friend key: %v", err)
		}
		d.friends = append(d.friends, &friend{pk: pk, fake: true})
	}
	return d
}

// at converts now to a stamp and makes it the current time. Time never
// goes backwards here: an earlier now leaves the current time as it is.
func (d *DHT) at(now time.Time) stamp {
	if s := stamp(now.Sub(d.epoch)); s > d.now {
		d.now = s
	}
	return d.now
}

// timeOf converts a stamp back to a time.
func (d *DHT) timeOf(s stamp) time.Time { return d.epoch.Add(time.Duration(s)) }

func (d *DHT) logf(format string, args ...any) {
	if d.cfg.Logf != nil {
		d.cfg.Logf(format, args...)
	}
}

// Self returns our DHT public key.
func (d *DHT) Self() key.PublicKey { return d.self }

// SharedKey returns beforenm(pk, our DHT sk) from the cache. The onion and
// net_crypto reuse it for packets keyed with our DHT key.
func (d *DHT) SharedKey(now time.Time, pk key.PublicKey) crypto.SharedKey {
	d.at(now)
	return d.keys.Get(now, &pk)
}

func (d *DHT) shared(pk *key.PublicKey) crypto.SharedKey {
	return d.keys.Get(d.timeOf(d.now), pk)
}

// HandleRequest registers h for 0x20 requests of subtype addressed to us
// (156 DHT PK, 254 NAT ping; 32 is unused over the DHT). A nil h removes
// the handler. Registering 254 replaces the built-in NAT ping handler.
func (d *DHT) HandleRequest(subtype byte, h func(now time.Time, src netip.AddrPort, sender key.PublicKey, data []byte)) {
	d.handlers[subtype] = h
	if subtype == SubtypeNATPing {
		d.natCustom = h != nil
	}
}

// LANDiscoveryPacket returns 0x21 | our DHT pk (§4.3).
func (d *DHT) LANDiscoveryPacket() []byte {
	m := LANDiscovery{PK: d.self}
	b, err := m.AppendBinary(make([]byte, 0, LANDiscoverySize))
	if err != nil {
		d.logf("dht: LAN discovery packet: %v", err)
	}
	return b
}

// soon makes do_dht run at its next chance (state changed that may need
// work: a new list entry, a queued node).
func (d *DHT) soon() {
	t := d.lastDo.after(TickInterval)
	if d.due == 0 || t < d.due {
		d.due = t
	}
}
