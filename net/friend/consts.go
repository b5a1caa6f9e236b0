package friend

import "time"

// Packet ids of friend_connection (tox-protocol.md §7, friend_connection.h)
// and Messenger (§7, net_crypto.h). All travel as lossless net_crypto
// packets: data[0] is the id, the payload follows.
const (
	IDAlive          byte = 16 // friend_connection keep-alive, empty
	IDShareRelays    byte = 17 // up to 3 packed TCP relay nodes
	IDFriendRequests byte = 18 // nospam(4) | message: a friend request over a connection (§8)
	IDOnline         byte = 24 // empty
	IDOffline        byte = 25 // empty
	IDNickname       byte = 48 // name, ≤ MaxNameLength bytes
	IDStatusMessage  byte = 49 // ≤ MaxStatusMessageLength bytes
	IDUserStatus     byte = 50 // 1 byte: 0 none, 1 away, 2 busy
	IDTyping         byte = 51 // 1 byte: 0 or 1
	IDMessage        byte = 64 // UTF-8 text, 1..MaxMessageLength bytes
	IDAction         byte = 65 // same as IDMessage, for "/me"
)

// Length limits (tox-protocol.md §1, tox.h).
const (
	MaxNameLength          = 128  // TOX_MAX_NAME_LENGTH
	MaxStatusMessageLength = 1007 // TOX_MAX_STATUS_MESSAGE_LENGTH
	MaxRequestLength       = 1016 // TOX_MAX_FRIEND_REQUEST_LENGTH
	MaxMessageLength       = 1372 // TOX_MAX_MESSAGE_LENGTH: MAX_CRYPTO_DATA_SIZE (1373) − the id byte
	MaxSharedRelays        = 3    // MAX_SHARED_RELAYS (§7)
	NospamSize             = 4
)

// Timers (tox-protocol.md §7 and §8).
const (
	// PingInterval: an ALIVE packet goes to every connected friend this
	// often (FRIEND_PING_INTERVAL).
	PingInterval = 8 * time.Second
	// ConnectionTimeout: a connection that received nothing for this long is
	// dead (FRIEND_CONNECTION_TIMEOUT = 4 × FRIEND_PING_INTERVAL).
	ConnectionTimeout = 4 * PingInterval
	// ShareRelaysInterval: SHARE_RELAYS goes out on connect and then this
	// often (SHARE_RELAYS_INTERVAL).
	ShareRelaysInterval = 120 * time.Second
	// RequestTimeout: an outgoing friend request is resent when the friend
	// has not come online this long after it was sent; the timeout doubles
	// at each resend (FRIENDREQUEST_TIMEOUT, check_friend_request_timed_out).
	RequestTimeout = 5 * time.Second
	// maxRequestTimeout caps the doubling so the Duration cannot overflow;
	// c-toxcore reaches it only after 14 unanswered resends (about 23 h).
	maxRequestTimeout = 24 * time.Hour
)

// Defaults of the incoming friend request guard (not in c-toxcore, whose
// only guard is a ring of the last 32 senders; §8).
const (
	// DefaultRequestBurst requests may arrive back to back before the rate
	// limit applies.
	DefaultRequestBurst = 16
	// DefaultRequestInterval is the steady rate: one new request per this.
	DefaultRequestInterval = 2 * time.Second
	// DefaultRecentSenders is how many recent senders are remembered to
	// ignore their repeats (c-toxcore's MAX_RECEIVED_STORED is 32).
	DefaultRecentSenders = 1024
	// DefaultMaxPendingRequests bounds the requests awaiting Accept or
	// Decline; the oldest is forgotten when a new one arrives.
	DefaultMaxPendingRequests = 256
)
