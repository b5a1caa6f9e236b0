package netsim

import (
	"fmt"
	"net"
	"net/netip"
	"time"
)

// Behavior is how a NAT keys its mappings or filters inbound packets, in
// the terms of RFC 4787.
type Behavior uint8

// Behaviors. The zero value, EndpointIndependent, is the most permissive.
const (
	// EndpointIndependent: one mapping per private endpoint whatever the
	// destination; as a filter, anyone may send to a live mapping.
	EndpointIndependent Behavior = iota
	// AddressDependent: one mapping per (private endpoint, remote IP); as
	// a filter, only IPs the host has sent to may reply.
	AddressDependent
	// AddressPortDependent: one mapping per (private endpoint, remote IP
	// and port); as a filter, only exact endpoints the host has sent to may
	// reply. Mapping and filtering both AddressPortDependent is the
	// classic "symmetric NAT".
	AddressPortDependent
)

// String names the behaviour.
func (b Behavior) String() string {
	switch b {
	case EndpointIndependent:
		return "endpoint-independent"
	case AddressDependent:
		return "address-dependent"
	case AddressPortDependent:
		return "address-port-dependent"
	}
	return fmt.Sprintf("behavior(%d)", uint8(b))
}

// NATConfig describes a NAT. The zero value is a full-cone NAT whose
// mappings never expire, handing out ports from 1024 upwards.
//
// Common home NATs: full cone {EI, EI}; restricted cone {EI,
// AddressDependent}; port-restricted cone {EI, AddressPortDependent};
// symmetric {AddressPortDependent, AddressPortDependent}.
type NATConfig struct {
	Mapping   Behavior
	Filtering Behavior
	// Timeout is how long a mapping, and each remote's permission to send
	// through it, lives after the host's last outbound packet on it; only
	// outbound packets refresh (RFC 4787 REQ-6 minimum). A mapping is dead
	// from last+Timeout on. 0 means never.
	Timeout time.Duration
	// PortStart is the first public port handed out; ports are allocated
	// sequentially (wrapping to PortStart), which lets port prediction
	// work as it does on many real symmetric NATs. 0 means 1024.
	PortStart uint16
}

// NAT translates between private hosts (bound with its AddHost and Listen)
// and the public network, where it owns one public address. Hosts behind
// the same NAT reach each other directly on their private addresses;
// a packet to the NAT's own public address from inside is translated out
// and back in (hairpinning). NATs do not nest.
type NAT struct {
	n      *Network
	public netip.Addr
	cfg    NATConfig

	// All guarded by n.mu.
	hosts    map[netip.AddrPort]*Host // by private address
	out      map[natKey]*mapping
	byPort   map[uint16]*mapping
	nextPort int
}

// natKey identifies a mapping: the private endpoint and the destination
// masked by the mapping behaviour.
type natKey struct{ priv, remote netip.AddrPort }

type mapping struct {
	key     natKey
	port    uint16
	last    int64                    // last outbound packet, ns since start
	permits map[netip.AddrPort]int64 // masked remote -> last outbound to it
}

// AddNAT adds a NAT owning the public address public.
func (n *Network) AddNAT(public netip.Addr, cfg NATConfig) (*NAT, error) {
	public = public.Unmap()
	if !public.IsValid() {
		return nil, fmt.Errorf("netsim: AddNAT %v: %w", public, ErrInvalidAddr)
	}
	if cfg.Mapping > AddressPortDependent || cfg.Filtering > AddressPortDependent || cfg.Timeout < 0 {
		return nil, fmt.Errorf("netsim: AddNAT %v: invalid config %+v", public, cfg)
	}
	if cfg.PortStart == 0 {
		cfg.PortStart = 1024
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return nil, fmt.Errorf("netsim: AddNAT %v: %w", public, net.ErrClosed)
	}
	if n.nats[public] != nil {
		return nil, fmt.Errorf("netsim: AddNAT %v: %w", public, ErrAddrInUse)
	}
	for a := range n.hosts {
		if a.Addr() == public {
			return nil, fmt.Errorf("netsim: AddNAT %v: host %v: %w", public, a, ErrAddrInUse)
		}
	}
	nat := &NAT{
		n: n, public: public, cfg: cfg,
		hosts:    make(map[netip.AddrPort]*Host),
		out:      make(map[natKey]*mapping),
		byPort:   make(map[uint16]*mapping),
		nextPort: int(cfg.PortStart),
	}
	n.nats[public] = nat
	return nat, nil
}

