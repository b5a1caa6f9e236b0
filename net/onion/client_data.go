package onion

import (
	"bytes"
	"fmt"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// SendFriendRequest sends a friend request (onion data type 32) to pk,
// which must have been added with AddFriend. It fails with
// ErrFriendNotFound until the search found where pk is announced; the
// layer above retries with c-toxcore's timing (tox-protocol.md §8).
func (o *Onion) SendFriendRequest(now time.Time, pk key.PublicKey, nospam key.Nospam, msg []byte) error {
	if err := checkFriendRequestMessage(len(msg)); err != nil {
		return err
	}
	fr := FriendRequest{Nospam: nospam, Message: msg}
	data, err := fr.AppendBinary(nil)
	if err != nil {
		return err
	}
	return o.sendData(now, pk, data)
}

// SendDHTPKAnnounce tells friend pk our DHT key and up to 4 nodes (TCP
// relays first, then close DHT nodes) over the onion (type 156). Call it
// every DHTPKInterval while the friend is offline, and again on the next
// tick when it fails. The no_replay value is our clock's Unix seconds,
// raised when needed so that it strictly increases.
func (o *Onion) SendDHTPKAnnounce(now time.Time, pk key.PublicKey, dhtPK key.PublicKey, nodes []wire.Node) error {
	if o.client == nil {
		return ErrDisabled
	}
	if len(nodes) > maxSentNodes {
		nodes = nodes[:maxSentNodes]
	}
	a := DHTPKAnnounce{NoReplay: o.client.nextNoReplay(now), DHTPK: dhtPK, Nodes: nodes}
	data, err := a.AppendBinary(nil)
	if err != nil {
		return err
	}
	return o.sendData(now, pk, data)
}

func (c *client) nextNoReplay(now time.Time) uint64 {
	v := uint64(max(now.Unix(), 0))
	if v <= c.noReplay {
		v = c.noReplay + 1
	}
	c.noReplay = v
	return v
}

// DHTPKRequest returns the data of a DHT-routed request (0x20) of subtype
// 156 carrying our DHT PK announcement to friend pk: the layer above sends
// it to the friend's DHT key every DHTPKOverDHTInterval once it knows that
// key (tox-protocol.md §5.4).
func (o *Onion) DHTPKRequest(now time.Time, pk key.PublicKey, dhtPK key.PublicKey, nodes []wire.Node) ([]byte, error) {
	if o.client == nil {
		return nil, ErrDisabled
	}
	if len(nodes) > maxSentNodes {
		nodes = nodes[:maxSentNodes]
	}
	a := DHTPKAnnounce{NoReplay: o.client.nextNoReplay(now), DHTPK: dhtPK, Nodes: nodes}
	data, err := a.AppendBinary(nil)
	if err != nil {
		return nil, err
	}
	n, err := o.nonce()
	if err != nil {
		return nil, err
	}
	r := DHTPKRoute{SenderPK: o.cfg.Self.Public, Nonce: n}
	r.Sealed = crypto.Seal(nil, data, &n, &pk, &o.cfg.Self.Secret)
	return r.AppendBinary(nil)
}

// HandleDHTPKRequest handles the data of a DHT-routed request of subtype
// 156 whose sender's DHT key is senderDHT; the announced DHT key must be
// that key. A fresh announcement from a friend becomes a DHTPKReceived
// event with ViaDHT set.
func (o *Onion) HandleDHTPKRequest(now time.Time, senderDHT key.PublicKey, data []byte) error {
	if o.client == nil {
		return ErrDisabled
	}
	r, err := ParseDHTPKRoute(data)
	if err != nil {
		return err
	}
	plain, err := crypto.Open(nil, r.Sealed, &r.Nonce, &r.SenderPK, &o.cfg.Self.Secret)
	if err != nil {
		return fmt.Errorf("%w: routed DHT PK announcement", wire.ErrDecrypt)
	}
	a, err := ParseDHTPKAnnounce(plain)
	if err != nil {
		return err
	}
	if a.DHTPK != senderDHT {
		return fmt.Errorf("%w: routed DHT PK announcement names %s but came from %s", wire.ErrMalformed, a.DHTPK.Short(), senderDHT.Short())
	}
	return o.client.acceptDHTPK(r.SenderPK, a, true)
}

// sendData sends onion data to friend pk: one copy to every node of the
// search list that knows the friend's data key, each over its own random
// path (c-toxcore send_onion_data). At least about a quarter of the live
// nodes must know the friend.
func (o *Onion) sendData(now time.Time, pk key.PublicKey, data []byte) error {
	c := o.client
	if c == nil {
		return ErrDisabled
	}
	f, ok := c.friends[pk]
	if !ok {
		return ErrNotFriend
	}
	if len(data) == 0 || len(data) > MaxClientData {
		return fmt.Errorf("%w: onion data of %d bytes, max %d", wire.ErrLong, len(data), MaxClientData)
	}
	var good []*onionNode
	live := 0
	for i := range f.nodes {
		if f.nodes[i].timedOut(now) {
			continue
		}
		live++
		if f.nodes[i].isStored != NotStored {
			good = append(good, &f.nodes[i])
		}
	}
	if live == 0 || len(good) < (live-1)/4+1 {
		return fmt.Errorf("%w (%d of %d nodes know them)", ErrFriendNotFound, len(good), live)
	}
	n, err := o.nonce()
	if err != nil {
		return err
	}
	in := DataInner{SenderPK: o.cfg.Self.Public, Sealed: crypto.Seal(nil, data, &n, &pk, &o.cfg.Self.Secret)}
	inner, err := in.AppendBinary(nil)
	if err != nil {
		return err
	}
	sent := 0
	var lastErr error = ErrNoPath
	for _, node := range good {
		if err := c.sendDataTo(now, f, node, n, inner); err != nil {
			lastErr = err
			continue
		}
		sent++
	}
	if sent == 0 {
		return lastErr
	}
	return nil
}

func (c *client) sendDataTo(now time.Time, f *friend, node *onionNode, n key.Nonce, inner []byte) error {
	p, err := c.pick(now, &c.friendPaths, anyPath)
	if err != nil {
		return err
	}
	t, err := c.o.newPair()
	if err != nil {
		return err
	}
	req := DataRequest{Dest: f.pk, Nonce: n, TempPK: t.Public}
	req.Sealed = crypto.Seal(nil, inner, &n, &node.dataPK, &t.Secret)
	payload, err := req.AppendBinary(nil)
	if err != nil {
		return err
	}
	if len(payload) > MaxDataSize {
		return fmt.Errorf("%w: data request of %d bytes, max %d", wire.ErrLong, len(payload), MaxDataSize)
	}
	if err := c.send(p, node.addr, payload); err != nil {
		return err
	}
	c.o.stats.SentData++
	return nil
}

// handleDataResponse opens onion data sent to us (0x86) and dispatches on
// its type (c-toxcore handle_data_response).
func (c *client) handleDataResponse(now time.Time, pkt []byte) error {
	resp, err := ParseDataResponse(pkt)
	if err != nil {
		return err
	}
	plain, err := crypto.Open(nil, resp.Sealed, &resp.Nonce, &resp.TempPK, &c.temp.Secret)
	if err != nil {
		return fmt.Errorf("%w: onion data (outer)", wire.ErrDecrypt)
	}
	in, err := ParseDataInner(plain)
	if err != nil {
		return err
	}
	data, err := crypto.Open(nil, in.Sealed, &resp.Nonce, &in.SenderPK, &c.o.cfg.Self.Secret)
	if err != nil {
		return fmt.Errorf("%w: onion data (inner)", wire.ErrDecrypt)
	}
	if len(data) == 0 {
		return fmt.Errorf("%w: empty onion data", wire.ErrShort)
	}
	switch data[0] {
	case PayloadDHTPK:
		a, err := ParseDHTPKAnnounce(data)
		if err != nil {
			return err
		}
		return c.acceptDHTPK(in.SenderPK, a, false)
	case PayloadFriendRequest:
		fr, err := ParseFriendRequest(data)
		if err != nil {
			return err
		}
		c.o.stats.Received++
		c.o.emit(FriendRequestReceived{From: in.SenderPK, Nospam: fr.Nospam, Message: bytes.Clone(fr.Message)})
		return nil
	default:
		return fmt.Errorf("%w: onion data type %d", ErrUnhandled, data[0])
	}
}

// acceptDHTPK applies a friend's DHT PK announcement unless it is a replay
// (c-toxcore handle_dhtpk_announce).
func (c *client) acceptDHTPK(from key.PublicKey, a DHTPKAnnounce, viaDHT bool) error {
	f, ok := c.friends[from]
	if !ok {
		return fmt.Errorf("%w: DHT PK announcement from %s", ErrNotFriend, from.Short())
	}
	if a.NoReplay <= f.lastNoReplay {
		return fmt.Errorf("%w: no_replay %d, last %d", ErrReplay, a.NoReplay, f.lastNoReplay)
	}
	f.lastNoReplay = a.NoReplay
	c.o.stats.Received++
	c.o.emit(DHTPKReceived{From: from, NoReplay: a.NoReplay, DHTPK: a.DHTPK, Nodes: a.Nodes, ViaDHT: viaDHT})
	return nil
}
