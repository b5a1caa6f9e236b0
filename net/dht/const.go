package dht

import (
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// List sizes (tox-protocol.md §3.4, c-toxcore DHT.h).
const (
	// BucketCount is LCLIENT_LENGTH, the number of close-list buckets.
	BucketCount = 128
	// BucketSize is LCLIENT_NODES, the entries per bucket.
	BucketSize = 8
	// FriendListSize is MAX_FRIEND_CLIENTS, the nodes kept per DHT friend.
	FriendListSize = 8
	// MaxSentNodes is MAX_SENT_NODES, the nodes in one send-nodes reply
	// (§3.3).
	MaxSentNodes = 4
	// MaxCloseToBootstrap is MAX_CLOSE_TO_BOOTSTRAP_NODES, the close-list
	// to_bootstrap queue (§3.4); friends queue MaxSentNodes each.
	MaxCloseToBootstrap = 8
	// MaxToPing is MAX_TO_PING, the ping_add queue (§3.2).
	MaxToPing = 32
	// FakeFriends is DHT_FAKE_FRIEND_NUMBER (§3.4).
	FakeFriends = 2
	// MaxPending bounds our table of outstanding ping ids (c-toxcore keeps
	// two ping arrays of 512, §3.2).
	MaxPending = 512
)

// Timers (tox-protocol.md §3.2, §3.5).
const (
	// PingTimeout is PING_TIMEOUT: how long a ping id stays valid.
	PingTimeout = 5 * time.Second
	// PingInterval is PING_INTERVAL: the keep-alive get-nodes period.
	PingInterval = 60 * time.Second
	// BadNodeTimeout is BAD_NODE_TIMEOUT = 60 + 1·(60+2) s.
	BadNodeTimeout = 122 * time.Second
	// KillNodeTimeout is KILL_NODE_TIMEOUT = BAD_NODE_TIMEOUT + PING_INTERVAL.
	KillNodeTimeout = BadNodeTimeout + PingInterval
	// GetNodeInterval is GET_NODE_INTERVAL: a random good node per list is
	// asked for nodes this often.
	GetNodeInterval = 20 * time.Second
	// MaxBootstrapTimes is MAX_BOOTSTRAP_TIMES: the first 5 random get-nodes
	// per list go out every second.
	MaxBootstrapTimes = 5
	// TimeToPing is TIME_TO_PING: the ping_add queue is flushed this often.
	TimeToPing = 2 * time.Second
	// TickInterval is how often do_dht runs (at most once per second).
	TickInterval = time.Second
	// SharedKeyTTL is KEYS_TIMEOUT (§3.1).
	SharedKeyTTL = 600 * time.Second
	// PunchInterval is PUNCH_INTERVAL (§4.2).
	PunchInterval = 3 * time.Second
	// PunchResetTime is PUNCH_RESET_TIME (§4.2).
	PunchResetTime = 40 * time.Second
	// MaxPunchingPorts is MAX_PUNCHING_PORTS (§4.2).
	MaxPunchingPorts = 48
	// MaxNormalPunchingTries is MAX_NORMAL_PUNCHING_TRIES (§4.2).
	MaxNormalPunchingTries = 5
)

// sharedKeyCacheSize bounds the beforenm cache. A node in a 10,000-node
// network talks to a few hundred peers; a miss costs one X25519.
const sharedKeyCacheSize = 256

// DHT-routed request subtypes (tox-protocol.md §2, §4.1).
const (
	SubtypeFriendRequest byte = 32  // CRYPTO_PACKET_FRIEND_REQ, unused over the DHT
	SubtypeDHTPK         byte = 156 // CRYPTO_PACKET_DHTPK
	SubtypeNATPing       byte = 254 // CRYPTO_PACKET_NAT_PING
)

// Packet sizes (tox-protocol.md §3.2, §3.3, §4.1, §4.3).
const (
	headerSize = 1 + key.Size + key.NonceSize
	// PingPayloadSize is the plain part of a ping: type | ping_id.
	PingPayloadSize = 1 + 8
	// PingPacketSize is a whole ping request or response (82).
	PingPacketSize = headerSize + PingPayloadSize + crypto.Overhead
	// NodesRequestPayloadSize is search pk | ping_id.
	NodesRequestPayloadSize = key.Size + 8
	// NodesRequestPacketSize is a whole get-nodes request (113).
	NodesRequestPacketSize = headerSize + NodesRequestPayloadSize + crypto.Overhead
	// MinNodesResponsePacketSize is a send-nodes reply with no node (82).
	MinNodesResponsePacketSize = headerSize + 1 + 8 + crypto.Overhead
	// MaxNodesResponsePacketSize is a reply with 4 IPv6 nodes (286).
	MaxNodesResponsePacketSize = MinNodesResponsePacketSize + MaxSentNodes*wire.PackedNode6Size
	// requestHeaderSize is 0x20 | receiver | sender | nonce (89, CRYPTO_SIZE).
	requestHeaderSize = 1 + 2*key.Size + key.NonceSize
	// MinRequestSize is the smallest 0x20 packet: one subtype byte and one
	// data byte (c-toxcore refuses empty data).
	MinRequestSize = requestHeaderSize + crypto.Overhead + 2
	// MaxRequestSize is MAX_CRYPTO_REQUEST_SIZE, the largest 0x20 packet we
	// build or open.
	MaxRequestSize = 1024
	// MaxForwardSize is the largest 0x20 packet c-toxcore forwards
	// (MAX_CRYPTO_REQUEST_SIZE + CRYPTO_MAC_SIZE).
	MaxForwardSize = MaxRequestSize + crypto.Overhead
	// MaxRequestData is the most data one 0x20 request carries (918).
	MaxRequestData = MaxRequestSize - requestHeaderSize - crypto.Overhead - 1
	// LANDiscoverySize is 0x21 | pk (33).
	LANDiscoverySize = 1 + key.Size
	// NATPingSize is the data of a NAT ping: type | ping_id (§4.2).
	NATPingSize = 1 + 8
)
