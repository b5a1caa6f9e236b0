package transport

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// Default port range tried when Config.Port is 0 (tox-protocol.md §2;
// c-toxcore TOX_PORTRANGE_FROM / TOX_PORTRANGE_TO).
const (
	DefaultPortFrom uint16 = 33445
	DefaultPortTo   uint16 = 33545
)

// socketBufferSize is asked for as the kernel send and receive buffer
// (capped by the kernel's limits), so a burst of packets survives a short
// scheduling hiccup of the read goroutine.
const socketBufferSize = 2 << 20

// ErrNoFreePort means every port of the range failed to bind.
var ErrNoFreePort = errors.New("transport: no free UDP port")

// errFamilyUnavailable marks a bind failure caused by the address family
// (no IPv6 on this host), not by the port.
var errFamilyUnavailable = errors.New("transport: address family unavailable")

// Config says where Listen binds.
type Config struct {
	// Port, when not 0, is the only port tried. Otherwise PortFrom..PortTo
	// are tried in order; both 0 means DefaultPortFrom..DefaultPortTo, one 0
	// means the other alone, and a reversed range is swapped (as c-toxcore).
	Port, PortFrom, PortTo uint16
	// Ephemeral, with Port 0, binds a port chosen by the kernel instead of
	// the range (tests, throw-away nodes).
	Ephemeral bool
	// IPv6 binds a dual-stack [::] socket (IPv4 peers arrive as mapped
	// addresses and are unmapped); if the host has no IPv6, Listen falls back
	// to 0.0.0.0. Without it Listen binds 0.0.0.0.
	IPv6 bool
	// BindAddr, when valid, is bound instead of the unspecified address
	// (e.g. 127.0.0.1 in tests); IPv6 is then ignored.
	BindAddr netip.Addr
	// Logf receives notes about socket options and fallbacks; nil is silent.
	Logf func(format string, args ...any)

	// listen replaces net.ListenUDP in tests.
	listen func(network string, laddr *net.UDPAddr) (*net.UDPConn, error)
}

// portRange resolves the ports to try; 0..0 means a kernel-chosen port.
func (cfg *Config) portRange() (from, to uint16) {
	switch {
	case cfg.Port != 0:
		return cfg.Port, cfg.Port
	case cfg.Ephemeral:
		return 0, 0
	}
	from, to = cfg.PortFrom, cfg.PortTo
	switch {
	case from == 0 && to == 0:
		return DefaultPortFrom, DefaultPortTo
	case from == 0:
		return to, to
	case to == 0:
		return from, from
	case from > to:
		return to, from
	}
	return from, to
}

// Listen opens the node's UDP socket, trying the port range in order as
// c-toxcore does, and returns it as a PacketConn for New. The socket has
// broadcast enabled (LAN discovery, tox-protocol.md §4.3) and, when IPv6,
// has joined the ff02::1 all-nodes group; failures of those options are
// logged, not fatal.
func Listen(cfg Config) (PacketConn, error) {
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.listen == nil {
		cfg.listen = net.ListenUDP
	}
	from, to := cfg.portRange()
	if cfg.BindAddr.IsValid() {
		return listenRange(&cfg, "udp", cfg.BindAddr.Unmap(), from, to)
	}
	if cfg.IPv6 {
		// "udp" (not "udp6") with the unspecified address gives a socket with
		// IPV6_V6ONLY off: the dual-stack socket c-toxcore uses.
		c, err := listenRange(&cfg, "udp", netip.IPv6Unspecified(), from, to)
		if !errors.Is(err, errFamilyUnavailable) {
			return c, err
		}
		cfg.Logf("transport: no IPv6 (%v); falling back to IPv4", err)
	}
	return listenRange(&cfg, "udp4", netip.IPv4Unspecified(), from, to)
}

func listenRange(cfg *Config, network string, addr netip.Addr, from, to uint16) (PacketConn, error) {
	var last error
	for p := int(from); p <= int(to); p++ {
		laddr := net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, uint16(p)))
		uc, err := cfg.listen(network, laddr)
		if err == nil {
			return newUDPConn(uc, cfg.Logf), nil
		}
		if addr.Is6() && familyUnavailable(err) {
			return nil, fmt.Errorf("%w: %w", errFamilyUnavailable, err)
		}
		last = err
	}
	if from == 0 {
		return nil, fmt.Errorf("transport: listen on %v: %w", addr, last)
	}
	return nil, fmt.Errorf("%w on %v in %d..%d (last error: %w)", ErrNoFreePort, addr, from, to, last)
}

// familyUnavailable reports whether a bind error means the host cannot do
// this address family at all.
func familyUnavailable(err error) bool {
	return errors.Is(err, syscall.EAFNOSUPPORT) ||
		errors.Is(err, syscall.EPROTONOSUPPORT) ||
		errors.Is(err, syscall.EADDRNOTAVAIL)
}
