package netsim

import (
	"fmt"
	"net"
	"net/netip"
	"time"
)

// RecvFunc receives one packet in event-mode style. now is the network's
// time of arrival and src the source as seen on the wire (a NAT's public
// address and mapped port for hosts behind a NAT). pkt is valid only during
// the call: the network reuses its buffer afterwards, so copy what you keep.
// Calls are never concurrent with each other or with timer callbacks.
type RecvFunc func(now time.Time, src netip.AddrPort, pkt []byte)

// Host is one bound address: either a callback host (AddHost) or the
// endpoint behind a Conn (Listen).
type Host struct {
	n    *Network
	addr netip.AddrPort
	nat  *NAT // non-nil if addr is private behind this NAT
	recv RecvFunc
	conn *Conn

	closed bool // guarded by n.mu
}

// AddHost binds addr on the public network and calls recv for each packet
// that arrives there. Port 0 picks a free port. It fails with ErrAddrInUse
// if the address is bound or is a NAT's public address.
func (n *Network) AddHost(addr netip.AddrPort, recv RecvFunc) (*Host, error) {
	if recv == nil {
		return nil, fmt.Errorf("netsim: AddHost %v: nil RecvFunc", addr)
	}
	return n.bind(nil, addr, recv)
}

// Addr returns the host's own address (private for a host behind a NAT).
func (h *Host) Addr() netip.AddrPort { return h.addr }

// Send sends a copy of pkt to dst; the caller may reuse pkt at once. Sends
// from a closed host, or on a closed network, are ignored. Packets for an
// address nobody owns are dropped on arrival and counted as NoRoute.
func (h *Host) Send(dst netip.AddrPort, pkt []byte) { h.n.send(h, dst, pkt) }

// Close unbinds the host: packets arriving later count as NoRoute, and its
// address may be bound again.
func (h *Host) Close() {
	h.n.mu.Lock()
	defer h.n.mu.Unlock()
	h.closeLocked()
}

// closeLocked unbinds h. n.mu is held.
func (h *Host) closeLocked() {
	if h.closed {
		return
	}
	h.closed = true
	table := h.n.hosts
	if h.nat != nil {
		table = h.nat.hosts
	}
	if table[h.addr] == h {
		delete(table, h.addr)
	}
	if h.conn != nil {
		close(h.conn.done)
	}
}

// bind creates a host at addr, public if nat is nil, delivering to recv or,
// if recv is nil, to a new Conn.
func (n *Network) bind(nat *NAT, addr netip.AddrPort, recv RecvFunc) (*Host, error) {
	addr = unmap(addr)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return nil, fmt.Errorf("netsim: bind %v: %w", addr, net.ErrClosed)
	}
	if !addr.Addr().IsValid() {
		return nil, fmt.Errorf("netsim: bind %v: %w", addr, ErrInvalidAddr)
	}
	table := n.hosts
	if nat != nil {
		table = nat.hosts
	} else if n.nats[addr.Addr()] != nil {
		return nil, fmt.Errorf("netsim: bind %v: NAT public address: %w", addr, ErrAddrInUse)
	}
	if addr.Port() == 0 {
		p, ok := freePort(table, addr.Addr())
		if !ok {
			return nil, fmt.Errorf("netsim: bind %v: %w", addr, ErrPortsExhausted)
		}
		addr = netip.AddrPortFrom(addr.Addr(), p)
	}
	if table[addr] != nil {
		return nil, fmt.Errorf("netsim: bind %v: %w", addr, ErrAddrInUse)
	}
	h := &Host{n: n, addr: addr, nat: nat, recv: recv}
	if recv == nil {
		h.conn = &Conn{h: h, ch: make(chan datagram, n.queueLen), done: make(chan struct{})}
	}
	table[addr] = h
	return h, nil
}

// freePort finds an unbound port on ip at or above firstEphemeral.
func freePort(table map[netip.AddrPort]*Host, ip netip.Addr) (uint16, bool) {
	for p := firstEphemeral; p <= 65535; p++ {
		if table[netip.AddrPortFrom(ip, uint16(p))] == nil {
			return uint16(p), true
		}
	}
	return 0, false
}

func unmap(a netip.AddrPort) netip.AddrPort {
	if a.Addr().Is4In6() {
		return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
	}
	return a
}
