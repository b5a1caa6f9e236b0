package friend

import (
	"bytes"
	"fmt"
	"time"
	"unicode/utf8"

	"parley/net/key"
)

// AddFriend adds the owner of id as a friend and sends a friend request
// with msg: by onion data (Config.Requests) while the friend is not
// connected, or as packet 18 over a connection that is up. The request is
// resent while the friend does not come online, first after
// RequestTimeout, each time twice as long after (tox-protocol.md §8).
//
// Like c-toxcore's m_addfriend it refuses a message over
// MaxRequestLength bytes (ErrRequestTooLong), an invalid key
// (ErrInvalidKey), an empty message (ErrNoRequestText), our own key
// (ErrOwnKey), and a key that is already a friend (ErrAlreadyFriend) or
// already has a request pending to the same nospam (ErrAlreadySent). A
// pending request to another nospam is updated to the new nospam and
// message and sent again at once (c-toxcore answers SET_NEW_NOSPAM and
// waits for the next resend). The message must be valid UTF-8. A bad
// checksum is caught earlier, by key.ParseToxID.
func (m *Manager) AddFriend(now time.Time, id key.ToxID, msg string) error {
	if len(msg) > MaxRequestLength {
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrRequestTooLong, len(msg), MaxRequestLength)
	}
	if id.PublicKey[key.Size-1] >= 128 {
		return ErrInvalidKey
	}
	if msg == "" {
		return ErrNoRequestText
	}
	if !utf8.ValidString(msg) {
		return fmt.Errorf("%w: friend request message", ErrInvalidUTF8)
	}
	if err := m.checkKey(id.PublicKey); err != nil {
		return err
	}
	f, ok := m.friends[id.PublicKey]
	switch {
	case ok && f.state >= StateConfirmed:
		return ErrAlreadyFriend
	case ok && f.reqNospam == id.Nospam:
		return ErrAlreadySent
	case !ok:
		f = m.addFriend(id.PublicKey, StateAdded)
		f.reqTimeout = RequestTimeout
	}
	f.state = StateAdded
	f.reqNospam = id.Nospam
	f.reqMsg = []byte(msg)
	m.serviceRequest(now, f)
	return nil
}

// serviceRequest sends or resends the friend request of a friend in state
// Added or Requested (Messenger do_friends, check_friend_request_timed_out).
func (m *Manager) serviceRequest(now time.Time, f *friend) {
	if f.state == StateRequested && now.Sub(f.reqLastSent) >= f.reqTimeout {
		f.state = StateAdded
		f.reqTimeout = min(2*f.reqTimeout, maxRequestTimeout)
	}
	if f.state != StateAdded {
		return
	}
	if err := m.sendRequest(now, f); err != nil {
		return // stays Added: tried again on the next Tick
	}
	m.stats.RequestsSent++
	f.state = StateRequested
	f.reqLastSent = now
}

func (m *Manager) sendRequest(now time.Time, f *friend) error {
	if f.link != nil {
		_, err := m.send(now, f, &FriendRequestPacket{Nospam: f.reqNospam, Message: f.reqMsg})
		return err
	}
	if m.cfg.Requests == nil {
		return ErrNoRequestSender
	}
	// The onion may keep the slice; give it its own copy.
	return m.cfg.Requests.SendFriendRequest(now, f.pk, f.reqNospam, bytes.Clone(f.reqMsg))
}
