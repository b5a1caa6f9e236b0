package netsim

import "net/netip"

// send carries a copy of pkt from h towards dst: NAT translation on the
// way out, then the link's MTU, loss, delay, reordering and duplication.
// It reports false if h or the network is closed.
func (n *Network) send(h *Host, dst netip.AddrPort, pkt []byte) bool {
	dst = unmap(dst)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed || h.closed {
		return false
	}
	now := n.nowLocked()
	n.stats.Sent++
	ev := event{kind: evPacket, sent: now, from: h, src: h.addr, dst: dst, pkt: pkt}
	if nat := h.nat; nat != nil {
		if nat.hosts[dst] != nil {
			ev.via = nat // same LAN: no translation
		} else {
			src, ok := nat.outbound(now, h.addr, dst)
			if !ok {
				n.fate(NATFiltered, now, &ev, netip.AddrPort{})
				return true
			}
			ev.src = src
		}
	}
	l := n.linkFor(ev.src.Addr(), dst.Addr())
	if len(pkt) > l.mtu() {
		n.fate(MTUDropped, now, &ev, netip.AddrPort{})
		return true
	}
	if l.Loss > 0 && n.rng.Float64() < l.Loss {
		n.fate(Lost, now, &ev, netip.AddrPort{})
		return true
	}
	n.enqueue(now, l, ev, pkt)
	if l.Duplicate > 0 && n.rng.Float64() < l.Duplicate {
		n.stats.Duplicated++
		ev.dup = true
		n.enqueue(now, l, ev, pkt)
	}
	return true
}

// enqueue copies pkt into a pooled buffer and schedules it after the
// link's delay. n.mu is held.
func (n *Network) enqueue(now int64, l *Link, ev event, pkt []byte) {
	d, held := n.delay(l)
	if held {
		n.stats.Reordered++
	}
	ev.held = held
	ev.pkt = n.bufs.get(len(pkt))
	copy(ev.pkt, pkt)
	n.schedule(now+d, ev)
}

// arrive routes a packet copy that reached its destination address: LAN
// delivery, inbound NAT filtering, or a public host. A conn gets the copy
// in its queue; a callback host is returned for the caller to call without
// the lock, and then owns ev.pkt until the call returns. n.mu is held.
func (n *Network) arrive(now int64, ev *event) *Host {
	var to *Host
	switch nat := n.natAt(ev.dst.Addr()); {
	case ev.via != nil:
		to = ev.via.hosts[ev.dst]
	case nat != nil:
		priv, ok := nat.inbound(now, ev.src, ev.dst.Port())
		if !ok {
			n.fate(NATFiltered, now, ev, netip.AddrPort{})
			n.bufs.put(ev.pkt)
			return nil
		}
		to = nat.hosts[priv]
	default:
		to = n.hosts[ev.dst]
	}
	if to == nil || to.closed {
		n.fate(NoRoute, now, ev, netip.AddrPort{})
		n.bufs.put(ev.pkt)
		return nil
	}
	if to.conn != nil {
		if to.conn.push(datagram{src: ev.src, b: ev.pkt}) {
			n.fate(Delivered, now, ev, to.addr) // the conn now owns ev.pkt
		} else {
			n.fate(QueueDrop, now, ev, to.addr)
			n.bufs.put(ev.pkt)
		}
		return nil
	}
	n.fate(Delivered, now, ev, to.addr)
	return to
}

// natAt returns the NAT owning public address a, if any. n.mu is held.
func (n *Network) natAt(a netip.Addr) *NAT {
	if len(n.nats) == 0 {
		return nil
	}
	return n.nats[a]
}
