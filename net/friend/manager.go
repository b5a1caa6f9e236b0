package friend

import (
	"errors"
	"fmt"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// Config configures a Manager.
type Config struct {
	// Self is our long-term public key (the one in our Tox ID).
	Self key.PublicKey
	// Nospam is our current nospam; SetNospam changes it later.
	Nospam key.Nospam
	// Requests delivers friend requests by onion to friends that are not
	// connected. nil: requests go only over an existing connection
	// (packet 18).
	Requests RequestSender
	// Relays, if set, returns the TCP relays we are connected to; up to
	// MaxSharedRelays of them are shared with each connected friend on
	// connect and every ShareRelaysInterval. nil: nothing is shared.
	Relays func() []wire.Node

	// Incoming friend request guard (see requests_in.go). Zero values take
	// the Default* constants.
	RequestBurst       int           // requests admitted back to back
	RequestInterval    time.Duration // then one per interval
	RecentSenders      int           // recent senders remembered to ignore repeats
	MaxPendingRequests int           // requests awaiting Accept/Decline
}

// Stats counts what the Manager dropped, by reason.
type Stats struct {
	RequestsReceived    uint64 // every incoming request handed to HandleFriendRequest or arriving as packet 18
	RequestsDelivered   uint64 // reported as RequestReceived
	RequestsMalformed   uint64
	RequestsBadNospam   uint64
	RequestsFromFriends uint64 // from a friend-list entry, or from ourselves
	RequestsRepeated    uint64
	RequestsRateLimited uint64
	PendingEvicted      uint64 // pending requests forgotten to make room
	RequestsSent        uint64 // outgoing requests handed to the onion or a connection
	ConnectionsDead     uint64 // links declared dead after ConnectionTimeout
}

// Manager owns the friend list and runs friend_connection and Messenger
// for every friend (tox-protocol.md §7 and §8). It is a sans-IO state
// machine: it never starts goroutines, reads the clock or touches
// sockets; time comes in as `now` and packets leave through each friend's
// Link and Config.Requests. A Manager is not safe for concurrent use: the
// node loop calls every method.
type Manager struct {
	cfg    Config
	nospam key.Nospam

	friends map[key.PublicKey]*friend
	order   []*friend // insertion order: Tick and Friends are deterministic

	self     selfInfo
	nextID   MessageID
	guard    requestGuard
	lastTick time.Time

	events []Event
	stats  Stats
	buf    []byte // scratch for encoding; Links copy what they keep
}

// ErrConfig reports an unusable Config.
var ErrConfig = errors.New("friend: bad config")

// New returns a Manager with an empty friend list.
func New(cfg Config, now time.Time) (*Manager, error) {
	if cfg.Self.IsZero() {
		return nil, fmt.Errorf("%w: no public key", ErrConfig)
	}
	if cfg.RequestBurst < 0 || cfg.RequestInterval < 0 || cfg.RecentSenders < 0 || cfg.MaxPendingRequests < 0 {
		return nil, fmt.Errorf("%w: negative request guard setting", ErrConfig)
	}
	if cfg.RequestBurst == 0 {
		cfg.RequestBurst = DefaultRequestBurst
	}
	if cfg.RequestInterval == 0 {
		cfg.RequestInterval = DefaultRequestInterval
	}
	if cfg.RecentSenders == 0 {
		cfg.RecentSenders = DefaultRecentSenders
	}
	if cfg.MaxPendingRequests == 0 {
		cfg.MaxPendingRequests = DefaultMaxPendingRequests
	}
	m := &Manager{
		cfg:     cfg,
		nospam:  cfg.Nospam,
		friends: map[key.PublicKey]*friend{},
		buf:     make([]byte, 0, 1+MaxMessageLength),
	}
	m.guard.init(cfg, now)
	return m, nil
}

// Events returns the events since the last call, oldest first, and forgets
// them.
func (m *Manager) Events() []Event {
	ev := m.events
	m.events = nil
	return ev
}

// Stats returns the drop and send counters.
func (m *Manager) Stats() Stats { return m.stats }

func (m *Manager) emit(e Event) { m.events = append(m.events, e) }

// ToxID returns our Tox ID with the current nospam.
func (m *Manager) ToxID() key.ToxID { return key.ToxID{PublicKey: m.cfg.Self, Nospam: m.nospam} }

// Nospam returns the current nospam.
func (m *Manager) Nospam() key.Nospam { return m.nospam }

// SetNospam changes the nospam. Requests made to Tox IDs with the old
// nospam are ignored from now on; friends and pending requests are kept
// (nospam never gates connections, tox-protocol.md §8).
func (m *Manager) SetNospam(n key.Nospam) { m.nospam = n }

// IsFriend reports whether pk is in the friend list, in any state. Like
// c-toxcore, connections are accepted from every friend-list entry,
// including ones whose request is still pending (§7).
func (m *Manager) IsFriend(pk key.PublicKey) bool { _, ok := m.friends[pk]; return ok }

// Online reports whether the friend is online: its ONLINE arrived on a
// live connection. File, AV and custom packets are only for online friends.
func (m *Manager) Online(pk key.PublicKey) bool {
	f, ok := m.friends[pk]
	return ok && f.state == StateOnline
}

// Friend returns a snapshot of one friend.
func (m *Manager) Friend(pk key.PublicKey) (FriendInfo, bool) {
	f, ok := m.friends[pk]
	if !ok {
		return FriendInfo{}, false
	}
	return f.info(), true
}

// Friends returns a snapshot of every friend, in the order they were added.
func (m *Manager) Friends() []FriendInfo {
	out := make([]FriendInfo, 0, len(m.order))
	for _, f := range m.order {
		out = append(out, f.info())
	}
	return out
}

// AddFriendNoRequest adds pk as a confirmed friend without sending a
// request (c-toxcore m_addfriend_norequest): for accepting a request and
// for restoring a saved friend list.
func (m *Manager) AddFriendNoRequest(pk key.PublicKey) error {
	if _, ok := m.friends[pk]; ok {
		return ErrAlreadyFriend
	}
	if err := m.checkKey(pk); err != nil {
		return err
	}
	m.addFriend(pk, StateConfirmed)
	return nil
}

func (m *Manager) checkKey(pk key.PublicKey) error {
	if pk[key.Size-1] >= 128 {
		return ErrInvalidKey // c-toxcore public_key_valid
	}
	if pk == m.cfg.Self {
		return ErrOwnKey
	}
	return nil
}

func (m *Manager) addFriend(pk key.PublicKey, s State) *friend {
	f := &friend{pk: pk, state: s}
	m.friends[pk] = f
	m.order = append(m.order, f)
	m.guard.dropPending(pk) // a request from them is answered by adding them
	return f
}

// RemoveFriend deletes a friend. If a connection is up, OFFLINE is sent
// first (c-toxcore m_delfriend); the caller then kills the session. A
// later request from pk is accepted again.
func (m *Manager) RemoveFriend(now time.Time, pk key.PublicKey) error {
	f, ok := m.friends[pk]
	if !ok {
		return ErrNotFriend
	}
	if f.link != nil {
		// Best effort: the caller kills the connection next, so an OFFLINE
		// the link refuses changes nothing.
		_, _ = m.send(now, f, &OfflinePacket{})
	}
	delete(m.friends, pk)
	for i, g := range m.order {
		if g == f {
			m.order = append(m.order[:i], m.order[i+1:]...)
			break
		}
	}
	m.guard.forget(pk)
	return nil
}

// send encodes p and queues it on the friend's link.
func (m *Manager) send(now time.Time, f *friend, p interface {
	AppendBinary([]byte) ([]byte, error)
}) (uint32, error) {
	if f.link == nil {
		return 0, ErrNoLink
	}
	b, err := p.AppendBinary(m.buf[:0])
	if err != nil {
		return 0, err
	}
	m.buf = b[:0]
	pn, err := f.link.SendLossless(now, b)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrSend, err)
	}
	return pn, nil
}
