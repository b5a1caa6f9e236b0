package dht

import (
	"fmt"
	"net/netip"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// handleRequest handles a 0x20 request (§4.1): one for us is opened and
// given to its subtype's handler; one for another key is forwarded
// unchanged when that key is in our close list (c-toxcore route_packet).
func (d *DHT) handleRequest(src netip.AddrPort, pkt []byte) error {
	r, err := ParseRequest(pkt)
	if err != nil {
		return err
	}
	if r.Receiver != d.self {
		return d.forward(&r.Receiver, pkt)
	}
	if len(pkt) > MaxRequestSize {
		return fmt.Errorf("%w: request %d bytes, at most %d", wire.ErrLong, len(pkt), MaxRequestSize)
	}
	k := d.shared(&r.Sender)
	m, err := OpenRequest(&r, &k)
	if err != nil {
		return err
	}
	if m.Subtype == SubtypeNATPing && !d.natCustom {
		d.stats.Requests++
		return d.handleNATPing(src, r.Sender, m.Data)
	}
	h := d.handlers[m.Subtype]
	if h == nil {
		return fmt.Errorf("%w: subtype %d", ErrNoHandler, m.Subtype)
	}
	d.stats.Requests++
	h(d.timeOf(d.now), src, r.Sender, m.Data)
	return nil
}

// forward sends a copy of pkt to receiver's address from the close list,
// IPv6 first as c-toxcore, whatever the entry's age.
func (d *DHT) forward(receiver *key.PublicKey, pkt []byte) error {
	c := d.closeEntry(receiver)
	if c == nil {
		return fmt.Errorf("%w: %s", ErrNoRoute, receiver.Short())
	}
	dst := c.v6.addr
	if !dst.IsValid() {
		dst = c.v4.addr
	}
	if !dst.IsValid() {
		return fmt.Errorf("%w: %s has no address", ErrNoRoute, receiver.Short())
	}
	d.stats.Forwarded++
	d.transmit(dst, append([]byte(nil), pkt...))
	return nil
}

// NewRequest builds a 0x20 request for receiver without sending it (for
// RouteToFriend). data must hold 1 to MaxRequestData bytes.
func (d *DHT) NewRequest(now time.Time, receiver key.PublicKey, subtype byte, data []byte) ([]byte, error) {
	d.at(now)
	nonce, err := d.rng.nonce()
	if err != nil {
		return nil, err
	}
	k := d.shared(&receiver)
	return SealRequest(receiver, d.self, nonce, &k, RequestPayload{Subtype: subtype, Data: data})
}

// SendRequest builds one 0x20 request for receiver and sends it to dst.
func (d *DHT) SendRequest(now time.Time, dst netip.AddrPort, receiver key.PublicKey, subtype byte, data []byte) error {
	pkt, err := d.NewRequest(now, receiver, subtype, data)
	if err != nil {
		return err
	}
	d.transmit(normalize(dst), pkt)
	return nil
}

// reporters returns, for each entry of the friend's list that reported the
// friend's address within BadNodeTimeout, that entry's own address (one
// per entry, IPv4 first).
func (d *DHT) reporters(f *friend) []netip.AddrPort {
	var out []netip.AddrPort
	for i := range f.clients {
		c := &f.clients[i]
		if c.empty() || c.pk == f.pk {
			continue
		}
		for _, a := range [2]*assoc{&c.v4, &c.v6} {
			if a.retFresh(d.now) && a.addr.IsValid() {
				out = append(out, a.addr)
				break
			}
		}
	}
	return out
}

// RouteToFriend sends a prebuilt 0x20 packet to every node of the friend's
// list that reported the friend's address (ret_ip_port, fresh within
// BadNodeTimeout), each of which forwards it to the friend, and to the
// friend directly when we have its address. It returns the number of
// copies sent. (c-toxcore's route_to_friend sends nothing when fewer than
// 2 nodes report the friend or when the friend is directly reachable;
// callers that want that rule can check FriendReporters and FriendAddr.)
func (d *DHT) RouteToFriend(now time.Time, friendPK key.PublicKey, pkt []byte) int {
	d.at(now)
	f := d.friendOf(&friendPK)
	if f == nil || len(pkt) == 0 {
		return 0
	}
	sent := 0
	for _, addr := range d.reporters(f) {
		d.transmit(addr, append([]byte(nil), pkt...))
		sent++
	}
	if addr, ok := d.FriendAddr(now, friendPK); ok {
		d.transmit(addr, append([]byte(nil), pkt...))
		sent++
	}
	return sent
}

// routeOne sends pkt through one random node that reported the friend's
// address, or directly (c-toxcore routeone_to_friend).
func (d *DHT) routeOne(f *friend, pkt []byte) bool {
	addrs := d.reporters(f)
	if addr, ok := d.FriendAddr(d.timeOf(d.now), f.pk); ok {
		addrs = append(addrs, addr)
	}
	if len(addrs) == 0 {
		return false
	}
	d.transmit(addrs[d.rng.intn(len(addrs))], pkt)
	return true
}

// FriendReporters returns how many nodes of the friend's list reported its
// address within BadNodeTimeout.
func (d *DHT) FriendReporters(now time.Time, friendPK key.PublicKey) int {
	d.at(now)
	f := d.friendOf(&friendPK)
	if f == nil {
		return 0
	}
	return len(d.reporters(f))
}
