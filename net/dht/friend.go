package dht

import (
	"net/netip"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// friend is a DHT friend: a peer whose DHT key we know, with the 8 nodes
// closest to it (§3.4).
type friend struct {
	pk          key.PublicKey
	clients     [FriendListSize]client
	lastGN      stamp // lastgetnode
	boots       int   // bootstrap_times
	toBootstrap []wire.Node
	refs        []friendRef
	fake        bool
	nat         natState
}

// friendRef is one AddFriend registration.
type friendRef struct {
	id     uint64
	onAddr func(now time.Time, addr netip.AddrPort)
}

// entry returns the friend-list entry for pk, or nil.
func (f *friend) entry(pk *key.PublicKey) *client {
	for i := range f.clients {
		if f.clients[i].pk == *pk && !f.clients[i].empty() {
			return &f.clients[i]
		}
	}
	return nil
}

// worst returns the slot a new node would take: an empty or bad slot
// first, else the good node furthest from the friend (c-toxcore sorts the
// list and takes its head in replace_all).
func (f *friend) worst(now stamp) *client {
	var w *client
	for i := range f.clients {
		c := &f.clients[i]
		if c.replaceable(now) {
			return c
		}
		if w == nil || key.Distance(&f.pk, &c.pk, &w.pk) > 0 {
			w = c
		}
	}
	return w
}

// storable reports whether pk could enter the list: some slot is bad or
// holds a node further from the friend than pk (c-toxcore store_node_ok).
func (f *friend) storable(pk *key.PublicKey, now stamp) bool {
	w := f.worst(now)
	return w.replaceable(now) || key.Distance(&f.pk, &w.pk, pk) > 0
}

func (d *DHT) friendOf(pk *key.PublicKey) *friend {
	for _, f := range d.friends {
		if f.pk == *pk {
			return f
		}
	}
	return nil
}

// AddFriend makes pk a DHT friend, or adds one reference to it. Friends
// are reference-counted as in c-toxcore (dht_addfriend locks): every call
// registers onAddr (nil is allowed) and must be matched by one
// RemoveFriend, which drops the most recent registration still held.
// AddFriendRef returns a release function instead, for callers that need
// to drop exactly their own registration. onAddr is called with the
// friend's address every time the friend itself answers us.
func (d *DHT) AddFriend(pk key.PublicKey, onAddr func(now time.Time, addr netip.AddrPort)) {
	d.addFriend(pk, onAddr)
}

// AddFriendRef is AddFriend returning a function that drops exactly this
// registration (calling it twice is harmless).
func (d *DHT) AddFriendRef(pk key.PublicKey, onAddr func(now time.Time, addr netip.AddrPort)) (release func()) {
	id := d.addFriend(pk, onAddr)
	return func() { d.release(pk, id) }
}

func (d *DHT) addFriend(pk key.PublicKey, onAddr func(now time.Time, addr netip.AddrPort)) uint64 {
	d.refSeq++
	id := d.refSeq
	f := d.friendOf(&pk)
	if f == nil {
		f = &friend{pk: pk}
		// Start from the 4 nodes we know closest to it (c-toxcore seeds
		// to_bootstrap with get_close_nodes, LAN nodes included).
		f.toBootstrap = d.closest(&pk, MaxSentNodes, true)
		if id, err := d.rng.uint64(); err == nil {
			f.nat.pingID = id
		}
		d.friends = append(d.friends, f)
		d.soon()
	}
	f.refs = append(f.refs, friendRef{id: id, onAddr: onAddr})
	return id
}

// RemoveFriend drops one reference to pk (the most recent registration);
// the friend and its list go when none is left. Fake friends stay.
func (d *DHT) RemoveFriend(pk key.PublicKey) {
	f := d.friendOf(&pk)
	if f == nil || f.fake || len(f.refs) == 0 {
		return
	}
	d.release(pk, f.refs[len(f.refs)-1].id)
}

func (d *DHT) release(pk key.PublicKey, id uint64) {
	f := d.friendOf(&pk)
	if f == nil || f.fake {
		return
	}
	for i, r := range f.refs {
		if r.id == id {
			f.refs = append(f.refs[:i], f.refs[i+1:]...)
			break
		}
	}
	if len(f.refs) > 0 {
		return
	}
	for i, g := range d.friends {
		if g == f {
			d.friends = append(d.friends[:i], d.friends[i+1:]...)
			return
		}
	}
}

// FriendAddr returns the friend's own address when it is in its own list
// with a good association, IPv6 first as c-toxcore's dht_getfriendip.
func (d *DHT) FriendAddr(now time.Time, pk key.PublicKey) (netip.AddrPort, bool) {
	n := d.at(now)
	f := d.friendOf(&pk)
	if f == nil {
		return netip.AddrPort{}, false
	}
	c := f.entry(&pk)
	if c == nil {
		return netip.AddrPort{}, false
	}
	if c.v6.good(n) {
		return c.v6.addr, true
	}
	if c.v4.good(n) {
		return c.v4.addr, true
	}
	return netip.AddrPort{}, false
}

// FriendNodes returns the good nodes of the friend's list (the nodes
// closest to it that we know), closest first. The friend itself is among
// them when it answered us.
func (d *DHT) FriendNodes(pk key.PublicKey) []wire.Node {
	f := d.friendOf(&pk)
	if f == nil {
		return nil
	}
	var out []wire.Node
	for i := range f.clients {
		c := &f.clients[i]
		if a := c.best(); a.good(d.now) {
			out = insertClosest(out, &pk, wire.Node{PK: c.pk, Addr: a.addr}, FriendListSize)
		}
	}
	return out
}

// Friends returns the number of DHT friends, fake ones excluded.
func (d *DHT) Friends() int { return len(d.friends) - FakeFriends }

// RandomNodes returns up to max good nodes from the fake friends' lists,
// for onion paths that must not reveal real friends (c-toxcore
// randfriends_nodes).
func (d *DHT) RandomNodes(max int) []wire.Node {
	var out []wire.Node
	r := d.rng.intn(FakeFriends)
	for i := 0; i < FakeFriends && len(out) < max; i++ {
		f := d.friends[(i+r)%FakeFriends]
		for j := len(f.clients) - 1; j >= 0 && len(out) < max; j-- {
			c := &f.clients[j]
			a := d.pickAssoc(c)
			if a != nil {
				out = append(out, wire.Node{PK: c.pk, Addr: a.addr})
			}
		}
	}
	return out
}

// pickAssoc returns a good association of c, choosing at random when both
// are good, or nil.
func (d *DHT) pickAssoc(c *client) *assoc {
	g4, g6 := c.v4.good(d.now), c.v6.good(d.now)
	switch {
	case g4 && g6:
		if d.rng.intn(2) == 1 {
			return &c.v6
		}
		return &c.v4
	case g4:
		return &c.v4
	case g6:
		return &c.v6
	}
	return nil
}
