package tox

import (
	"time"

	"parley/net/key"
	"parley/net/session"
	"parley/net/tcprelay"
	"parley/net/wire"
)

// How friends reach each other through TCP relays (tox-protocol.md §5.4,
// §9). Our DHT PK announcements carry up to maxAnnouncedRelays of the
// relays we are connected to; a friend's announced relays are remembered
// on its peer. For every friend without a live direct UDP session we ask
// each connected relay for a route to the friend's DHT key; net_crypto
// packets to it then go as routed data where the friend is online on a
// relay, and out of band through the relays where we registered it (or
// that it announced) before that. Packets from a relay reach the session
// Manager tagged with the sender's DHT key.
const (
	// maxAnnouncedRelays of our relays go in a DHT PK announcement
	// (c-toxcore: MAX_SENT_NODES / 2).
	maxAnnouncedRelays = 2
	// announcedNodes is the announcement's node count (MAX_SENT_NODES).
	announcedNodes = 4
	// maxFriendRelays of a friend's announced relays are remembered.
	maxFriendRelays = 8
)

// announceNodes are the nodes of our DHT PK announcements: our connected
// relays first, then DHT nodes close to us.
func (n *Node) announceNodes() []wire.Node {
	out := n.connectedRelays()
	if len(out) > maxAnnouncedRelays {
		out = out[:maxAnnouncedRelays]
	}
	return append(out, n.dht.Closest(n.self, announcedNodes-len(out), true)...)
}

// learnFriendRelays remembers the TCP relays a friend announced.
func (n *Node) learnFriendRelays(p *peer, nodes []wire.Node) {
	for _, nd := range nodes {
		if !nd.TCP || n.addRelay(nd) == nil {
			continue
		}
		known := false
		for i, old := range p.relays {
			if old.PK == nd.PK {
				p.relays[i], known = nd, true
			}
		}
		if !known {
			if len(p.relays) == maxFriendRelays {
				p.relays = p.relays[1:]
			}
			p.relays = append(p.relays, nd)
		}
	}
}

// needsRelay reports whether friend p lacks a live direct UDP session.
func (n *Node) needsRelay(now time.Time, p *peer) bool {
	if p.dhtPK.IsZero() {
		return false
	}
	c := n.sessions.Conn(p.pk)
	return c == nil || c.State() != session.StateEstablished || !c.Direct(now)
}

// routeFriends asks every connected relay for a route to each friend that
// needs one.
func (n *Node) routeFriends(now time.Time) {
	for _, p := range n.peers {
		if !n.needsRelay(now, p) {
			continue
		}
		for _, r := range n.relayOrder {
			l := r.link
			if !r.up() || l.requested[p.dhtPK] {
				continue
			}
			if n.relayQueue(l, relayCmd{route: true, pk: p.dhtPK}) {
				l.requested[p.dhtPK] = true
			}
		}
	}
}

// friendRelaysNeeded lists, for each friend that needs a relay and shares
// no connected relay with us, one of its announced relays to connect to.
func (n *Node) friendRelaysNeeded(now time.Time) []*relay {
	var out []*relay
	for _, p := range n.peers {
		if len(p.relays) == 0 || !n.needsRelay(now, p) {
			continue
		}
		var pick *relay
		shared := false
		for _, nd := range p.relays {
			r := n.relays[nd.PK]
			if r == nil {
				continue
			}
			if r.link != nil {
				shared = true
				break
			}
			if pick == nil && !now.Before(r.retryAt) {
				pick = r
			}
		}
		if !shared && pick != nil {
			out = append(out, pick)
		}
	}
	return out
}

// onRelayEvent runs on the loop for one event of relay link l.
func (n *Node) onRelayEvent(now time.Time, l *relayLink, ev tcprelay.Event) {
	switch e := ev.(type) {
	case tcprelay.Routed:
		l.ids[e.PK] = e.ConnID
	case tcprelay.PeerOnline:
		l.ids[e.PK] = e.ConnID
		l.online[e.PK] = true
	case tcprelay.PeerOffline:
		delete(l.online, e.PK)
	case tcprelay.Received:
		id := e.ConnID
		n.relayedCrypto(now, e.PK, e.Data, func(pkt []byte) { n.relayQueue(l, relayCmd{id: id, data: pkt}) })
	case tcprelay.OnionReceived:
		if err := n.onion.HandleTCPResponse(now, l.relay.node.Addr, e.Packet); err != nil {
			n.drops.count(err)
		}
	case tcprelay.OOBReceived:
		from := e.From
		n.relayedCrypto(now, from, e.Data, func(pkt []byte) {
			if len(pkt) <= tcprelay.MaxOOBDataSize {
				n.relayQueue(l, relayCmd{oob: true, pk: from, data: pkt})
			}
		})
	}
}

// relayedCrypto hands a net_crypto packet from a relay to the sessions.
func (n *Node) relayedCrypto(now time.Time, from key.PublicKey, data []byte, reply func([]byte)) {
	if n.sessions == nil || len(data) == 0 {
		return
	}
	if k := wire.Kind(data[0]); k < wire.KindCookieRequest || k > wire.KindCryptoData {
		n.drops["relay-kind"]++
		return
	}
	if err := n.sessions.HandleTCPPacket(now, from, data, reply); err != nil {
		n.drops.count(err)
	}
}

// sendTCP is the session Manager's SendTCP: routed data on the first
// relay where the peer is online, else out of band through every
// connected relay where we registered it or that it announced.
func (n *Node) sendTCP(peerDHT key.PublicKey, pkt []byte) bool {
	for _, r := range n.relayOrder {
		if r.up() && r.link.online[peerDHT] {
			return n.relayQueue(r.link, relayCmd{id: r.link.ids[peerDHT], data: pkt})
		}
	}
	if len(pkt) > tcprelay.MaxOOBDataSize {
		return false
	}
	var announced []wire.Node
	for _, p := range n.peers {
		if p.dhtPK == peerDHT {
			announced = p.relays
		}
	}
	sent := false
	for _, r := range n.relayOrder {
		if !r.up() {
			continue
		}
		_, registered := r.link.ids[peerDHT]
		if !registered && !hasNode(announced, r.node.PK) {
			continue
		}
		if n.relayQueue(r.link, relayCmd{oob: true, pk: peerDHT, data: pkt}) {
			sent = true
		}
	}
	return sent
}

func hasNode(nodes []wire.Node, pk key.PublicKey) bool {
	for _, nd := range nodes {
		if nd.PK == pk {
			return true
		}
	}
	return false
}

// linkInfo describes a session's path for FriendConnection: the UDP
// address, or "tcp via <relay>" when it runs through a relay.
func (n *Node) linkInfo(now time.Time, c *session.Conn) (addr string, relayed bool) {
	if c.Relayed(now) {
		for _, r := range n.relayOrder {
			if r.up() && r.link.online[c.PeerDHT()] {
				return "tcp via " + r.node.Addr.String(), true
			}
		}
		return "tcp", true
	}
	a, _ := c.Addr(now)
	return a.String(), false
}

// publishLinkChanges republishes FriendConnection when an established
// session moves between direct UDP and a relay.
func (n *Node) publishLinkChanges(now time.Time) {
	for _, p := range n.peers {
		c := n.sessions.Conn(p.pk)
		if c == nil || c.State() != session.StateEstablished {
			continue
		}
		addr, relayed := n.linkInfo(now, c)
		if relayed != p.relayed {
			p.relayed = relayed
			n.subs.publish(FriendConnection{Friend: p.pk, Connected: true, Addr: addr, Relayed: relayed})
		}
	}
}
