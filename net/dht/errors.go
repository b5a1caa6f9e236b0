package dht

import "errors"

// DHT-specific drop reasons. HandlePacket returns them (wrapped) alongside
// the net/wire sentinels ErrShort, ErrLong, ErrKind, ErrMalformed and
// ErrDecrypt, so callers count drops by reason with errors.Is.
var (
	// ErrUnsolicited: a response whose ping id is unknown or expired, of
	// the wrong kind, or from another key or address than the one we asked
	// (anti-spoofing, tox-protocol.md §3.1).
	ErrUnsolicited = errors.New("dht: unsolicited response")
	// ErrReplay: a second response to a ping id already answered.
	ErrReplay = errors.New("dht: replayed response")
	// ErrSelf: a packet that claims to come from our own DHT key.
	ErrSelf = errors.New("dht: packet from our own key")
	// ErrNoRoute: a 0x20 request for a key that is not in our close list.
	ErrNoRoute = errors.New("dht: no route to receiver")
	// ErrNoHandler: a 0x20 request for us with a subtype nobody handles.
	ErrNoHandler = errors.New("dht: no handler for request subtype")
	// ErrNotLAN: LAN discovery from a source that is not on a LAN.
	ErrNotLAN = errors.New("dht: LAN discovery from a non-LAN address")
	// ErrDisabled: LAN discovery while Config.LANDiscovery is off.
	ErrDisabled = errors.New("dht: LAN discovery disabled")
	// ErrNotFriend: a NAT ping from a key that is not a DHT friend.
	ErrNotFriend = errors.New("dht: request from a key that is not a DHT friend")
	// ErrRandom: the random source failed, so nothing could be sent.
	ErrRandom = errors.New("dht: random source failed")
)
