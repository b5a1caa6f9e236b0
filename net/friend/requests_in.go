package friend

import (
	"time"

	"parley/net/key"
)

// HandleFriendRequest handles a friend request from the long-term key
// from: onion data type 32 (net/onion's FriendRequestReceived), or packet
// 18 on a connection (HandleLossless calls it). It is delivered as a
// RequestReceived event, and kept until Accept or Decline, only if (in
// this order, cheapest first; tox-protocol.md §8):
//
//   - the message is 1..MaxRequestLength bytes (else a wire sentinel);
//   - the nospam equals ours, byte for byte (else ErrBadNospam);
//   - from is not a friend-list entry nor our own key (else
//     ErrAlreadyFriend, like c-toxcore's filter);
//   - from has no request pending and is not among the recent senders
//     (else ErrRepeatedRequest);
//   - the rate limit has a token (else ErrRateLimited). A rate-limited
//     sender is not remembered, so its next resend gets another chance.
//
// Each check is O(1) and nothing grows past its configured bound, so a
// flood of requests, even with our nospam, cannot slow the node down or
// fill its memory. The message bytes are copied.
func (m *Manager) HandleFriendRequest(now time.Time, from key.PublicKey, nospam key.Nospam, msg []byte) error {
	m.stats.RequestsReceived++
	if err := checkText(len(msg), 1, MaxRequestLength, "friend request message"); err != nil {
		m.stats.RequestsMalformed++
		return err
	}
	if nospam != m.nospam {
		m.stats.RequestsBadNospam++
		return ErrBadNospam
	}
	if _, ok := m.friends[from]; ok || from == m.cfg.Self {
		m.stats.RequestsFromFriends++
		return ErrAlreadyFriend
	}
	g := &m.guard
	if _, ok := g.pending[from]; ok || g.recent.has(from) {
		m.stats.RequestsRepeated++
		return ErrRepeatedRequest
	}
	if !g.bucket.take(now) {
		m.stats.RequestsRateLimited++
		return ErrRateLimited
	}
	g.recent.add(from)
	text := string(msg)
	if g.addPending(from, text) {
		m.stats.PendingEvicted++
	}
	m.stats.RequestsDelivered++
	m.emit(RequestReceived{From: from, Message: text})
	return nil
}

// Accept makes the sender of a pending request a confirmed friend. The
// connection follows once the caller (net/tox) starts looking for it.
func (m *Manager) Accept(pk key.PublicKey) error {
	if _, ok := m.guard.pending[pk]; !ok {
		return ErrNoRequest
	}
	return m.AddFriendNoRequest(pk) // which drops the pending request
}

// Decline forgets a pending request. Its sender stays among the recent
// senders, so its resends are ignored for a while.
func (m *Manager) Decline(pk key.PublicKey) error {
	if _, ok := m.guard.pending[pk]; !ok {
		return ErrNoRequest
	}
	m.guard.dropPending(pk)
	return nil
}

// PendingRequests returns the requests awaiting Accept or Decline, oldest
// first.
func (m *Manager) PendingRequests() []RequestReceived { return m.guard.pendingInOrder() }
