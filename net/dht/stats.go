package dht

import (
	"errors"

	"parley/net/wire"
)

// Counts counts packets by DHT kind.
type Counts struct {
	PingRequest   uint64 // 0x00
	PingResponse  uint64 // 0x01
	NodesRequest  uint64 // 0x02
	NodesResponse uint64 // 0x04
	Request       uint64 // 0x20
	LANDiscovery  uint64 // 0x21
	Other         uint64
}

func (c *Counts) add(k wire.Kind) {
	switch k {
	case wire.KindPingRequest:
		c.PingRequest++
	case wire.KindPingResponse:
		c.PingResponse++
	case wire.KindNodesRequest:
		c.NodesRequest++
	case wire.KindNodesResponse:
		c.NodesResponse++
	case wire.KindCrypto:
		c.Request++
	case wire.KindLANDiscovery:
		c.LANDiscovery++
	default:
		c.Other++
	}
}

// Drops counts packets HandlePacket refused, by reason.
type Drops struct {
	Short, Long, Kind, Malformed, Decrypt  uint64 // net/wire sentinels
	Unsolicited, Replay, Self, NoRoute     uint64
	NoHandler, NotLAN, Disabled, NotFriend uint64
	Other                                  uint64
}

func (d *Drops) add(err error) {
	switch {
	case errors.Is(err, wire.ErrShort):
		d.Short++
	case errors.Is(err, wire.ErrLong):
		d.Long++
	case errors.Is(err, wire.ErrKind):
		d.Kind++
	case errors.Is(err, wire.ErrMalformed):
		d.Malformed++
	case errors.Is(err, wire.ErrDecrypt):
		d.Decrypt++
	case errors.Is(err, ErrUnsolicited):
		d.Unsolicited++
	case errors.Is(err, ErrReplay):
		d.Replay++
	case errors.Is(err, ErrSelf):
		d.Self++
	case errors.Is(err, ErrNoRoute):
		d.NoRoute++
	case errors.Is(err, ErrNoHandler):
		d.NoHandler++
	case errors.Is(err, ErrNotLAN):
		d.NotLAN++
	case errors.Is(err, ErrDisabled):
		d.Disabled++
	case errors.Is(err, ErrNotFriend):
		d.NotFriend++
	default:
		d.Other++
	}
}

// Stats is a snapshot of the DHT's counters and list sizes.
type Stats struct {
	Sent     Counts // packets handed to Config.Send, forwarded ones included
	Received Counts // packets given to HandlePacket
	Drops    Drops  // packets HandlePacket refused
	// Forwarded counts 0x20 requests routed on to another node.
	Forwarded uint64
	// Requests counts 0x20 requests for us given to a handler.
	Requests uint64
	// CloseNodes is the number of occupied close-list slots, GoodNodes the
	// good ones among them.
	CloseNodes, GoodNodes int
	// Buckets is the number of close-list buckets allocated.
	Buckets int
	// Friends counts DHT friends, fake ones excluded.
	Friends int
	// Pending is the number of our requests whose ping id is live.
	Pending int
	// LookupsStarted, LookupsDone and LookupsActive count iterative lookups.
	LookupsStarted, LookupsDone uint64
	LookupsActive               int
	// SharedKeyHits and SharedKeyMisses count beforenm cache lookups.
	SharedKeyHits, SharedKeyMisses uint64
}

// Stats returns the counters, with list sizes judged at the latest time
// the DHT was given.
func (d *DHT) Stats() Stats {
	s := d.stats
	d.eachClose(func(c *client) {
		s.CloseNodes++
		if c.good(d.now) {
			s.GoodNodes++
		}
	})
	for _, b := range d.close {
		if b != nil {
			s.Buckets++
		}
	}
	s.Friends = d.Friends()
	s.Pending = d.pending.len(d.now)
	s.LookupsActive = len(d.lookups)
	s.SharedKeyHits, s.SharedKeyMisses = d.keys.Hits, d.keys.Misses
	return s
}
