package dht

import (
	"fmt"
	"net/netip"
	"time"

	"parley/net/wire"
)

// HandlePacket handles one UDP packet whose first byte is 0x00, 0x01,
// 0x02, 0x04, 0x20 or 0x21. It returns nil, or an error wrapping a net/wire
// sentinel (ErrShort, ErrLong, ErrMalformed, ErrDecrypt, ErrKind) or one of
// this package's (ErrUnsolicited, ErrReplay, ErrSelf, ErrNoRoute,
// ErrNoHandler, ErrNotLAN, ErrDisabled, ErrNotFriend), so that the caller
// can count drops by reason with errors.Is. It never panics and does not
// keep pkt.
func (d *DHT) HandlePacket(now time.Time, src netip.AddrPort, pkt []byte) error {
	d.at(now)
	src = normalize(src)
	if len(pkt) == 0 {
		err := fmt.Errorf("%w: empty packet", wire.ErrShort)
		d.stats.Drops.add(err)
		return err
	}
	kind := wire.Kind(pkt[0])
	d.stats.Received.add(kind)
	var err error
	switch kind {
	case wire.KindPingRequest:
		err = d.handlePingRequest(src, pkt)
	case wire.KindPingResponse:
		err = d.handlePingResponse(src, pkt)
	case wire.KindNodesRequest:
		err = d.handleNodesRequest(src, pkt)
	case wire.KindNodesResponse:
		err = d.handleNodesResponse(src, pkt)
	case wire.KindCrypto:
		err = d.handleRequest(src, pkt)
	case wire.KindLANDiscovery:
		err = d.handleLANDiscovery(src, pkt)
	default:
		err = fmt.Errorf("%w: %v is not a DHT packet", wire.ErrKind, kind)
	}
	if err != nil {
		d.stats.Drops.add(err)
	}
	return err
}

// open parses a DHT envelope of the expected kind from a key other than
// ours and decrypts it.
func (d *DHT) open(pkt []byte) (Packet, []byte, error) {
	p, err := ParsePacket(pkt)
	if err != nil {
		return p, nil, err
	}
	if p.Sender == d.self {
		return p, nil, fmt.Errorf("%w: %v", ErrSelf, p.Kind)
	}
	k := d.shared(&p.Sender)
	plain, err := OpenPacket(&p, &k)
	return p, plain, err
}

// handlePingRequest answers a ping and queues the sender to be pinged
// back if it could enter the close list (§3.2).
func (d *DHT) handlePingRequest(src netip.AddrPort, pkt []byte) error {
	p, plain, err := d.open(pkt)
	if err != nil {
		return err
	}
	m, err := ParsePingPayload(plain)
	if err != nil {
		return err
	}
	if m.Type != wire.KindPingRequest {
		return fmt.Errorf("%w: ping request with inner type %v", wire.ErrMalformed, m.Type)
	}
	resp := PingPayload{Type: wire.KindPingResponse, ID: m.ID}
	out, err := resp.AppendBinary(make([]byte, 0, PingPayloadSize))
	if err != nil {
		return err
	}
	d.sendSealed(src, wire.KindPingResponse, &p.Sender, out)
	d.pingAdd(p.Sender, src)
	return nil
}

// handlePingResponse accepts a response only for a live ping id of ours,
// from the key and address we pinged; the node then enters the lists.
func (d *DHT) handlePingResponse(src netip.AddrPort, pkt []byte) error {
	p, plain, err := d.open(pkt)
	if err != nil {
		return err
	}
	m, err := ParsePingPayload(plain)
	if err != nil {
		return err
	}
	if m.Type != wire.KindPingResponse {
		return fmt.Errorf("%w: ping response with inner type %v", wire.ErrMalformed, m.Type)
	}
	if _, err := d.claim(pendPing, m.ID, &p, src); err != nil {
		return err
	}
	d.addToLists(src, &p.Sender)
	return nil
}

