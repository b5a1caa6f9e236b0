package onion

import (
	"fmt"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// sendAnnounce sends an announce request to dest over a path: announcing
// ourselves when f is nil (with pingID, zero for a first contact), else
// searching for friend f with its temp key and zero ping id and data key.
func (c *client) sendAnnounce(now time.Time, f *friend, dest wire.Node, pingID [PingIDSize]byte, pathID uint32) error {
	paths := &c.selfPaths
	if f != nil {
		paths = &c.friendPaths
		pingID = [PingIDSize]byte{}
	}
	p, err := c.pick(now, paths, pathID)
	if err != nil {
		return err
	}
	sb, err := c.newSendback(now, pending{friend: f, node: dest, pathID: p.id, pingID: pingID})
	if err != nil {
		return err
	}
	ap := AnnouncePlain{PingID: pingID, Sendback: sb}
	var req AnnounceRequest
	var k crypto.SharedKey
	if f == nil {
		ap.SearchPK = c.o.cfg.Self.Public
		ap.DataPK = c.temp.Public
		req.SenderPK = c.o.cfg.Self.Public
		k = c.selfKeys.Get(now, &dest.PK)
	} else {
		ap.SearchPK = f.pk
		req.SenderPK = f.temp.Public
		k = f.keys.Get(now, &dest.PK)
	}
	plain, err := ap.AppendBinary(make([]byte, 0, announcePlainSize))
	if err != nil {
		return err
	}
	if req.Nonce, err = c.o.nonce(); err != nil {
		return err
	}
	if sealed := crypto.SealShared(nil, plain, &req.Nonce, &k); copy(req.Sealed[:], sealed) != len(sealed) {
		return fmt.Errorf("%w: sealed announce of %d bytes", wire.ErrLong, len(sealed))
	}
	payload, err := req.AppendBinary(make([]byte, 0, AnnounceRequestSize))
	if err != nil {
		return err
	}
	if err := c.send(p, dest.Addr, payload); err != nil {
		return err
	}
	c.o.stats.SentAnnounces++
	return nil
}

// handleAnnounceResponse handles a 0x84 that came back over one of our
// paths (c-toxcore handle_announce_response).
func (c *client) handleAnnounceResponse(now time.Time, src netip.AddrPort, pkt []byte) error {
	resp, err := ParseAnnounceResponse(pkt)
	if err != nil {
		return err
	}
	pend, ok := c.takeSendback(now, resp.Sendback)
	if !ok {
		return ErrUnknownSendback
	}
	f := pend.friend
	var k crypto.SharedKey
	if f == nil {
		k = c.selfKeys.Get(now, &pend.node.PK)
	} else {
		if c.friends[f.pk] != f {
			return fmt.Errorf("%w: search answer for a removed friend", ErrNotFriend)
		}
		k = f.keys.Get(now, &pend.node.PK)
	}
	plain, err := crypto.OpenShared(nil, resp.Sealed, &resp.Nonce, &k)
	if err != nil {
		return fmt.Errorf("%w: announce response", wire.ErrDecrypt)
	}
	rp, err := ParseAnnounceResponsePlain(plain)
	if err != nil {
		return err
	}
	paths := &c.selfPaths
	if f != nil {
		paths = &c.friendPaths
	}
	pathUsed, good := paths.success(now, pend.pathID)
	for _, n := range good {
		c.addPathNode(n)
	}
	if err := c.addToList(now, f, pend.node, rp.IsStored, rp.Key, pathUsed); err != nil {
		return err
	}
	c.pingNodes(now, f, rp.Nodes, src)
	c.lastPacketRecv = now

	if f == nil && rp.IsStored == NotStored && rp.Key != pend.pingID && c.inList(c.self, pend.node.PK) {
		// A fresh ping id: announce with it right away over the same path
		// instead of waiting for the next tick (c-toxcore waits up to 3 s).
		// The ping id differs from the one we sent, so this cannot loop.
		if n := c.listNode(c.self, pend.node.PK); n != nil && c.sendAnnounce(now, nil, pend.node, rp.Key, pathUsed) == nil {
			n.lastPinged = now
			n.pings++
			c.lastAnnounce = now
		}
	}
	return nil
}

func (c *client) inList(list []onionNode, pk key.PublicKey) bool { return c.listNode(list, pk) != nil }

func (c *client) listNode(list []onionNode, pk key.PublicKey) *onionNode {
	for i := range list {
		if list[i].pk == pk && !list[i].seen.IsZero() {
			return &list[i]
		}
	}
	return nil
}

// addToList puts the node that answered into our announce list (f nil) or
// f's search list, replacing the farthest or a timed-out entry when it is
// closer (c-toxcore client_add_to_list).
func (c *client) addToList(now time.Time, f *friend, node wire.Node, isStored byte, k [32]byte, pathUsed uint32) error {
	list, ref := c.self, c.o.cfg.Self.Public
	if f == nil {
		if isStored == FoundOther && key.PublicKey(k) != c.temp.Public {
			isStored = NotStored
		}
	} else {
		if isStored >= StoredSelf {
			return fmt.Errorf("%w: is_stored %d in a search answer", wire.ErrMalformed, isStored)
		}
		list, ref = f.nodes, f.pk
	}
	sortNodes(now, list, ref)
	index, known := -1, false
	if list[0].timedOut(now) || key.Distance(&ref, &node.PK, &list[0].pk) < 0 {
		index = 0
	}
	for i := range list {
		if list[i].pk == node.PK {
			index, known = i, true
			break
		}
	}
	if index < 0 {
		return nil
	}
	n := &list[index]
	n.pk = node.PK
	n.addr = node.Addr
	c.addPathNode(node)
	if isStored == FoundOther {
		n.dataPK = k
	} else {
		n.pingID = k
	}
	n.isStored = isStored
	n.seen = now
	n.pings = 0
	if !known {
		n.lastPinged = time.Time{}
		n.added = now
	}
	n.pathUsed = pathUsed
	if f != nil && isStored == FoundOther && (!f.found || f.dataPK != n.dataPK) {
		f.found, f.dataPK = true, n.dataPK
		c.o.logf("friend %s found, data key %s", f.pk.Short(), n.dataPK.Short())
		c.o.emit(FriendFound{PK: f.pk, DataPK: n.dataPK})
	}
	return nil
}

// pingNodes sends first requests to nodes an answer named that would fit
// in the list (c-toxcore client_ping_nodes). LAN nodes count only when
// the answer came from a LAN address.
func (c *client) pingNodes(now time.Time, f *friend, nodes []wire.Node, src netip.AddrPort) {
	list, ref, ring := c.self, c.o.cfg.Self.Public, &c.selfPinged
	if f != nil {
		list, ref, ring = f.nodes, f.pk, &f.pinged
	}
	lanOK := isLAN(src.Addr())
	sortNodes(now, list, ref)
	for _, n := range nodes {
		if n.TCP || !sendable(n.Addr) || (!lanOK && isLAN(n.Addr.Addr())) {
			continue
		}
		fits := list[0].timedOut(now) || key.Distance(&ref, &n.PK, &list[0].pk) < 0 ||
			list[1].timedOut(now) || key.Distance(&ref, &n.PK, &list[1].pk) < 0
		if !fits || c.inListAny(list, n.PK) || !ring.goodToPing(now, n.PK) {
			continue
		}
		if err := c.sendAnnounce(now, f, n, [PingIDSize]byte{}, anyPath); err != nil {
			c.o.logf("first request to %v: %v", n, err)
		}
	}
}

// inListAny reports whether pk is in list, live or not (c-toxcore compares
// every slot).
func (c *client) inListAny(list []onionNode, pk key.PublicKey) bool {
	for i := range list {
		if list[i].pk == pk {
			return true
		}
	}
	return false
}

// doAnnounce keeps us announced (c-toxcore do_announce): every live node in
// the list is re-announced to every 3 s while we are not stored there, 15 s
// once stored over a live path, and 120 s once node and path are stable;
// while the list is half empty, 6 random path nodes get a first request
// every tick, as do our DHT's closest nodes to our key.
func (c *client) doAnnounce(now time.Time) {
	count := 0
	for i := range c.self {
		n := &c.self[i]
		if n.timedOut(now) {
			continue
		}
		count++
		if n.lastPinged.IsZero() {
			// New node: wait a tick before announcing to it.
			n.lastPinged = ancient
			continue
		}
		if n.pings >= nodeMaxPings {
			continue
		}
		interval := announceNotAnnounced
		if n.isStored != NotStored && c.selfPaths.exists(now, n.pathUsed) {
			interval = announceAnnounced
			slot := n.pathUsed % numPaths
			p := &c.selfPaths.paths[slot]
			if expired(now, n.added, timeToStable) &&
				!(n.pings > 0 && expired(now, n.lastPinged, nodePingInterval)) &&
				expired(now, p.created, timeToStable) &&
				!(p.usedTimes > 0 && expired(now, p.lastUsed, pathTimeout)) {
				interval = announceStable
			}
		}
		if expired(now, n.lastPinged, interval) || expired(now, c.lastAnnounce, announceAnnounced) {
			pathID := n.pathUsed
			if n.pings == nodeMaxPings-1 && expired(now, n.added, timeToStable) {
				pathID = anyPath // last chance for a long-lived node: another path
			}
			if err := c.sendAnnounce(now, nil, wire.Node{PK: n.pk, Addr: n.addr}, n.pingID, pathID); err == nil {
				n.lastPinged = now
				n.pings++
				c.lastAnnounce = now
			}
		}
	}
	// Parley: a list holding every known path node is as full as it gets;
	// c-toxcore waits for 12 and so sends 6 requests a second forever on a
	// network of fewer than 12 nodes.
	if count == maxAnnounceNodes || count >= len(c.pathNodes) && len(c.pathNodes) > 0 {
		c.lastPopulated = now
		return
	}
	if count > maxAnnounceNodes/2 && !expired(now, c.lastPopulated, populateTimeout) {
		return
	}
	cands := c.pathNodes
	if len(cands) == 0 {
		cands = usable(c.o.cfg.PathNodes(now))
	}
	if len(cands) > 0 {
		for i := 0; i < maxAnnounceNodes/2; i++ {
			j, err := c.o.randN(len(cands))
			if err != nil {
				return
			}
			if err := c.sendAnnounce(now, nil, cands[j], [PingIDSize]byte{}, anyPath); err != nil {
				c.o.logf("announce to %v: %v", cands[j], err)
			}
		}
	}
	// Parley addition: ask our own DHT for the nodes closest to our key,
	// which converges faster than a random walk on a small network.
	for _, n := range usable(c.o.cfg.Closest(c.o.cfg.Self.Public, maxSentNodes, true)) {
		if !c.inListAny(c.self, n.PK) && c.selfPinged.goodToPing(now, n.PK) {
			if err := c.sendAnnounce(now, nil, n, [PingIDSize]byte{}, anyPath); err != nil {
				c.o.logf("announce to %v: %v", n, err)
			}
		}
	}
}
