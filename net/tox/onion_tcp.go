package tox

import (
	"parley/net/key"
	"parley/net/wire"
)

// The onion over TCP relays (Config.DisableUDP; tox-protocol.md §5, §9).
// Without UDP every onion path starts at one of our connected TCP relays,
// which acts as hop A: the onion client hands it nonce and payload as an
// onion request, and the relay's onion responses come back as
// OnionReceived events (relaypath.go). Hops B and C are UDP nodes the relay
// sends to: the Bootstrap nodes, the relays themselves (tox-bootstrapd
// serves UDP on its TCP port's address, and c-toxcore's TCP mode uses its
// connected relays as path nodes too), and the nodes announce responses
// name, which the onion client learns on its own.

// maxHops bounds the hop candidates remembered from Bootstrap calls.
const maxHops = 32

// onionSendTCP returns the onion's SendTCP: nil (UDP paths) unless UDP is
// disabled.
func (n *Node) onionSendTCP() func(key.Nonce, []byte) bool {
	if !n.cfg.DisableUDP {
		return nil
	}
	var next int
	return func(nonce key.Nonce, payload []byte) bool {
		var up []*relay
		for _, r := range n.relayOrder {
			if r.up() {
				up = append(up, r)
			}
		}
		if len(up) == 0 {
			return false
		}
		next++ // spread requests over the relays, as paths spread over nodes
		r := up[next%len(up)]
		return n.relayQueue(r.link, relayCmd{onion: true, nonce: nonce, data: payload})
	}
}

// addHop remembers a bootstrap node as an onion hop candidate.
func (n *Node) addHop(nd wire.Node) {
	if nd.TCP || !nd.Addr.IsValid() || hasNode(n.hops, nd.PK) || len(n.hops) >= maxHops {
		return
	}
	n.hops = append(n.hops, nd)
}

// tcpPathNodes lists hop B and C candidates without UDP: the bootstrap
// nodes, then the connected relays as UDP nodes.
func (n *Node) tcpPathNodes() []wire.Node {
	out := make([]wire.Node, 0, len(n.cfg.Bootstrap)+len(n.hops)+len(n.relayOrder))
	for _, list := range [][]wire.Node{n.cfg.Bootstrap, n.hops} {
		for _, nd := range list {
			if !nd.TCP && !hasNode(out, nd.PK) {
				out = append(out, nd)
			}
		}
	}
	for _, nd := range n.connectedRelays() {
		if !hasNode(out, nd.PK) {
			nd.TCP = false
			out = append(out, nd)
		}
	}
	return out
}
