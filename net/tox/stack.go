package tox

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/dht"
	"parley/net/friend"
	"parley/net/key"
	"parley/net/onion"
	"parley/net/session"
	"parley/net/wire"
)

// build creates the protocol state machines and wires them together. All
// of them run on the node loop; the callbacks below run there too.
func (n *Node) build(now time.Time) error {
	n.dht = dht.New(dht.Config{
		Keys:         n.keys,
		Send:         n.send,
		Rand:         n.cfg.Rand,
		Logf:         n.cfg.Logf,
		LANDiscovery: n.cfg.LANDiscovery,
	}, now)
	shared := func(now time.Time, pk key.PublicKey) crypto.SharedKey { return n.dht.SharedKey(now, pk) }
	o, err := onion.New(onion.Config{
		Self:          n.id,
		DHT:           n.keys,
		Send:          n.send,
		Rand:          n.cfg.Rand,
		Logf:          n.cfg.Logf,
		SharedKey:     shared,
		Closest:       n.dht.Closest,
		PathNodes:     n.pathNodes,
		DisableClient: n.cfg.RelayOnly,
		SendTCP:       n.onionSendTCP(),
	})
	if err != nil {
		return err
	}
	n.onion = o
	n.dht.HandleRequest(dht.SubtypeDHTPK, func(now time.Time, _ netip.AddrPort, sender key.PublicKey, data []byte) {
		if err := n.onion.HandleDHTPKRequest(now, sender, data); err != nil {
			n.drops.count(err)
		}
	})
	if n.cfg.RelayOnly {
		return nil
	}
	sm, err := session.NewManager(session.Config{
		Self:       n.id,
		DHT:        n.keys,
		SharedKey:  shared,
		Send:       n.send,
		SendTCP:    n.sendTCP,
		Rand:       n.cfg.Rand,
		Logf:       n.cfg.Logf,
		Accept:     func(pk key.PublicKey) bool { return n.friends.IsFriend(pk) },
		OnState:    n.onSessionState,
		OnLossless: n.onLossless,
		OnLossy:    n.onLossy,
		OnAcked:    n.onAcked,
		OnDHTKey:   n.onSessionDHTKey,
	}, now)
	if err != nil {
		return err
	}
	n.sessions = sm
	fm, err := friend.New(friend.Config{Self: n.id.Public, Nospam: n.cfg.Nospam, Requests: n.onion}, now)
	if err != nil {
		return err
	}
	n.friends = fm
	for _, set := range []func() error{
		func() error { return ignoreEmpty(fm.SetName(now, n.cfg.Name), n.cfg.Name) },
		func() error { return ignoreEmpty(fm.SetStatusMessage(now, n.cfg.StatusMessage), n.cfg.StatusMessage) },
		func() error { return fm.SetUserStatus(now, n.cfg.UserStatus) },
	} {
		if err := set(); err != nil {
			return err
		}
	}
	for _, pk := range n.cfg.Friends {
		if err := n.addConfirmedFriend(pk); err != nil {
			return err
		}
	}
	return nil
}

func ignoreEmpty(err error, s string) error {
	if s == "" {
		return nil
	}
	return err
}

// pathNodes gives the onion candidate nodes for its paths: random good DHT
// nodes, and the bootstrap nodes until the DHT has some.
func (n *Node) pathNodes(now time.Time) []wire.Node {
	if n.cfg.DisableUDP {
		return n.tcpPathNodes()
	}
	out := n.dht.RandomNodes(16)
	if len(out) < 4 {
		out = append(out, n.cfg.Bootstrap...)
	}
	return out
}

// dispatch hands one packet to the state machine that speaks its kind.
func (n *Node) dispatch(now time.Time, src netip.AddrPort, pkt []byte) error {
	switch k := wire.Kind(pkt[0]); {
	case k <= wire.KindNodesResponse || k == wire.KindCrypto || k == wire.KindLANDiscovery:
		return n.dht.HandlePacket(now, src, pkt)
	case k == wire.KindBootstrapInfo:
		if !IsBootstrapInfoRequest(pkt) {
			return fmt.Errorf("%w: bootstrap info request of %d bytes", wire.ErrMalformed, len(pkt))
		}
		reply, err := AppendBootstrapInfo(nil, Version, n.cfg.MOTD)
		if err != nil {
			return err
		}
		n.send(src, reply)
		return nil
	case k >= wire.KindCookieRequest && k <= wire.KindCryptoData:
		if n.sessions == nil {
			return errDisabled
		}
		return n.sessions.HandlePacket(now, src, pkt)
	default:
		return n.onion.HandlePacket(now, src, pkt)
	}
}

