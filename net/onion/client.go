package onion

import (
	"net/netip"
	"slices"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// client is the onion client (tox-protocol.md §5.2-5.5, c-toxcore's
// onion_client.c): it keeps us announced at the 12 nodes closest to our
// long-term key, searches the 8 nodes closest to each friend for the
// friend's data key, and sends onion data to friends it found.
type client struct {
	o *Onion
	// temp is our onion data key pair, new every session; friends box
	// onion data to its public key, which we announce as data_pk.
	temp key.Pair
	// selfKeys caches beforenm(node pk, our long-term sk).
	selfKeys *crypto.SharedKeys

	self        []onionNode // our announce list, maxAnnounceNodes long
	selfPinged  pingedRing
	selfPaths   pathSet
	friendPaths pathSet
	friends     map[key.PublicKey]*friend

	pathNodes      []wire.Node // ring of at most maxPathNodes proven nodes
	pathNodesAdded int         // c-toxcore's path_nodes_index

	sendbacks map[[SendbackSize]byte]pending

	lastRun           time.Time
	lastAnnounce      time.Time
	lastPopulated     time.Time
	lastPacketRecv    time.Time
	lastTimeConnected time.Time
	connCount         int
	wasConnected      bool
	noReplay          uint64
}

// pending is an announce request awaiting its response, keyed by the
// sendback we put in it (c-toxcore's announce ping array, 10 s).
type pending struct {
	friend  *friend // nil: announcing ourselves
	node    wire.Node
	pathID  uint32
	pingID  [PingIDSize]byte
	expires time.Time
}

func newClient(o *Onion) (*client, error) {
	t, err := o.newPair()
	if err != nil {
		return nil, err
	}
	return &client{
		o:         o,
		temp:      t,
		selfKeys:  crypto.NewSharedKeys(o.cfg.Self.Secret, sharedKeyCache, 600*time.Second),
		self:      make([]onionNode, maxAnnounceNodes),
		friends:   make(map[key.PublicKey]*friend),
		sendbacks: make(map[[SendbackSize]byte]pending),
	}, nil
}

// onionNode is a node in our announce list or a friend's search list.
type onionNode struct {
	pk         key.PublicKey
	addr       netip.AddrPort
	pingID     [PingIDSize]byte
	dataPK     key.PublicKey
	isStored   byte
	added      time.Time
	seen       time.Time // last response; zero: an empty slot
	lastPinged time.Time
	pings      int // requests since the last response
	pathUsed   uint32
}

// ancient stands for c-toxcore's last_pinged = 1: "pinged long ago".
var ancient = time.Unix(1, 0)

func (n *onionNode) timedOut(now time.Time) bool {
	return n.seen.IsZero() || (n.pings >= nodeMaxPings && expired(now, n.lastPinged, nodePingInterval))
}

// sortNodes orders a list as c-toxcore does: timed-out entries first, then
// the farthest from ref to the closest, so index 0 is the first to replace.
func sortNodes(now time.Time, list []onionNode, ref key.PublicKey) {
	slices.SortStableFunc(list, func(a, b onionNode) int {
		ta, tb := a.timedOut(now), b.timedOut(now)
		switch {
		case ta && tb:
			return 0
		case ta:
			return -1
		case tb:
			return 1
		}
		return -key.Distance(&ref, &a.pk, &b.pk)
	})
}

// pingedRing remembers the last 9 nodes we sent a first request to, so a
// node is not asked twice within 10 s (c-toxcore's good_to_ping).
type pingedRing struct {
	e [maxStoredPinged]struct {
		pk key.PublicKey
		t  time.Time
	}
	i int
}

func (r *pingedRing) goodToPing(now time.Time, pk key.PublicKey) bool {
	for _, e := range r.e {
		if !expired(now, e.t, minNodePingTime) && e.pk == pk {
			return false
		}
	}
	r.e[r.i%maxStoredPinged].pk = pk
	r.e[r.i%maxStoredPinged].t = now
	r.i++
	return true
}

// addPathNode records a node that answered or relayed for us.
func (c *client) addPathNode(n wire.Node) {
	if n.TCP || !sendable(n.Addr) || n.PK == c.o.cfg.DHT.Public {
		return // a path through ourselves hides nothing
	}
	for _, p := range c.pathNodes {
		if p.PK == n.PK {
			return
		}
	}
	if len(c.pathNodes) < maxPathNodes {
		c.pathNodes = append(c.pathNodes, n)
	} else {
		c.pathNodes[c.pathNodesAdded%maxPathNodes] = n
	}
	c.pathNodesAdded++
}

// populatePathNodes adds up to 8 random candidates from the DHT and the
// bootstrap list, as c-toxcore adds its DHT's random friend-list nodes
// every tick.
func (c *client) populatePathNodes(now time.Time) {
	cands := usable(c.o.cfg.PathNodes(now))
	for i := 0; i < maxFriendNodes && len(cands) > 0; i++ {
		j, err := c.o.randN(len(cands))
		if err != nil {
			return
		}
		c.addPathNode(cands[j])
		cands = slices.Delete(cands, j, j+1)
	}
}

// pathCandidates returns the nodes paths are drawn from.
func (c *client) pathCandidates(now time.Time) []wire.Node {
	if len(c.pathNodes) > 0 {
		return c.pathNodes
	}
	cands := usable(c.o.cfg.PathNodes(now))
	return slices.DeleteFunc(cands, func(n wire.Node) bool { return n.PK == c.o.cfg.DHT.Public })
}

// usable filters nodes down to UDP nodes with a sendable address.
func usable(nodes []wire.Node) []wire.Node {
	out := make([]wire.Node, 0, len(nodes))
	for _, n := range nodes {
		if !n.TCP && sendable(n.Addr) {
			out = append(out, n)
		}
	}
	return out
}

// newSendback registers a pending request and returns its sendback.
func (c *client) newSendback(now time.Time, p pending) ([SendbackSize]byte, error) {
	var sb [SendbackSize]byte
	if len(c.sendbacks) >= sendbackMax {
		c.expireSendbacks(now)
	}
	if len(c.sendbacks) >= sendbackMax {
		// Full of live requests: forget the one that expires first.
		var oldest [SendbackSize]byte
		first := true
		for k, v := range c.sendbacks {
			if first || v.expires.Before(c.sendbacks[oldest].expires) {
				oldest, first = k, false
			}
		}
		delete(c.sendbacks, oldest)
	}
	for {
		if err := c.o.readRand(sb[:]); err != nil {
			return sb, err
		}
		if _, dup := c.sendbacks[sb]; !dup && sb != [SendbackSize]byte{} {
			break
		}
	}
	p.expires = now.Add(sendbackTimeout)
	c.sendbacks[sb] = p
	return sb, nil
}

// takeSendback returns and forgets the pending request for sb.
func (c *client) takeSendback(now time.Time, sb [SendbackSize]byte) (pending, bool) {
	p, ok := c.sendbacks[sb]
	if !ok {
		return pending{}, false
	}
	delete(c.sendbacks, sb)
	if now.After(p.expires) {
		return pending{}, false
	}
	return p, true
}

func (c *client) expireSendbacks(now time.Time) {
	for k, v := range c.sendbacks {
		if now.After(v.expires) {
			delete(c.sendbacks, k)
		}
	}
}

// tick is c-toxcore's do_onion_client: at most once a second, refresh path
// nodes, announce, update the connected state and search for friends.
func (c *client) tick(now time.Time) {
	if !c.lastRun.IsZero() && now.Sub(c.lastRun) < tickInterval {
		return
	}
	c.lastRun = now
	c.expireSendbacks(now)
	c.populatePathNodes(now)
	c.doAnnounce(now)
	if c.isConnected(now) {
		if expired(now, c.lastTimeConnected, connectedTimeout) {
			for _, f := range c.friends {
				f.runCount = 0
			}
		}
		c.lastTimeConnected = now
		if c.connCount < 2*c.o.cfg.ConnectedTicks {
			c.connCount++
		}
	} else if c.connCount > 0 {
		c.connCount--
	}
	if conn := c.connected(now); conn != c.wasConnected {
		c.wasConnected = conn
		c.o.logf("connected: %v", conn)
		c.o.emit(ConnectionChanged{Connected: conn})
	}
	if c.connected(now) {
		for _, f := range c.friends {
			c.doFriend(now, f)
		}
	}
}

func (c *client) connected(now time.Time) bool {
	return c.connCount >= c.o.cfg.ConnectedTicks && !expired(now, c.lastPacketRecv, offlineTimeout)
}

// isConnected is the "onion connected" rule (c-toxcore onion_isconnected):
// heard from a node within 75 s, and announced to at least half of the live
// announce nodes, which must be at least half of min(path nodes, 12).
func (c *client) isConnected(now time.Time) bool {
	if expired(now, c.lastPacketRecv, offlineTimeout) || c.pathNodesAdded == 0 {
		c.lastPopulated = time.Time{}
		return false
	}
	num, announced := 0, 0
	for i := range c.self {
		if !c.self[i].timedOut(now) {
			num++
			if c.self[i].isStored != NotStored {
				announced++
			}
		}
	}
	pnodes := min(c.pathNodesAdded, maxAnnounceNodes)
	if num != 0 && announced != 0 && num/2 <= announced && pnodes/2 <= num {
		return true
	}
	c.lastPopulated = time.Time{}
	return false
}

func (c *client) fillStats(s *Stats) {
	now := c.lastRun
	for i := range c.self {
		if !c.self[i].timedOut(now) {
			s.AnnounceNodes++
			if c.self[i].isStored != NotStored {
				s.AnnouncedNodes++
			}
		}
	}
	s.PathNodes = len(c.pathNodes)
	s.Friends = len(c.friends)
	s.Connected = c.connected(now)
}
