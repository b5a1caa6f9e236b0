package friend

import (
	"parley/net/key"
	"parley/net/wire"
)

// Event is something the Manager reports upward; Manager.Events drains
// them in the order they happened. The concrete types are plain structs so
// that net/tox can re-export them.
type Event interface{ friendEvent() }

// RequestReceived: someone we are not friends with sent a friend request
// with our nospam. Answer with Manager.Accept or Manager.Decline. Message
// holds the exact bytes received (not checked for UTF-8).
type RequestReceived struct {
	From    key.PublicKey
	Message string
}

// FriendOnline: the friend's ONLINE arrived; messages can flow.
type FriendOnline struct{ Friend key.PublicKey }

// FriendOffline: the friend went offline (its connection went down, timed
// out, or it sent OFFLINE).
type FriendOffline struct{ Friend key.PublicKey }

// MessageReceived: a message or action from an online friend, with the
// exact bytes received (not checked for UTF-8: c-toxcore passes them
// through, so a UI should sanitize, e.g. strings.ToValidUTF8).
type MessageReceived struct {
	Friend key.PublicKey
	Kind   MessageKind
	Text   string
}

// Receipt: the friend's connection acknowledged the packet that carried
// message part ID (tox-protocol.md §7 "Read receipts are implicit").
type Receipt struct {
	Friend key.PublicKey
	ID     MessageID
}

// ReceiptsLost: the connection went down before these message parts were
// acknowledged; no Receipt will come for them. They may or may not have
// arrived (c-toxcore forgets such receipts silently; an outbox above may
// resend them, as qTox does).
type ReceiptsLost struct {
	Friend key.PublicKey
	IDs    []MessageID
}

// NameChanged: the friend's name is new (first learned or changed).
type NameChanged struct {
	Friend key.PublicKey
	Name   string
}

// StatusMessageChanged: the friend's status message is new.
type StatusMessageChanged struct {
	Friend  key.PublicKey
	Message string
}

// UserStatusChanged: the friend's presence is new.
type UserStatusChanged struct {
	Friend key.PublicKey
	Status UserStatus
}

// TypingChanged: the friend started or stopped typing to us.
type TypingChanged struct {
	Friend key.PublicKey
	Typing bool
}

// ConnectionDead: nothing arrived from the friend for ConnectionTimeout.
// The Manager already treats the link as down (as if LinkDown had been
// called); the caller kills the session (c-toxcore's crypto_kill) and lets
// the friend be found again.
type ConnectionDead struct{ Friend key.PublicKey }

// RelaysShared: the friend told us TCP relays it is connected to
// (SHARE_RELAYS); the caller may add them as relays for that friend.
type RelaysShared struct {
	Friend key.PublicKey
	Nodes  []wire.Node
}

func (RequestReceived) friendEvent()      {}
func (FriendOnline) friendEvent()         {}
func (FriendOffline) friendEvent()        {}
func (MessageReceived) friendEvent()      {}
func (Receipt) friendEvent()              {}
func (ReceiptsLost) friendEvent()         {}
func (NameChanged) friendEvent()          {}
func (StatusMessageChanged) friendEvent() {}
func (UserStatusChanged) friendEvent()    {}
func (TypingChanged) friendEvent()        {}
func (ConnectionDead) friendEvent()       {}
func (RelaysShared) friendEvent()         {}
