package dht

import (
	"net/netip"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// transmit hands a packet to the transport and counts it.
func (d *DHT) transmit(dst netip.AddrPort, pkt []byte) {
	d.stats.Sent.add(wire.Kind(pkt[0]))
	d.cfg.Send(dst, pkt)
}

// sendSealed encrypts plain for pk and sends it to dst.
func (d *DHT) sendSealed(dst netip.AddrPort, kind wire.Kind, pk *key.PublicKey, plain []byte) bool {
	nonce, err := d.rng.nonce()
	if err != nil {
		d.logf("dht: %v", err)
		return false
	}
	k := d.shared(pk)
	pkt, err := SealPacket(kind, d.self, nonce, &k, plain)
	if err != nil {
		d.logf("dht: sealing %v: %v", kind, err)
		return false
	}
	d.transmit(dst, pkt)
	return true
}

// newPending records an outstanding request and returns its random,
// non-zero ping id.
func (d *DHT) newPending(kind pendingKind, pk *key.PublicKey, dst netip.AddrPort, lookup uint32, q uint16) (uint64, bool) {
	id, err := d.rng.uint64()
	if err != nil {
		d.logf("dht: %v", err)
		return 0, false
	}
	if id == 0 {
		id = 1
	}
	d.pending.add(pending{id: id, pk: *pk, addr: dst, sent: d.now, kind: kind, lookup: lookup, q: q})
	return id, true
}

// getNodes sends a get-nodes request for search to pk at dst
// (c-toxcore dht_getnodes). Never to ourselves.
func (d *DHT) getNodes(dst netip.AddrPort, pk, search *key.PublicKey) bool {
	return d.getNodesTagged(dst, pk, search, 0, 0)
}

// getNodesTagged is getNodes for a lookup's question q.
func (d *DHT) getNodesTagged(dst netip.AddrPort, pk, search *key.PublicKey, lookup uint32, q uint16) bool {
	if *pk == d.self || !usable(dst) {
		return false
	}
	dst = normalize(dst)
	id, ok := d.newPending(pendNodes, pk, dst, lookup, q)
	if !ok {
		return false
	}
	m := NodesRequest{Search: *search, ID: id}
	plain, err := m.AppendBinary(make([]byte, 0, NodesRequestPayloadSize))
	if err != nil {
		return false
	}
	return d.sendSealed(dst, wire.KindNodesRequest, pk, plain)
}

// sendPing sends a ping request to pk at dst (c-toxcore ping_send_request).
func (d *DHT) sendPing(dst netip.AddrPort, pk *key.PublicKey) bool {
	if *pk == d.self || !usable(dst) {
		return false
	}
	dst = normalize(dst)
	id, ok := d.newPending(pendPing, pk, dst, 0, 0)
	if !ok {
		return false
	}
	m := PingPayload{Type: wire.KindPingRequest, ID: id}
	plain, err := m.AppendBinary(make([]byte, 0, PingPayloadSize))
	if err != nil {
		return false
	}
	return d.sendSealed(dst, wire.KindPingRequest, pk, plain)
}

// Bootstrap sends one get-nodes for our own key to pk at addr, as
// tox_bootstrap (§3.6). The node enters our lists when it answers.
// Bootstrapping off our own key does nothing.
func (d *DHT) Bootstrap(now time.Time, addr netip.AddrPort, pk key.PublicKey) {
	d.at(now)
	d.getNodes(addr, &pk, &d.self)
}
