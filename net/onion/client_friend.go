package onion

import (
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// friend is a friend the client searches for.
type friend struct {
	pk key.PublicKey
	// temp signs our search requests, so announce nodes cannot tell who is
	// searching (a new key pair per friend per session).
	temp  key.Pair
	keys  *crypto.SharedKeys // beforenm(node pk, temp sk)
	nodes []onionNode        // the search list, maxFriendNodes long

	online        bool
	found         bool
	dataPK        key.PublicKey // last data key reported by FriendFound
	lastNoReplay  uint64
	lastPopulated time.Time
	lastPing      time.Time // c-toxcore time_last_pinged
	runCount      uint32
	pings         uint32
	pinged        pingedRing
}

// AddFriend starts searching for pk (a no-op when already added).
func (o *Onion) AddFriend(pk key.PublicKey) error {
	c := o.client
	if c == nil {
		return ErrDisabled
	}
	if _, ok := c.friends[pk]; ok {
		return nil
	}
	t, err := o.newPair()
	if err != nil {
		return err
	}
	c.friends[pk] = &friend{
		pk:    pk,
		temp:  t,
		keys:  crypto.NewSharedKeys(t.Secret, 64, 600*time.Second),
		nodes: make([]onionNode, maxFriendNodes),
	}
	return nil
}

// RemoveFriend stops searching for pk and forgets its state.
func (o *Onion) RemoveFriend(pk key.PublicKey) {
	if o.client != nil {
		delete(o.client.friends, pk)
	}
}

// SetFriendOnline tells the client whether we have a session with the
// friend: the search pauses while they are online. Going offline also
// resets the replay counter and the search backoff, as c-toxcore does.
func (o *Onion) SetFriendOnline(pk key.PublicKey, online bool) error {
	if o.client == nil {
		return ErrDisabled
	}
	f, ok := o.client.friends[pk]
	if !ok {
		return ErrNotFriend
	}
	f.online = online
	if !online {
		f.lastNoReplay = 0
		f.runCount = 0
	}
	return nil
}

// FriendStatus is what the client knows about a friend's announcements.
type FriendStatus struct {
	Found       bool          // some node told us their data key
	DataPK      key.PublicKey // the last data key we were told
	Nodes       int           // live nodes in the search list
	StoredNodes int           // of which know the friend (is_stored = 1)
}

// FriendStatus reports the search state of friend pk.
func (o *Onion) FriendStatus(now time.Time, pk key.PublicKey) (FriendStatus, bool) {
	if o.client == nil {
		return FriendStatus{}, false
	}
	f, ok := o.client.friends[pk]
	if !ok {
		return FriendStatus{}, false
	}
	s := FriendStatus{Found: f.found, DataPK: f.dataPK}
	for i := range f.nodes {
		if !f.nodes[i].timedOut(now) {
			s.Nodes++
			if f.nodes[i].isStored != NotStored {
				s.StoredNodes++
			}
		}
	}
	return s, true
}

// searchInterval is the per-node search interval in seconds: 3 s for the
// first rounds, then doubling with every round up to an hour.
func (f *friend) searchInterval() uint32 {
	if f.runCount <= friendRunCountNew {
		return friendNewInterval
	}
	return min(uint32(1)<<min(maxRunCountExp, f.runCount-2), friendMaxInterval)
}

// doFriend searches for an offline friend (c-toxcore do_friend): each live
// node of the search list is asked again every interval, requests spaced
// interval/4 apart; while the list is at most half full (or every 10
// minutes), 8 random path nodes get a first request.
func (c *client) doFriend(now time.Time, f *friend) {
	if f.online {
		return
	}
	interval := f.searchInterval()
	newFriend := f.runCount <= friendRunCountNew
	spacing := time.Duration(interval/(maxFriendNodes/2)) * time.Second
	count := 0
	for i := range f.nodes {
		n := &f.nodes[i]
		if n.timedOut(now) {
			continue
		}
		count++
		if n.lastPinged.IsZero() {
			n.lastPinged = now // do not ask a new node again right away
			continue
		}
		if n.pings >= nodeMaxPings {
			continue
		}
		if !expired(now, f.lastPing, spacing) || !expired(now, n.lastPinged, time.Duration(interval)*time.Second) {
			continue
		}
		if c.sendAnnounce(now, f, wire.Node{PK: n.pk, Addr: n.addr}, [PingIDSize]byte{}, anyPath) == nil {
			n.lastPinged = now
			f.lastPing = now
			n.pings++
			f.pings++
			if f.pings%(maxFriendNodes/2) == 0 {
				f.runCount++
			}
		}
	}
	if count == maxFriendNodes || count >= len(c.pathNodes) && len(c.pathNodes) > 0 { // see doAnnounce
		if !newFriend {
			f.lastPopulated = now
		}
		return
	}
	if count > maxFriendNodes/2 && !expired(now, f.lastPopulated, populateTimeout) {
		return
	}
	cands := c.pathNodes
	if len(cands) > 0 {
		f.lastPopulated = now
		for i := 0; i < min(len(cands), maxPathNodes/4); i++ {
			j, err := c.o.randN(len(cands))
			if err != nil {
				return
			}
			if err := c.sendAnnounce(now, f, cands[j], [PingIDSize]byte{}, anyPath); err != nil {
				c.o.logf("search for %s at %v: %v", f.pk.Short(), cands[j], err)
			}
		}
	}
	// Parley addition: our own DHT's nodes closest to the friend's key.
	for _, n := range usable(c.o.cfg.Closest(f.pk, maxSentNodes, true)) {
		if !c.inListAny(f.nodes, n.PK) && f.pinged.goodToPing(now, n.PK) {
			if err := c.sendAnnounce(now, f, n, [PingIDSize]byte{}, anyPath); err != nil {
				c.o.logf("search for %s at %v: %v", f.pk.Short(), n, err)
			}
		}
	}
}
