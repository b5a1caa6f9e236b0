package dht

import (
	"net/netip"

	"parley/net/key"
	"parley/net/wire"
)

// pingAdd queues the sender of a request we answered to be pinged, so that
// it can enter our lists by answering (c-toxcore ping_add, §3.2). Only a
// node that could enter the close list and is not there at that address
// already is queued; the queue holds MaxToPing nodes, and when full a
// closer node replaces the one furthest from us. A DHT friend we have no
// entry for is pinged at once.
func (d *DHT) pingAdd(pk key.PublicKey, addr netip.AddrPort) {
	if !usable(addr) || !d.closeAddable(&pk) {
		return
	}
	if c := d.closeEntry(&pk); c != nil {
		if a := c.assocFor(addr); a.good(d.now) && a.addr == addr {
			return
		}
	}
	if f := d.friendOf(&pk); f != nil && f.entry(&pk) == nil {
		d.sendPing(addr, &pk)
		return
	}
	if q, ok := addToQueue(d.toPing, MaxToPing, wire.Node{PK: pk, Addr: addr}, &d.self); ok {
		d.toPing = q
		d.soon()
	}
}

// pingQueued pings the queued nodes that can still enter the close list,
// at most once every TimeToPing (c-toxcore ping_iterate).
func (d *DHT) pingQueued() {
	if len(d.toPing) == 0 || !d.lastToPing.expired(d.now, TimeToPing) {
		return
	}
	for _, n := range d.toPing {
		if d.closeAddable(&n.PK) {
			d.sendPing(n.Addr, &n.PK)
		}
	}
	d.toPing = d.toPing[:0]
	d.lastToPing = d.now
}