var errDisabled = errors.New("tox: not served by a relay-only node")

// tick runs every state machine's timers and the node's own.
func (n *Node) tick(now time.Time) {
	n.dht.Tick(now)
	n.onion.Tick(now)
	if n.sessions != nil {
		n.sessions.Tick(now)
		n.friends.Tick(now)
		n.tickPeers(now)
		n.tickOutbox(now)
		n.maintainRelays(now)
		n.routeFriends(now)
		n.publishLinkChanges(now)
	}
	n.maintain(now)
}

// deadlines lists when the state machines next have work.
func (n *Node) deadlines() []time.Time {
	out := []time.Time{n.dht.NextDeadline()}
	if n.sessions != nil {
		out = append(out, n.sessions.NextDeadline(), n.friends.NextDeadline())
	}
	return out
}

// drain moves the onion's and the friend layer's events to where they go.
func (n *Node) drain(now time.Time) {
	for i := 0; i < 4; i++ { // handling an event may raise another
		oe := n.onion.Events()
		var fe []friend.Event
		if n.friends != nil {
			fe = n.friends.Events()
		}
		if len(oe) == 0 && len(fe) == 0 {
			break
		}
		for _, e := range oe {
			n.onOnionEvent(now, e)
		}
		for _, e := range fe {
			n.onFriendEvent(now, e)
		}
	}
	sc := SelfConnection{DHT: n.dht.Connected(now), Onion: n.onion.Connected(now)}
	if sc != n.selfConn {
		n.selfConn = sc
		n.subs.publish(sc)
	}
}

func (n *Node) onOnionEvent(now time.Time, e onion.Event) {
	if n.friends == nil {
		return
	}
	switch e := e.(type) {
	case onion.FriendRequestReceived:
		if err := n.friends.HandleFriendRequest(now, e.From, e.Nospam, e.Message); err != nil {
			n.drops.count(err)
		}
	case onion.DHTPKReceived:
		n.learnDHTKey(now, e.From, e.DHTPK, e.Nodes)
	case onion.FriendFound:
		if p := n.peers[e.PK]; p != nil {
			p.found = true
		}
	}
}

func (n *Node) onFriendEvent(now time.Time, e friend.Event) {
	n.outboxEvent(now, e)
	switch e := e.(type) {
	case friend.FriendOnline:
		_ = n.onion.SetFriendOnline(e.Friend, true)
	case friend.FriendOffline:
		_ = n.onion.SetFriendOnline(e.Friend, false)
	case friend.ConnectionDead:
		if c := n.sessions.Conn(e.Friend); c != nil {
			c.Kill(now)
		}
	}
	n.subs.publish(FriendEvent{e})
}

// Session callbacks.

func (n *Node) onSessionState(c *session.Conn, s session.State) {
	now := n.clock.Now()
	switch s {
	case session.StateEstablished:
		if err := n.friends.LinkUp(now, c.Peer(), c); err != nil {
			n.cfg.Logf("tox: link up %s: %v", c.Peer().Short(), err)
		}
		n.notePeer(now, c)
		addr, relayed := n.linkInfo(now, c)
		if p := n.peers[c.Peer()]; p != nil {
			p.relayed = relayed
		}
		n.subs.publish(FriendConnection{Friend: c.Peer(), Connected: true, Addr: addr, Relayed: relayed})
	case session.StateClosed:
		_ = n.friends.LinkDown(now, c.Peer())
		n.subs.publish(FriendConnection{Friend: c.Peer(), Connected: false})
	}
}

func (n *Node) onLossless(c *session.Conn, data []byte) {
	if n.outboxLossless(c.Peer(), data) {
		return
	}
	if err := n.friends.HandleLossless(n.clock.Now(), c.Peer(), data); err != nil {
		n.drops.count(err)
	}
}

func (n *Node) onLossy(c *session.Conn, data []byte) {
	if err := n.friends.HandleLossy(n.clock.Now(), c.Peer(), data); err != nil {
		n.drops.count(err)
	}
}

func (n *Node) onAcked(c *session.Conn, pn uint32) {
	if err := n.friends.HandleAcked(n.clock.Now(), c.Peer(), pn); err != nil {
		n.drops.count(err)
	}
}

func (n *Node) onSessionDHTKey(c *session.Conn, dhtPK key.PublicKey) {
	n.learnDHTKey(n.clock.Now(), c.Peer(), dhtPK, nil)
}

// shutdown tells connected friends we are leaving.
func (n *Node) shutdown(now time.Time) {
	if n.sessions != nil {
		n.sessions.Close(now)
	}
}
