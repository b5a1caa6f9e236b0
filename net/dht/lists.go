package dht

import (
	"net/netip"

	"parley/net/key"
	"parley/net/wire"
)

// addToLists records that pk answered us from addr: a valid ping response
// or send-nodes reply, the only way into the lists (c-toxcore addto_lists,
// §3.2). It updates or adds the close-list entry and every friend list
// that has room, and tells the friend's owners its address when pk is a
// friend.
func (d *DHT) addToLists(addr netip.AddrPort, pk *key.PublicKey) {
	now := d.now
	if c := d.closeEntry(pk); c != nil {
		c.update(addr, now)
	} else {
		d.eachClose(func(c *client) {
			if c.pk != *pk && c.hasAddr(addr) {
				*c = client{}
			}
		})
		if d.addToClose(pk, addr) {
			d.soon()
		}
	}
	var found *friend
	for _, f := range d.friends {
		in := false
		if c := f.entry(pk); c != nil {
			c.update(addr, now)
			in = true
		} else {
			forgetAddrElsewhere(f.clients[:], pk, addr)
			if f.storable(pk, now) {
				f.worst(now).reset(*pk, addr, now)
				d.soon()
				in = true
			}
		}
		if in && f.pk == *pk {
			found = f
		}
	}
	if found == nil {
		return
	}
	t := d.timeOf(now)
	refs := append([]friendRef(nil), found.refs...) // a callback may remove the friend
	for _, r := range refs {
		if r.onAddr != nil {
			r.onAddr(t, addr)
		}
	}
}

// considerNode queues a node learned from a send-nodes reply for a
// get-nodes on the next tick if it could enter the close list or a friend
// list and is not there yet (c-toxcore ping_node_from_getnodes_ok, the
// to_bootstrap queues of §3.4).
func (d *DHT) considerNode(n wire.Node) {
	if n.PK == d.self {
		return
	}
	if d.closeAddable(&n.PK) && !d.closeHasGood(&n.PK, n.Addr) {
		if q, ok := addToQueue(d.toBootstrap, MaxCloseToBootstrap, n, &d.self); ok {
			d.toBootstrap = q
			d.soon()
		}
	}
	for _, f := range d.friends {
		if !f.storable(&n.PK, d.now) {
			continue
		}
		if c := f.entry(&n.PK); c != nil && c.assocFor(n.Addr).good(d.now) {
			continue
		}
		if q, ok := addToQueue(f.toBootstrap, MaxSentNodes, n, &f.pk); ok {
			f.toBootstrap = q
			d.soon()
		}
	}
}

// addToQueue adds n to a bounded queue unless its key is already there;
// when the queue is full n replaces the entry furthest from base if n is
// closer (c-toxcore add_to_list).
func addToQueue(q []wire.Node, max int, n wire.Node, base *key.PublicKey) ([]wire.Node, bool) {
	far := -1
	for i := range q {
		if q[i].PK == n.PK {
			return q, false
		}
		if far < 0 || key.Distance(base, &q[i].PK, &q[far].PK) > 0 {
			far = i
		}
	}
	if len(q) < max {
		return append(q, n), true
	}
	if key.Distance(base, &n.PK, &q[far].PK) < 0 {
		q[far] = n
		return q, true
	}
	return q, false
}

// noteReturned records, when a node reports our own address or a friend's,
// that address in the reporter's entry (c-toxcore returnedip_ports): in the
// close list for us, in the friend's list for a friend. route_to_friend
// and NAT punching use these.
func (d *DHT) noteReturned(n wire.Node, reporter *key.PublicKey) {
	var c *client
	self := n.PK == d.self
	if self {
		c = d.closeEntry(reporter)
	} else if f := d.friendOf(&n.PK); f != nil {
		c = f.entry(reporter)
	}
	if c == nil {
		return
	}
	a := c.assocFor(n.Addr)
	a.ret = n.Addr
	a.retSeen = d.now
	a.retSelf = self
	if !self {
		d.soon() // the friend may now be seen by enough nodes for NAT pings
	}
}

// closest returns up to max good nodes closest to target from the close
// list and every friend list, closest first, one per key; LAN addresses
// only when lan is set (c-toxcore get_close_nodes, §3.3).
func (d *DHT) closest(target *key.PublicKey, max int, lan bool) []wire.Node {
	if max <= 0 {
		return nil
	}
	out := make([]wire.Node, 0, max)
	consider := func(c *client) {
		a := c.best()
		if !a.good(d.now) || (!lan && IsLAN(a.addr.Addr())) {
			return
		}
		out = insertClosest(out, target, wire.Node{PK: c.pk, Addr: a.addr}, max)
	}
	d.eachClose(consider)
	for _, f := range d.friends {
		for i := range f.clients {
			if !f.clients[i].empty() {
				consider(&f.clients[i])
			}
		}
	}
	return out
}

// insertClosest inserts n into out, kept sorted by distance to target and
// at most max long, unless n's key is already there.
func insertClosest(out []wire.Node, target *key.PublicKey, n wire.Node, max int) []wire.Node {
	pos := len(out)
	for i := range out {
		if out[i].PK == n.PK {
			return out
		}
		if pos == len(out) && key.Distance(target, &n.PK, &out[i].PK) < 0 {
			pos = i
		}
	}
	if pos >= max {
		return out
	}
	if len(out) < max {
		out = append(out, wire.Node{})
	}
	copy(out[pos+1:], out[pos:len(out)-1])
	out[pos] = n
	return out
}

// Closest returns up to max good nodes closest to target from the close
// list and every friend list, closest first; LAN nodes only when
// requesterIsLAN (§3.3). Goodness is judged at the latest time the DHT
// was given.
func (d *DHT) Closest(target key.PublicKey, max int, requesterIsLAN bool) []wire.Node {
	return d.closest(&target, max, requesterIsLAN)
}