// Public returns the NAT's public address.
func (nat *NAT) Public() netip.Addr { return nat.public }

// AddHost binds a callback host at a private address behind the NAT.
func (nat *NAT) AddHost(private netip.AddrPort, recv RecvFunc) (*Host, error) {
	if recv == nil {
		return nil, fmt.Errorf("netsim: AddHost %v: nil RecvFunc", private)
	}
	return nat.n.bind(nat, private, recv)
}

// Mapping returns the public address a packet from private to remote would
// leave with now, if a live mapping exists.
func (nat *NAT) Mapping(private, remote netip.AddrPort) (netip.AddrPort, bool) {
	nat.n.mu.Lock()
	defer nat.n.mu.Unlock()
	m := nat.out[nat.key(unmap(private), unmap(remote))]
	if m == nil || nat.expired(m.last, nat.n.nowLocked()) {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(nat.public, m.port), true
}

// Mappings returns the number of live mappings.
func (nat *NAT) Mappings() int {
	nat.n.mu.Lock()
	defer nat.n.mu.Unlock()
	now, live := nat.n.nowLocked(), 0
	for _, m := range nat.out {
		if !nat.expired(m.last, now) {
			live++
		}
	}
	return live
}

func mask(b Behavior, a netip.AddrPort) netip.AddrPort {
	switch b {
	case EndpointIndependent:
		return netip.AddrPort{}
	case AddressDependent:
		return netip.AddrPortFrom(a.Addr(), 0)
	}
	return a
}

func (nat *NAT) key(priv, remote netip.AddrPort) natKey {
	return natKey{priv, mask(nat.cfg.Mapping, remote)}
}

func (nat *NAT) expired(last, now int64) bool {
	return nat.cfg.Timeout > 0 && now-last >= int64(nat.cfg.Timeout)
}

// outbound translates a packet from priv to remote, creating or refreshing
// its mapping, and returns the public source. It fails only when every
// port is taken. n.mu is held.
func (nat *NAT) outbound(now int64, priv, remote netip.AddrPort) (netip.AddrPort, bool) {
	k := nat.key(priv, remote)
	m := nat.out[k]
	if m != nil && nat.expired(m.last, now) {
		nat.drop(m)
		m = nil
	}
	if m == nil {
		port, ok := nat.allocPort(now)
		if !ok {
			return netip.AddrPort{}, false
		}
		m = &mapping{key: k, port: port}
		if nat.cfg.Filtering != EndpointIndependent {
			m.permits = make(map[netip.AddrPort]int64)
		}
		nat.out[k] = m
		nat.byPort[port] = m
	}
	m.last = now
	if m.permits != nil {
		m.permits[mask(nat.cfg.Filtering, remote)] = now
	}
	return netip.AddrPortFrom(nat.public, m.port), true
}

// inbound filters a packet from remote to the public port and returns the
// private endpoint it is for. n.mu is held.
func (nat *NAT) inbound(now int64, remote netip.AddrPort, port uint16) (netip.AddrPort, bool) {
	m := nat.byPort[port]
	if m == nil {
		return netip.AddrPort{}, false
	}
	if nat.expired(m.last, now) {
		nat.drop(m)
		return netip.AddrPort{}, false
	}
	if m.permits != nil {
		t, ok := m.permits[mask(nat.cfg.Filtering, remote)]
		if !ok || nat.expired(t, now) {
			return netip.AddrPort{}, false
		}
	}
	return m.key.priv, true
}

func (nat *NAT) drop(m *mapping) {
	delete(nat.out, m.key)
	delete(nat.byPort, m.port)
}

// allocPort hands out the next free public port, reclaiming expired
// mappings it meets. n.mu is held.
func (nat *NAT) allocPort(now int64) (uint16, bool) {
	span := 65536 - int(nat.cfg.PortStart)
	for range span {
		p := uint16(nat.nextPort)
		nat.nextPort++
		if nat.nextPort > 65535 {
			nat.nextPort = int(nat.cfg.PortStart)
		}
		m := nat.byPort[p]
		if m != nil && nat.expired(m.last, now) {
			nat.drop(m)
			m = nil
		}
		if m == nil {
			return p, true
		}
	}
	return 0, false
}
