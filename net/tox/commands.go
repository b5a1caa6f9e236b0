package tox

import (
	"context"
	"fmt"
	"time"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/onion"
)

// Re-exported friend-layer types.
type (
	FriendInfo  = friend.FriendInfo
	MessageID   = friend.MessageID
	MessageKind = friend.MessageKind
	UserStatus  = friend.UserStatus
)

// Message kinds and user statuses.
const (
	MessageNormal  = friend.MessageNormal
	MessageAction  = friend.MessageAction
	StatusOnline   = friend.UserStatusNone
	StatusAway     = friend.UserStatusAway
	StatusBusy     = friend.UserStatusBusy
	MaxMessageSize = friend.MaxMessageLength
)

// call runs fn on the loop and returns its error.
func (n *Node) call(ctx context.Context, fn func(now time.Time) error) error {
	var err error
	if e := n.Do(ctx, func(now time.Time) { err = fn(now) }); e != nil {
		return e
	}
	return err
}

func (n *Node) client() error {
	if n.friends == nil {
		return errDisabled
	}
	return nil
}

// ToxID returns our Tox ID (long-term key, nospam, checksum).
func (n *Node) ToxID(ctx context.Context) (key.ToxID, error) {
	var id key.ToxID
	err := n.call(ctx, func(time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		id = n.friends.ToxID()
		return nil
	})
	return id, err
}

// SetNospam changes the nospam of our Tox ID: requests to the old ID are
// no longer accepted; friends are not affected.
func (n *Node) SetNospam(ctx context.Context, ns key.Nospam) error {
	return n.call(ctx, func(time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		n.friends.SetNospam(ns)
		return nil
	})
}

// MaxFriendRequestMessage is the longest friend request message AddFriend
// sends: c-toxcore 0.2.18 (qTox, toxic, uTox) silently drops onion friend
// requests with a longer message although the protocol allows 1016 bytes,
// so a longer one is refused here, where the user can still shorten it.
const MaxFriendRequestMessage = onion.MaxToxcoreFriendRequestMessage

// AddFriend sends a friend request to id with msg (1..MaxFriendRequestMessage
// bytes; longer: friend.ErrRequestTooLong) and starts looking for the
// friend. The request is resent until accepted.
func (n *Node) AddFriend(ctx context.Context, id key.ToxID, msg string) error {
	if len(msg) > MaxFriendRequestMessage {
		return fmt.Errorf("%w: the message is %d bytes, at most %d reach c-toxcore clients", friend.ErrRequestTooLong, len(msg), MaxFriendRequestMessage)
	}
	return n.call(ctx, func(now time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		if err := n.friends.AddFriend(now, id, msg); err != nil {
			return err
		}
		n.track(id.PublicKey)
		return nil
	})
}

// AddFriendNoRequest adds pk as a confirmed friend without a request.
func (n *Node) AddFriendNoRequest(ctx context.Context, pk key.PublicKey) error {
	return n.call(ctx, func(time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		return n.addConfirmedFriend(pk)
	})
}

// Accept accepts the pending friend request from pk.
func (n *Node) Accept(ctx context.Context, pk key.PublicKey) error {
	return n.call(ctx, func(time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		if err := n.friends.Accept(pk); err != nil {
			return err
		}
		n.track(pk)
		return nil
	})
}

// Decline drops the pending friend request from pk.
func (n *Node) Decline(ctx context.Context, pk key.PublicKey) error {
	return n.call(ctx, func(time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		return n.friends.Decline(pk)
	})
}

// RemoveFriend deletes pk from the friend list and closes its connection.
func (n *Node) RemoveFriend(ctx context.Context, pk key.PublicKey) error {
	return n.call(ctx, func(now time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		if err := n.friends.RemoveFriend(now, pk); err != nil {
			return err
		}
		n.untrack(now, pk)
		return nil
	})
}

// SendMessage sends text to an online friend, split into parts of at most
// MaxMessageSize bytes; each part's ID comes back in a Receipt event once
// the friend has it.
func (n *Node) SendMessage(ctx context.Context, pk key.PublicKey, kind MessageKind, text string) ([]MessageID, error) {
	var ids []MessageID
	err := n.call(ctx, func(now time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		var err error
		ids, err = n.friends.SendMessage(now, pk, kind, text)
		return err
	})
	return ids, err
}

// SetName sets our name (≤128 bytes) and tells online friends.
func (n *Node) SetName(ctx context.Context, name string) error {
	return n.call(ctx, func(now time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		return n.friends.SetName(now, name)
	})
}

// SetStatusMessage sets our status message (≤1007 bytes).
func (n *Node) SetStatusMessage(ctx context.Context, msg string) error {
	return n.call(ctx, func(now time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		return n.friends.SetStatusMessage(now, msg)
	})
}

// SetUserStatus sets our presence: online (none), away or busy.
func (n *Node) SetUserStatus(ctx context.Context, s UserStatus) error {
	return n.call(ctx, func(now time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		return n.friends.SetUserStatus(now, s)
	})
}

// SetTyping tells friend pk whether we are typing to them.
func (n *Node) SetTyping(ctx context.Context, pk key.PublicKey, typing bool) error {
	return n.call(ctx, func(now time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		return n.friends.SetTyping(now, pk, typing)
	})
}

// Friends lists our friends with their state.
func (n *Node) Friends(ctx context.Context) ([]FriendInfo, error) {
	var out []FriendInfo
	err := n.call(ctx, func(time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		out = n.friends.Friends()
		return nil
	})
	return out, err
}

// PendingRequests lists friend requests waiting for Accept or Decline.
func (n *Node) PendingRequests(ctx context.Context) ([]FriendRequest, error) {
	var out []FriendRequest
	err := n.call(ctx, func(time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		out = n.friends.PendingRequests()
		return nil
	})
	return out, err
}
