package dht

import (
	"net/netip"
	"time"

	"parley/net/wire"
)

// GoodNodes returns the number of good close-list nodes (answered within
// BadNodeTimeout).
func (d *DHT) GoodNodes(now time.Time) int {
	n := d.at(now)
	count := 0
	d.eachClose(func(c *client) {
		if c.good(n) {
			count++
		}
	})
	return count
}

// Connected reports whether any close-list node is good (c-toxcore
// dht_isconnected, §3.5).
func (d *DHT) Connected(now time.Time) bool { return d.GoodNodes(now) > 0 }

// NonLANConnected reports whether a good close-list node is at a non-LAN
// address (c-toxcore dht_non_lan_connected).
func (d *DHT) NonLANConnected(now time.Time) bool {
	n := d.at(now)
	found := false
	d.eachClose(func(c *client) {
		for _, a := range [2]*assoc{&c.v4, &c.v6} {
			if a.good(n) && !IsLAN(a.addr.Addr()) {
				found = true
			}
		}
	})
	return found
}

// Nodes returns the good close-list nodes, each at its most recently
// heard address, for the last-good cache.
func (d *DHT) Nodes(now time.Time) []wire.Node {
	n := d.at(now)
	var out []wire.Node
	d.eachClose(func(c *client) {
		if a := c.best(); a.good(n) {
			out = append(out, wire.Node{PK: c.pk, Addr: a.addr})
		}
	})
	return out
}

// SelfAddrs returns our own addresses as good close-list nodes reported
// them in their send-nodes replies (fresh within BadNodeTimeout), without
// duplicates: how the Internet sees us (c-toxcore ipport_self_copy).
func (d *DHT) SelfAddrs(now time.Time) []netip.AddrPort {
	n := d.at(now)
	var out []netip.AddrPort
	d.eachClose(func(c *client) {
		for _, a := range [2]*assoc{&c.v4, &c.v6} {
			if !a.retSelf || !a.retFresh(n) || !a.good(n) {
				continue
			}
			dup := false
			for _, o := range out {
				dup = dup || o == a.ret
			}
			if !dup {
				out = append(out, a.ret)
			}
		}
	})
	return out
}
