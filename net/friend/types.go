package friend

import (
	"fmt"

	"parley/net/key"
)

// UserStatus is the presence a user shows (tox-protocol.md §7, packet 50;
// TOX_USER_STATUS).
type UserStatus uint8

// User statuses, as on the wire.
const (
	UserStatusNone UserStatus = 0 // available
	UserStatusAway UserStatus = 1
	UserStatusBusy UserStatus = 2
)

// Valid reports whether s is one of the three statuses.
func (s UserStatus) Valid() bool { return s <= UserStatusBusy }

// String names the status.
func (s UserStatus) String() string {
	switch s {
	case UserStatusNone:
		return "none"
	case UserStatusAway:
		return "away"
	case UserStatusBusy:
		return "busy"
	}
	return fmt.Sprintf("userstatus-%d", uint8(s))
}

// MessageKind tells a normal message from an action ("/me"); the values
// are TOX_MESSAGE_TYPE's and the wire id is IDMessage + kind.
type MessageKind uint8

// Message kinds.
const (
	MessageNormal MessageKind = 0
	MessageAction MessageKind = 1
)

// Valid reports whether k is a known kind.
func (k MessageKind) Valid() bool { return k <= MessageAction }

// String names the kind.
func (k MessageKind) String() string {
	switch k {
	case MessageNormal:
		return "normal"
	case MessageAction:
		return "action"
	}
	return fmt.Sprintf("kind-%d", uint8(k))
}

func (k MessageKind) id() byte { return IDMessage + byte(k) }

// MessageID names one sent message part. IDs are unique within a Manager
// (they never repeat, across friends and connections); a Receipt event
// carries the ID once the friend has the part.
type MessageID uint64

// State is where a friend is in Messenger's friend life cycle
// (Messenger.h FRIEND_ADDED .. FRIEND_ONLINE).
type State uint8

// Friend states, in order.
const (
	// StateAdded: we added the friend by Tox ID and a friend request is due
	// to be sent (again).
	StateAdded State = iota + 1
	// StateRequested: the request went out; it is resent if the friend does
	// not come online within the (doubling) request timeout.
	StateRequested
	// StateConfirmed: a friend that is not online (accepted from a request,
	// added without request, or seen online before).
	StateConfirmed
	// StateOnline: the friend's ONLINE packet arrived on a live connection.
	StateOnline
)

var stateNames = [...]string{"none", "added", "requested", "confirmed", "online"}

// String names the state.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state-%d", uint8(s))
}

// FriendInfo is a snapshot of one friend, for listing and for saving the
// friend list.
type FriendInfo struct {
	PK    key.PublicKey
	State State
	// Connected: an encrypted connection is up (the friend may not be
	// online yet: that needs its ONLINE packet).
	Connected bool

	// What the friend told us; kept across reconnections.
	Name          string
	StatusMessage string
	UserStatus    UserStatus
	Typing        bool

	// The outgoing friend request while State is Added or Requested.
	RequestNospam  key.Nospam
	RequestMessage string
}
