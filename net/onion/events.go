package onion

import (
	"parley/net/key"
	"parley/net/wire"
)

// Event is something the onion reports upward; Onion.Events drains them.
// The concrete types are FriendRequestReceived, DHTPKReceived,
// ConnectionChanged and FriendFound.
type Event interface{ onionEvent() }

// FriendRequestReceived: someone sent us a friend request over the onion.
// The layer above checks the nospam, filters existing friends and
// deduplicates (tox-protocol.md §8).
type FriendRequestReceived struct {
	From    key.PublicKey // the sender's long-term key
	Nospam  key.Nospam
	Message []byte
}

// DHTPKReceived: a friend told us their DHT key (type 156), over the onion
// or, when ViaDHT, over a DHT-routed 0x20 request. Replays (a no_replay not
// above the last one) are dropped before this event. The layer above adds
// the DHT key as a DHT friend, sends get_nodes to the UDP nodes and adds the
// TCP nodes as relays.
type DHTPKReceived struct {
	From     key.PublicKey
	NoReplay uint64
	DHTPK    key.PublicKey
	Nodes    []wire.Node
	ViaDHT   bool
}

// ConnectionChanged: the "onion connected" state changed.
type ConnectionChanged struct{ Connected bool }

// FriendFound: a friend's announce node told us the friend's data key, so
// onion data (friend requests, DHT PK announcements) can now reach them.
// It fires again when the data key changes (the friend restarted).
type FriendFound struct {
	PK     key.PublicKey
	DataPK key.PublicKey
}

func (FriendRequestReceived) onionEvent() {}
func (DHTPKReceived) onionEvent()         {}
func (ConnectionChanged) onionEvent()     {}
func (FriendFound) onionEvent()           {}