// claim finds our outstanding request answered by a response, checks that
// the response comes from the key and address we asked (anti-spoofing,
// §3.1) and marks it answered.
func (d *DHT) claim(kind pendingKind, id uint64, p *Packet, src netip.AddrPort) (*pending, error) {
	e := d.pending.find(id, d.now)
	if e == nil {
		return nil, fmt.Errorf("%w: %v with unknown or expired ping id", ErrUnsolicited, p.Kind)
	}
	if e.kind != kind {
		return nil, fmt.Errorf("%w: %v answers another kind of request", ErrUnsolicited, p.Kind)
	}
	if e.pk != p.Sender || e.addr != src {
		return nil, fmt.Errorf("%w: %v from %s at %v, asked %s at %v", ErrUnsolicited, p.Kind,
			p.Sender.Short(), src, e.pk.Short(), e.addr)
	}
	if e.answered {
		return nil, fmt.Errorf("%w: %v from %s", ErrReplay, p.Kind, p.Sender.Short())
	}
	e.answered = true
	return e, nil
}

// handleNodesRequest answers with the 4 good nodes we know closest to the
// search key (LAN ones only to LAN requesters) and queues the sender to be
// pinged (§3.3).
func (d *DHT) handleNodesRequest(src netip.AddrPort, pkt []byte) error {
	p, plain, err := d.open(pkt)
	if err != nil {
		return err
	}
	m, err := ParseNodesRequest(plain)
	if err != nil {
		return err
	}
	resp := NodesResponse{Nodes: d.closest(&m.Search, MaxSentNodes, IsLAN(src.Addr())), ID: m.ID}
	out, err := resp.AppendBinary(make([]byte, 0, 1+MaxSentNodes*wire.PackedNode6Size+8))
	if err != nil {
		return err
	}
	d.sendSealed(src, wire.KindNodesResponse, &p.Sender, out)
	d.pingAdd(p.Sender, src)
	return nil
}

// handleNodesResponse accepts a send-nodes reply to a live get-nodes of
// ours: the sender enters the lists, listed nodes that could enter a list
// are queued for a get-nodes, and addresses reported for us or a friend
// are recorded (§3.3, §3.4).
//
// Unlike c-toxcore, which drops a reply with no node, an empty reply is
// accepted: it is authenticated and proves the node alive.
func (d *DHT) handleNodesResponse(src netip.AddrPort, pkt []byte) error {
	p, plain, err := d.open(pkt)
	if err != nil {
		return err
	}
	m, err := ParseNodesResponse(plain)
	if err != nil {
		return err
	}
	e, err := d.claim(pendNodes, m.ID, &p, src)
	if err != nil {
		return err
	}
	lookupID, q := e.lookup, e.q
	d.addToLists(src, &p.Sender)
	now := d.timeOf(d.now)
	for _, n := range m.Nodes {
		if !usable(n.Addr) {
			continue
		}
		n.Addr = normalize(n.Addr)
		d.considerNode(n)
		d.noteReturned(n, &p.Sender)
		if d.cfg.NodeSeen != nil {
			d.cfg.NodeSeen(now, n)
		}
	}
	if lookupID != 0 {
		d.lookupAnswered(lookupID, q, p.Sender, src, m.Nodes)
	}
	return nil
}

// handleLANDiscovery bootstraps off a LAN peer that announced itself (§4.3).
func (d *DHT) handleLANDiscovery(src netip.AddrPort, pkt []byte) error {
	m, err := ParseLANDiscovery(pkt)
	if err != nil {
		return err
	}
	if !d.cfg.LANDiscovery {
		return ErrDisabled
	}
	if !IsLAN(src.Addr()) {
		return fmt.Errorf("%w: %v", ErrNotLAN, src)
	}
	if m.PK == d.self {
		return fmt.Errorf("%w: LAN discovery", ErrSelf)
	}
	d.getNodes(src, &m.PK, &d.self)
	return nil
}
