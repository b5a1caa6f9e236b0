package tox

import (
	"net/netip"
	"time"

	"parley/net/dht"
)

// Timers of the node loop's own housekeeping.
const (
	// RebootstrapInterval: while no DHT node is good, the bootstrap nodes
	// are asked again this often, so one lost reply cannot leave us alone
	// (c-toxcore leaves this to clients; qTox and toxic retry too).
	RebootstrapInterval = 5 * time.Second
	// LANDiscoveryInterval is LAN_DISCOVERY_INTERVAL (§4.3).
	LANDiscoveryInterval = 10 * time.Second
	// lanPortFirst and lanPortLast bound the ports LAN discovery reaches:
	// 33445 always, and a window of lanWindowSize sliding over the rest.
	lanPortFirst  = 33445
	lanPortLast   = 33545
	lanWindowSize = 10
)

// maintain runs the node loop's periodic work after the DHT's own Tick.
func (n *Node) maintain(now time.Time) {
	if len(n.cfg.Bootstrap) > 0 && now.Sub(n.lastRebootstrap) >= RebootstrapInterval && !n.dht.Connected(now) {
		n.lastRebootstrap = now
		for _, b := range n.cfg.Bootstrap {
			n.dht.Bootstrap(now, b.Addr, b.PK)
		}
	}
	if n.cfg.LANBroadcast && now.Sub(n.lastLAN) >= LANDiscoveryInterval {
		n.lastLAN = now
		n.sendLANDiscovery()
	}
}

// sendLANDiscovery broadcasts 0x21 | our DHT pk to port 33445 and to the
// next window of the port range, on IPv4 broadcast and, with IPv6, the
// all-nodes multicast group, as c-toxcore does.
func (n *Node) sendLANDiscovery() {
	pkt := n.dht.LANDiscoveryPacket()
	dsts := []netip.Addr{netip.AddrFrom4([4]byte{255, 255, 255, 255})}
	if local := n.tr.LocalAddr().Addr(); local.Is6() && !local.Is4In6() {
		dsts = append(dsts, netip.MustParseAddr("ff02::1"))
	}
	ports := []uint16{lanPortFirst}
	for i := uint16(0); i < lanWindowSize; i++ {
		p := lanPortFirst + 1 + (n.lanWindow+i)%(lanPortLast-lanPortFirst)
		ports = append(ports, p)
	}
	n.lanWindow = (n.lanWindow + lanWindowSize) % (lanPortLast - lanPortFirst)
	for _, a := range dsts {
		for _, p := range ports {
			_ = n.tr.Send(netip.AddrPortFrom(a, p), pkt) // best effort: a LAN may have no broadcast route
		}
	}
}

// SendLANDiscovery sends one LAN discovery packet to dst: a node there with
// local discovery on bootstraps from us (tox-protocol.md §4.3).
func (n *Node) SendLANDiscovery(dst netip.AddrPort) error {
	m := dht.LANDiscovery{PK: n.self} // built here: n.dht belongs to the loop
	pkt, err := m.AppendBinary(nil)
	if err != nil {
		return err
	}
	return n.tr.Send(dst, pkt)
}
