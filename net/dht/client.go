package dht

import (
	"net/netip"
	"time"

	"parley/net/key"
)

// stamp is an instant in nanoseconds since the DHT's epoch, which New puts
// an hour before its `now` so that every stamp taken afterwards is positive
// (c-toxcore subtracts BAD_NODE_TIMEOUT from the current time). Zero means
// never, and a never-stamp has always expired, as c-toxcore's zero
// timestamps do.
type stamp int64

// expired reports whether dur has passed since s at now.
func (s stamp) expired(now stamp, dur time.Duration) bool {
	return s == 0 || s+stamp(dur) <= now
}

// after returns s+dur.
func (s stamp) after(dur time.Duration) stamp { return s + stamp(dur) }

// assoc is one address family of a list entry (c-toxcore IPPTsPng).
type assoc struct {
	addr    netip.AddrPort
	seen    stamp          // timestamp: last valid response from addr
	pinged  stamp          // last_pinged: last keep-alive get-nodes
	ret     netip.AddrPort // ret_ip_port: the list key's address as this node reported it
	retSeen stamp
	retSelf bool // ret is our own address (close list)
}

// good reports whether the association answered within BadNodeTimeout.
func (a *assoc) good(now stamp) bool { return !a.seen.expired(now, BadNodeTimeout) }

// alive reports whether the association is still queried (KillNodeTimeout).
func (a *assoc) alive(now stamp) bool { return !a.seen.expired(now, KillNodeTimeout) }

// retFresh reports whether ret was reported within BadNodeTimeout.
func (a *assoc) retFresh(now stamp) bool {
	return a.ret.IsValid() && !a.retSeen.expired(now, BadNodeTimeout)
}

// client is one list entry: a DHT key and its IPv4 and IPv6 associations
// (c-toxcore Client_data). The zero value is an empty slot.
type client struct {
	pk     key.PublicKey
	v4, v6 assoc
}

// is6 reports whether addr belongs in the IPv6 association.
func is6(addr netip.AddrPort) bool { return !addr.Addr().Is4() }

func (c *client) assocFor(addr netip.AddrPort) *assoc {
	if is6(addr) {
		return &c.v6
	}
	return &c.v4
}

// good reports whether either association is good.
func (c *client) good(now stamp) bool { return c.v4.good(now) || c.v6.good(now) }

// replaceable reports whether the slot is empty or holds a bad node.
func (c *client) replaceable(now stamp) bool { return !c.good(now) }

// best returns the association with the newer timestamp (IPv4 on a tie),
// the one c-toxcore hands out in send-nodes replies.
func (c *client) best() *assoc {
	if c.v6.seen > c.v4.seen {
		return &c.v6
	}
	return &c.v4
}

// reset makes the slot hold pk at addr, seen now, with the other family and
// the reported addresses cleared (c-toxcore update_client_with_reset).
func (c *client) reset(pk key.PublicKey, addr netip.AddrPort, now stamp) {
	*c = client{pk: pk}
	a := c.assocFor(addr)
	a.addr = addr
	a.seen = now
}

// update refreshes an entry that answered from addr. Like c-toxcore it does
// not move an entry from a public address to a LAN one.
func (c *client) update(addr netip.AddrPort, now stamp) {
	a := c.assocFor(addr)
	if a.addr.IsValid() && !IsLAN(a.addr.Addr()) && IsLAN(addr.Addr()) {
		return
	}
	a.addr = addr
	a.seen = now
}

// hasAddr reports whether the entry's association for addr's family is addr.
func (c *client) hasAddr(addr netip.AddrPort) bool {
	return c.assocFor(addr).addr == addr
}

// normalize unmaps IPv4-mapped IPv6 addresses, as c-toxcore does on receive.
func normalize(a netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

// usable reports whether a node address from a send-nodes reply can be
// contacted (c-toxcore ipport_isset, plus no unspecified address).
func usable(a netip.AddrPort) bool {
	return a.Addr().IsValid() && a.Port() != 0 && !a.Addr().IsUnspecified()
}
