package nodes

import (
	"context"
	"net/netip"

	"parley/net/wire"
)

// LookupFunc resolves a host name to addresses, as net.Resolver.LookupNetIP.
type LookupFunc func(ctx context.Context, network, host string) ([]netip.Addr, error)

// Resolve turns entries into UDP DHT nodes. Literal addresses need no
// lookup; names are resolved with lookup (nil means literals only). IPv6
// addresses are used only when ipv6 is true. Entries that fail to resolve
// are returned in failed, so the caller can say which nodes were
// unreachable; an empty result is not an error: the node still starts.
func Resolve(ctx context.Context, entries []Entry, ipv6 bool, lookup LookupFunc) (out []wire.Node, failed []Entry) {
	seen := make(map[netip.AddrPort]bool)
	add := func(a netip.Addr, e Entry) bool {
		a = a.Unmap()
		if a.Is6() && !ipv6 {
			return false
		}
		ap := netip.AddrPortFrom(a, e.Port)
		if !seen[ap] {
			seen[ap] = true
			out = append(out, wire.Node{PK: e.PK, Addr: ap})
		}
		return true
	}
	for _, e := range entries {
		ok := false
		for _, host := range []string{e.IPv4, e.IPv6} {
			if host == "" {
				continue
			}
			if a, err := netip.ParseAddr(host); err == nil {
				ok = add(a, e) || ok
				continue
			}
			if lookup == nil {
				continue
			}
			network := "ip4"
			if ipv6 {
				network = "ip"
			}
			addrs, err := lookup(ctx, network, host)
			if err != nil {
				continue
			}
			for _, a := range addrs {
				ok = add(a, e) || ok
			}
		}
		if !ok {
			failed = append(failed, e)
		}
	}
	return out, failed
}
