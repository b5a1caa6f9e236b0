package tox

import (
	"parley/net/friend"
	"parley/net/key"
)

// Event is one thing that happened on the node. The set is closed: the
// friend layer's events (requests, messages, receipts, presence, profile
// changes) and the node's own below.
type Event interface{ toxEvent() }

// Friend layer events, re-exported so callers need only this package.
type (
	FriendRequest        = friend.RequestReceived
	FriendOnline         = friend.FriendOnline
	FriendOffline        = friend.FriendOffline
	MessageReceived      = friend.MessageReceived
	Receipt              = friend.Receipt
	ReceiptsLost         = friend.ReceiptsLost
	NameChanged          = friend.NameChanged
	StatusMessageChanged = friend.StatusMessageChanged
	UserStatusChanged    = friend.UserStatusChanged
	TypingChanged        = friend.TypingChanged
)

// FriendEvent wraps any event of the friend layer.
type FriendEvent struct{ friend.Event }

// SelfConnection reports whether we can reach the network: DHT is true
// when a DHT node answers us, Onion when we are announced so friends can
// find us (c-toxcore's "connected", tox-protocol.md §5.3).
type SelfConnection struct {
	DHT, Onion bool
}

// FriendConnection reports an encrypted session to a friend coming up or
// going down, and the path it uses: a direct UDP address, or with Relayed
// a TCP relay (Addr "tcp via <relay address>"). It is published again
// when an established session moves between the two.
type FriendConnection struct {
	Friend    key.PublicKey
	Connected bool
	Addr      string
	Relayed   bool
}

func (FriendEvent) toxEvent()      {}
func (SelfConnection) toxEvent()   {}
func (FriendConnection) toxEvent() {}
