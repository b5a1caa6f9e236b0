package onion

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"parley/net/wire"
)

// AppendIPPort appends the 19-byte onion ip_port of a (tox-protocol.md
// §5.1): family (2 or 10) | 16 IP bytes, IPv4 in the first 4 and zeros
// after | port BE. IPv4-mapped IPv6 addresses are written as IPv4.
func AppendIPPort(b []byte, a netip.AddrPort) ([]byte, error) {
	ip := a.Addr().Unmap()
	var raw [16]byte
	switch {
	case ip.Is4():
		v4 := ip.As4()
		copy(raw[:], v4[:])
		b = append(b, wire.FamilyUDP4)
	case ip.Is6():
		raw = ip.As16()
		b = append(b, wire.FamilyUDP6)
	default:
		return b, fmt.Errorf("%w: ip_port without an address", wire.ErrMalformed)
	}
	b = append(b, raw[:]...)
	return binary.BigEndian.AppendUint16(b, a.Port()), nil
}

// ParseIPPort parses the onion ip_port at the front of b. Only the UDP
// families 2 and 10 are accepted; the padding after an IPv4 address is
// ignored, as c-toxcore ignores it.
func ParseIPPort(b []byte) (netip.AddrPort, error) {
	if len(b) < IPPortSize {
		return netip.AddrPort{}, fmt.Errorf("%w: ip_port needs %d bytes, have %d", wire.ErrShort, IPPortSize, len(b))
	}
	var ip netip.Addr
	switch b[0] {
	case wire.FamilyUDP4:
		ip = netip.AddrFrom4([4]byte(b[1:5]))
	case wire.FamilyUDP6:
		ip = netip.AddrFrom16([16]byte(b[1:17])).Unmap()
	default:
		return netip.AddrPort{}, fmt.Errorf("%w: ip_port family %d", wire.ErrMalformed, b[0])
	}
	return netip.AddrPortFrom(ip, binary.BigEndian.Uint16(b[17:19])), nil
}

// sendable reports whether a is an address a packet can go to.
func sendable(a netip.AddrPort) bool {
	ip := a.Addr()
	return ip.IsValid() && !ip.IsUnspecified() && !ip.IsMulticast() && a.Port() != 0
}

// isLAN reports whether ip is on a LAN or loopback, as c-toxcore's
// ip_is_lan (tox-protocol.md §3.3): 127/8, 10/8, 172.16/12, 192.168/16,
// 169.254.1.0-169.254.254.255, 100.64/10, ::1, fe80::/10 and ffX::...1 with
// X < 3, IPv4-mapped forms included. Announce responses carry LAN nodes
// only to LAN requesters.
func isLAN(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.Is4() {
		v := ip.As4()
		switch {
		case v[0] == 127, v[0] == 10:
			return true
		case v[0] == 172 && v[1] >= 16 && v[1] <= 31:
			return true
		case v[0] == 192 && v[1] == 168:
			return true
		case v[0] == 169 && v[1] == 254 && v[2] != 0 && v[2] != 255:
			return true
		}
		return v[0] == 100 && v[1]&0xc0 == 0x40
	}
	if !ip.Is6() {
		return false
	}
	if ip == netip.IPv6Loopback() {
		return true
	}
	v := ip.As16()
	return (v[0] == 0xff && v[1] < 3 && v[15] == 1) || (v[0] == 0xfe && v[1]&0xc0 == 0x80)
}
