package dht

import "net/netip"

// IsLAN reports whether ip is a loopback or LAN address, as c-toxcore's
// ip_is_lan (tox-protocol.md §3.3): 127/8, 10/8, 172.16/12, 192.168/16,
// 169.254.1.0-169.254.254.255, 100.64/10, ::1, fe80::/10, the ff0X::1
// multicast addresses (X < 3), and the IPv4-mapped forms of the IPv4 ones.
// Nodes at such addresses are only given to requesters that are on a LAN.
func IsLAN(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.Is4() {
		a := ip.As4()
		switch {
		case a[0] == 127, a[0] == 10:
			return true
		case a[0] == 172 && a[1] >= 16 && a[1] <= 31:
			return true
		case a[0] == 192 && a[1] == 168:
			return true
		case a[0] == 169 && a[1] == 254 && a[2] != 0 && a[2] != 255:
			return true
		case a[0] == 100 && a[1]&0xc0 == 0x40:
			return true
		}
		return false
	}
	if !ip.Is6() {
		return false
	}
	a := ip.As16()
	if ip == netip.IPv6Loopback() {
		return true
	}
	if a[0] == 0xff && a[1] < 3 && a[15] == 1 {
		return true
	}
	return a[0] == 0xfe && a[1]&0xc0 == 0x80
}
