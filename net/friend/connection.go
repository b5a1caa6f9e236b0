package friend

import (
	"fmt"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// LinkUp tells the Manager that the encrypted connection to friend pk is
// established (net_crypto ESTABLISHED). It sends ONLINE and ALIVE at once,
// shares relays, and sends a pending friend request as packet 18. A link
// that replaces a live one takes the old one down first.
func (m *Manager) LinkUp(now time.Time, pk key.PublicKey, link Link) error {
	f, ok := m.friends[pk]
	if !ok {
		return ErrNotFriend
	}
	if link == nil {
		return fmt.Errorf("%w: LinkUp with a nil link", ErrNoLink)
	}
	if f.link != nil {
		m.linkDown(now, f)
	}
	f.link = link
	f.lastRecv = now
	f.aliveSent, f.relaysSent, f.onlineSent, f.sawOffline = false, false, false, false
	m.serviceLink(now, f)
	m.serviceRequest(now, f)
	return nil
}

// LinkDown tells the Manager that the connection to pk is gone (killed,
// timed out or replaced in net_crypto). The friend goes offline; unacked
// message parts are reported in ReceiptsLost. Calling it again, or after
// ConnectionDead, does nothing.
func (m *Manager) LinkDown(now time.Time, pk key.PublicKey) error {
	f, ok := m.friends[pk]
	if !ok {
		return ErrNotFriend
	}
	m.linkDown(now, f)
	return nil
}

func (m *Manager) linkDown(now time.Time, f *friend) {
	if f.link == nil {
		return
	}
	m.goOffline(now, f)
	f.link = nil
	f.receipts = nil
}

// linked returns the friend pk if its link is up.
func (m *Manager) linked(pk key.PublicKey) (*friend, error) {
	f, ok := m.friends[pk]
	if !ok {
		return nil, ErrNotFriend
	}
	if f.link == nil {
		return nil, ErrNoLink
	}
	return f, nil
}

// HandleLossless handles one lossless packet (data[0] is its id) that the
// connection to pk delivered in order. friend_connection's packets (ALIVE,
// SHARE_RELAYS, FRIEND_REQUESTS) are handled whatever the friend's state;
// Messenger's only once the friend is online, except ONLINE itself
// (tox-protocol.md §7). The error says why a packet was dropped:
// ErrNotOnline, a wrapped net/wire sentinel for a malformed packet, a
// request-drop reason for packet 18, or ErrUnhandled for ids this package
// does not own (files, AV, conferences, custom), which the caller routes
// elsewhere if the friend is Online.
//
// Anything received proves the link alive. (c-toxcore counts only ALIVE;
// since every peer sends ALIVE every 8 s the difference never shows, and
// a busy link is never declared dead.)
func (m *Manager) HandleLossless(now time.Time, pk key.PublicKey, data []byte) error {
	f, err := m.linked(pk)
	if err != nil {
		return err
	}
	f.lastRecv = now
	if len(data) == 0 {
		return fmt.Errorf("%w: empty lossless packet", wire.ErrShort)
	}
	switch data[0] {
	case IDAlive:
		_, err := ParseAlivePacket(data)
		return err
	case IDShareRelays:
		p, err := ParseShareRelaysPacket(data)
		if err != nil {
			return err
		}
		if len(p.Nodes) > 0 {
			m.emit(RelaysShared{Friend: pk, Nodes: p.Nodes})
		}
		return nil
	case IDFriendRequests:
		p, err := ParseFriendRequestPacket(data)
		if err != nil {
			m.stats.RequestsReceived++
			m.stats.RequestsMalformed++
			return err
		}
		return m.HandleFriendRequest(now, pk, p.Nospam, p.Message)
	}
	return m.handleMessenger(now, f, data)
}

// HandleLossy notes that a lossy packet (ids 192..254: audio, video,
// custom) arrived from pk, which proves the link alive. It returns nil if
// the friend is online, so the caller may pass the packet on (to net/av),
// and ErrNotOnline or ErrNoLink if the packet must be dropped.
func (m *Manager) HandleLossy(now time.Time, pk key.PublicKey, data []byte) error {
	f, err := m.linked(pk)
	if err != nil {
		return err
	}
	f.lastRecv = now
	if len(data) == 0 {
		return fmt.Errorf("%w: empty lossy packet", wire.ErrShort)
	}
	if f.state != StateOnline {
		return ErrNotOnline
	}
	return nil
}

// HandleAcked reports that the peer acknowledged lossless packet
// packetNumber of the current link to pk, and so every earlier one (the
// peer's buffer_start passed it). Each message part carried by those
// packets gets its Receipt event, in order.
func (m *Manager) HandleAcked(now time.Time, pk key.PublicKey, packetNumber uint32) error {
	f, err := m.linked(pk)
	if err != nil {
		return err
	}
	n := 0
	for _, r := range f.receipts {
		// Packet numbers wrap; receipts are in sending order.
		if int32(r.pn-packetNumber) > 0 {
			break
		}
		m.emit(Receipt{Friend: pk, ID: r.id})
		n++
	}
	if n > 0 {
		f.receipts = append(f.receipts[:0], f.receipts[n:]...)
	}
	return nil
}

// Tick runs the timers: ALIVE every PingInterval, the ConnectionTimeout
// check, relay sharing, friend request (re)sending, and retries of
// anything a link refused before. Call it at NextDeadline, and at least
// about once a second so that refused sends are retried.
func (m *Manager) Tick(now time.Time) {
	m.lastTick = now
	for _, f := range m.order {
		m.serviceRequest(now, f)
		if f.link != nil {
			m.serviceLink(now, f)
		}
		if f.state == StateOnline {
			m.flush(now, f)
		}
	}
}

// serviceLink runs friend_connection's per-link timers
// (do_friend_connections, tox-protocol.md §7).
func (m *Manager) serviceLink(now time.Time, f *friend) {
	if now.Sub(f.lastRecv) >= ConnectionTimeout {
		m.stats.ConnectionsDead++
		m.emit(ConnectionDead{Friend: f.pk})
		m.linkDown(now, f)
		return
	}
	if !f.onlineSent {
		m.sendOnline(now, f)
	}
	if !f.aliveSent || now.Sub(f.lastAlive) >= PingInterval {
		if _, err := m.send(now, f, &AlivePacket{}); err == nil {
			f.aliveSent, f.lastAlive = true, now
		}
	}
	if m.cfg.Relays != nil && (!f.relaysSent || now.Sub(f.lastRelays) >= ShareRelaysInterval) {
		m.shareRelays(now, f)
	}
}

func (m *Manager) sendOnline(now time.Time, f *friend) {
	if _, err := m.send(now, f, &OnlinePacket{}); err == nil {
		f.onlineSent = true
	}
}

func (m *Manager) shareRelays(now time.Time, f *friend) {
	nodes := m.cfg.Relays()
	if len(nodes) > MaxSharedRelays {
		nodes = nodes[:MaxSharedRelays]
	}
	if len(nodes) == 0 {
		return // c-toxcore sends nothing without relays and tries again next pass
	}
	if _, err := m.send(now, f, &ShareRelaysPacket{Nodes: nodes}); err == nil {
		f.relaysSent, f.lastRelays = true, now
	}
}

// NextDeadline returns when Tick next has timed work to do: an ALIVE, a
// timeout check, a relay share or a request resend. Work that waits for a
// retry (a refused send, a request the onion could not deliver yet) is due
// one second after the last Tick. The zero time means nothing is scheduled.
func (m *Manager) NextDeadline() time.Time {
	var next time.Time
	at := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	retry := m.lastTick.Add(time.Second)
	for _, f := range m.order {
		switch f.state {
		case StateAdded:
			at(retry)
		case StateRequested:
			at(f.reqLastSent.Add(f.reqTimeout))
		}
		if f.link == nil {
			continue
		}
		at(f.lastRecv.Add(ConnectionTimeout))
		if f.aliveSent {
			at(f.lastAlive.Add(PingInterval))
		} else {
			at(retry)
		}
		if !f.onlineSent || f.state == StateOnline && f.owesInfo() {
			at(retry)
		}
		if m.cfg.Relays != nil {
			if f.relaysSent {
				at(f.lastRelays.Add(ShareRelaysInterval))
			} else {
				at(retry)
			}
		}
	}
	return next
}
