package tox

import (
	"net/netip"
	"time"

	"parley/net/dht"
	"parley/net/key"
	"parley/net/session"
	"parley/net/wire"
)

// Friend-finding timers (tox-protocol.md §5.4–5.5).
const (
	// OnionDHTPKInterval: our DHT key goes to an offline friend over the
	// onion this often (c-toxcore: 30 s), and on every tick until the
	// first copy could be sent.
	OnionDHTPKInterval = 30 * time.Second
	// DHTDHTPKInterval: the same over DHT-routed packets (DHT_DHTPK_SEND_INTERVAL).
	DHTDHTPKInterval = 20 * time.Second
)

// peer is what the node loop knows about reaching one friend.
type peer struct {
	pk        key.PublicKey
	dhtPK     key.PublicKey // zero until learned
	release   func()        // drops our DHT friend entry for dhtPK
	found     bool          // the onion found where the friend is announced
	onionSent time.Time     // last DHT PK announcement over the onion
	dhtSent   time.Time     // last over the DHT
	relays    []wire.Node   // TCP relays the friend announced (relaypath.go)
	relayed   bool          // the last FriendConnection said relayed
}

// track makes the node look for pk: onion search, DHT key exchange, and a
// session once an address is known.
func (n *Node) track(pk key.PublicKey) {
	if _, ok := n.peers[pk]; ok {
		return
	}
	n.peers[pk] = &peer{pk: pk}
	if err := n.onion.AddFriend(pk); err != nil {
		n.cfg.Logf("tox: onion search for %s: %v", pk.Short(), err)
	}
}

// untrack forgets pk.
func (n *Node) untrack(now time.Time, pk key.PublicKey) {
	p := n.peers[pk]
	if p == nil {
		return
	}
	if p.release != nil {
		p.release()
	}
	delete(n.peers, pk)
	n.onion.RemoveFriend(pk)
	if c := n.sessions.Conn(pk); c != nil {
		c.Kill(now)
	}
}

func (n *Node) addConfirmedFriend(pk key.PublicKey) error {
	if err := n.friends.AddFriendNoRequest(pk); err != nil {
		return err
	}
	n.track(pk)
	return nil
}

// learnDHTKey records a friend's DHT key, from a DHT PK announcement or a
// handshake, makes the DHT search for it, and uses any address it has.
func (n *Node) learnDHTKey(now time.Time, pk, dhtPK key.PublicKey, nodes []wire.Node) {
	p := n.peers[pk]
	if p == nil || dhtPK.IsZero() {
		return
	}
	if p.dhtPK != dhtPK {
		if p.release != nil {
			p.release()
		}
		p.dhtPK = dhtPK
		p.dhtSent = time.Time{}
		// The friend knows us (it announced itself): answer with our key
		// and relays now rather than at the next interval, which a relay-
		// only friend would otherwise wait for.
		p.onionSent = time.Time{}
		p.release = n.dht.AddFriendRef(dhtPK, func(now time.Time, addr netip.AddrPort) { n.friendAddr(now, p, addr) })
	}
	for _, nd := range nodes {
		if !nd.TCP {
			n.dht.Bootstrap(now, nd.Addr, nd.PK)
		}
	}
	n.learnFriendRelays(p, nodes)
	if addr, ok := n.dht.FriendAddr(now, dhtPK); ok {
		n.friendAddr(now, p, addr)
	}
}

// friendAddr uses a friend's address: a new session, or a new path for the
// existing one.
func (n *Node) friendAddr(now time.Time, p *peer, addr netip.AddrPort) {
	if n.peers[p.pk] != p || p.dhtPK.IsZero() {
		return
	}
	if c := n.sessions.Conn(p.pk); c != nil && c.State() != session.StateClosed {
		if c.PeerDHT() == p.dhtPK || c.State() == session.StateEstablished {
			c.SetAddr(now, addr)
			return
		}
		c.Kill(now) // begun with a stale DHT key (the peer cache's): start over
	}
	if _, err := n.sessions.Connect(now, p.pk, p.dhtPK, addr); err != nil {
		n.cfg.Logf("tox: connect %s: %v", p.pk.Short(), err)
	}
}

// tickPeers keeps offline friends informed of our DHT key and connects to
// those whose address the DHT found.
func (n *Node) tickPeers(now time.Time) {
	if len(n.peers) == 0 {
		return
	}
	nodes := n.announceNodes()
	for _, p := range n.peers {
		if n.friends.Online(p.pk) {
			continue
		}
		if p.onionSent.IsZero() || now.Sub(p.onionSent) >= OnionDHTPKInterval {
			if err := n.onion.SendDHTPKAnnounce(now, p.pk, n.self, nodes); err == nil {
				p.onionSent = now
			}
		}
		if p.dhtPK.IsZero() {
			continue
		}
		if now.Sub(p.dhtSent) >= DHTDHTPKInterval {
			p.dhtSent = now
			if data, err := n.onion.DHTPKRequest(now, p.pk, n.self, nodes); err == nil {
				if pkt, err := n.dht.NewRequest(now, p.dhtPK, dht.SubtypeDHTPK, data); err == nil {
					n.dht.RouteToFriend(now, p.dhtPK, pkt)
				}
			}
		}
		c := n.sessions.Conn(p.pk)
		if c == nil || c.State() == session.StateClosed {
			if addr, ok := n.dht.FriendAddr(now, p.dhtPK); ok {
				n.friendAddr(now, p, addr)
			}
		}
	}
}
