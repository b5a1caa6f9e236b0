package nodes

import (
	"net/netip"

	"parley/net/key"
	"parley/net/wire"
)

// TCPRelays returns up to max TCP relays: the resolved bootstrap nodes
// whose list entry names TCP ports, at their first TCP port, in the order
// shuffle leaves them (so that every Parley does not lean on the same few
// public relays; nil keeps the list order).
func TCPRelays(entries []Entry, resolved []wire.Node, max int, shuffle func(n int, swap func(i, j int))) []wire.Node {
	ports := make(map[key.PublicKey]uint16)
	for _, e := range entries {
		if len(e.TCPPorts) > 0 && e.TCPPorts[0] != 0 {
			ports[e.PK] = e.TCPPorts[0]
		}
	}
	var out []wire.Node
	seen := make(map[key.PublicKey]bool)
	for _, n := range resolved {
		port, ok := ports[n.PK]
		if !ok || seen[n.PK] {
			continue
		}
		seen[n.PK] = true
		out = append(out, wire.Node{PK: n.PK, Addr: netip.AddrPortFrom(n.Addr.Addr(), port), TCP: true})
	}
	if shuffle != nil {
		shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	return out[:min(len(out), max)]
}
