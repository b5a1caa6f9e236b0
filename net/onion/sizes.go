package onion

import (
	"errors"
	"time"

	"parley/net/crypto"
	"parley/net/key"
)

// Sizes (tox-protocol.md §5.1, c-toxcore onion.h, onion_announce.h,
// onion_client.h).
const (
	nonceSize = key.NonceSize
	macSize   = crypto.Overhead

	// IPPortSize is the onion ip_port encoding: family | 16-byte IP | port.
	IPPortSize = 1 + 16 + 2

	// Return blobs: N | sbox(ipport | inner return).
	Return1Size = nonceSize + IPPortSize + macSize
	Return2Size = nonceSize + IPPortSize + macSize + Return1Size
	Return3Size = nonceSize + IPPortSize + macSize + Return2Size

	// sendBase is one forward layer's overhead: pk | ipport | MAC.
	sendBase = key.Size + IPPortSize + macSize
	send1    = nonceSize + 3*sendBase
	send2    = nonceSize + 2*sendBase + Return1Size
	send3    = nonceSize + sendBase + Return2Size

	// MaxPacketSize is ONION_MAX_PACKET_SIZE, the largest onion packet.
	MaxPacketSize = 1400
	// MaxDataSize is ONION_MAX_DATA_SIZE, the largest payload a path carries.
	MaxDataSize = MaxPacketSize - (send1 + 1)

	// onionRequestHeader is kind | N | pk.
	onionRequestHeader = 1 + nonceSize + key.Size

	// PingIDSize is the announce ping id (a timed HMAC on the server).
	PingIDSize = 32
	// SendbackSize is the opaque sendback the announcer echoes.
	SendbackSize = 8

	announcePlainSize = PingIDSize + 2*key.Size + SendbackSize
	// AnnounceRequestSize is ONION_ANNOUNCE_REQUEST_SIZE (177 bytes).
	AnnounceRequestSize = 1 + nonceSize + key.Size + announcePlainSize + macSize

	// maxSentNodes is MAX_SENT_NODES, the nodes in a response.
	maxSentNodes = 4
	// maxExtraData is ONION_MAX_EXTRA_DATA_SIZE; a response may be padded by
	// up to this much per node (c-toxcore's maximum response size).
	maxExtraData = 136
	// announceResponseMin/Max are ONION_ANNOUNCE_RESPONSE_MIN/MAX_SIZE.
	announceResponseMin = 2 + SendbackSize + nonceSize + PingIDSize + macSize
	announceResponseMax = announceResponseMin + maxExtraData*maxSentNodes

	// dataRequestMin is ONION_DATA_REQUEST_MIN_SIZE: kind | pk | N | Tpk | MAC.
	dataRequestMin = 1 + key.Size + nonceSize + key.Size + macSize
	// maxDataRequest is MAX_DATA_REQUEST_SIZE.
	maxDataRequest = MaxDataSize - dataRequestMin
	// dataResponseMin is ONION_DATA_RESPONSE_MIN_SIZE: kind | N | Tpk | MAC.
	dataResponseMin = 1 + nonceSize + key.Size + macSize
	// dataInnerMin is ONION_DATA_IN_RESPONSE_MIN_SIZE: sender pk | MAC.
	dataInnerMin = key.Size + macSize
	// MaxClientData is ONION_CLIENT_MAX_DATA_SIZE (1021), the largest onion
	// data payload to a friend.
	MaxClientData = maxDataRequest - dataInnerMin

	// MaxFriendRequestMessage is TOX_MAX_FRIEND_REQUEST_LENGTH (1016, §1).
	MaxFriendRequestMessage = MaxClientData - 1 - 4
	// MaxToxcoreFriendRequestMessage (943) is the longest friend request
	// message a c-toxcore 0.2.18 receiver accepts over the onion: it drops
	// 0x86 packets over MAX_DATA_REQUEST_SIZE (1069 bytes) although senders
	// may make them up to 1142 (c-toxcore issue #2719). Parley receives up
	// to MaxFriendRequestMessage; the layer above should cap what it sends.
	MaxToxcoreFriendRequestMessage = maxDataRequest - (dataResponseMin + dataInnerMin) - 1 - 4
)

// Onion data payload types (§5.4).
const (
	PayloadFriendRequest byte = 32
	PayloadDHTPK         byte = 156
)

// Timers (§5.2, §5.3; c-toxcore onion.c, onion_announce.h, onion_client.h).
const (
	symKeyRefresh = 2 * time.Hour // KEY_REFRESH_INTERVAL

	announceEntries = 160               // ONION_ANNOUNCE_MAX_ENTRIES
	announceTimeout = 300 * time.Second // ONION_ANNOUNCE_TIMEOUT, also the ping id window

	maxAnnounceNodes = 12 // MAX_ONION_CLIENTS_ANNOUNCE
	maxFriendNodes   = 8  // MAX_ONION_CLIENTS
	numPaths         = 6  // NUMBER_ONION_PATHS
	maxPathNodes     = 32 // MAX_PATH_NODES

	nodePingInterval = 15 * time.Second // ONION_NODE_PING_INTERVAL = ONION_NODE_TIMEOUT
	nodeMaxPings     = 3                // ONION_NODE_MAX_PINGS
	offlineTimeout   = nodePingInterval * (nodeMaxPings + 2)

	pathFirstTimeout     = 4 * time.Second    // ONION_PATH_FIRST_TIMEOUT
	pathTimeout          = 10 * time.Second   // ONION_PATH_TIMEOUT
	pathMaxLifetime      = 1200 * time.Second // ONION_PATH_MAX_LIFETIME
	pathMaxNoResponse    = 4                  // ONION_PATH_MAX_NO_RESPONSE_USES
	maxStoredPinged      = 9                  // MAX_STORED_PINGED_NODES
	minNodePingTime      = 10 * time.Second   // MIN_NODE_PING_TIME
	sendbackTimeout      = 10 * time.Second   // ANNOUNCE_TIMEOUT (ping array)
	sendbackMax          = 256                // ANNOUNCE_ARRAY_SIZE
	announceNotAnnounced = 3 * time.Second    // ANNOUNCE_INTERVAL_NOT_ANNOUNCED
	announceAnnounced    = nodePingInterval   // ANNOUNCE_INTERVAL_ANNOUNCED
	timeToStable         = 6 * nodePingInterval
	announceStable       = 8 * nodePingInterval
	populateTimeout      = 600 * time.Second // ANNOUNCE_POPULATE_TIMEOUT

	friendNewInterval = 3    // ANNOUNCE_FRIEND_NEW_INTERVAL, seconds
	friendRunCountNew = 5    // ANNOUNCE_FRIEND_RUN_COUNT_BEGINNING
	friendMaxInterval = 3600 // ANNOUNCE_FRIEND_MAX_INTERVAL, seconds
	maxRunCountExp    = 12   // MAX_RUN_COUNT_EXPONENT

	connectionTicks  = 3                // ONION_CONNECTION_SECONDS
	connectedTimeout = 10 * time.Second // ONION_CONNECTED_TIMEOUT
	tickInterval     = time.Second      // do_onion_client runs once a second

	// DHTPKInterval is how often the layer above should send our DHT PK
	// announcement to a friend who is not online (ONION_DHTPK_SEND_INTERVAL).
	DHTPKInterval = 30 * time.Second
	// DHTPKOverDHTInterval is the same over the DHT (DHT_DHTPK_SEND_INTERVAL).
	DHTPKOverDHTInterval = 20 * time.Second
)

// Errors the state machines return besides the wire sentinels. Callers
// count drops by reason with errors.Is.
var (
	// ErrUnknownSendback: an announce response whose sendback we did not
	// hand out, or that expired (10 s) or was already answered.
	ErrUnknownSendback = errors.New("onion: unknown or expired sendback")
	// ErrNotAnnounced: a data request for a key nobody announced here.
	ErrNotAnnounced = errors.New("onion: destination not announced here")
	// ErrBadAddress: an ip_port that cannot be sent to.
	ErrBadAddress = errors.New("onion: unusable address")
	// ErrReplay: a DHT PK announcement whose no_replay is not newer.
	ErrReplay = errors.New("onion: replayed announcement")
	// ErrNotFriend: data or a command about a key that is not a friend.
	ErrNotFriend = errors.New("onion: not a friend")
	// ErrFriendNotFound: the friend has not been found on the onion yet (too
	// few of their announce nodes have given us their data key).
	ErrFriendNotFound = errors.New("onion: friend not found on the onion yet")
	// ErrNoPath: no path could be built (no path nodes known yet).
	ErrNoPath = errors.New("onion: no path nodes")
	// ErrNoRelay: in TCP mode, no TCP relay took an onion request.
	ErrNoRelay = errors.New("onion: no TCP relay to send through")
	// ErrMessageSize: a friend request message outside 1..1016 bytes.
	ErrMessageSize = errors.New("onion: friend request message must be 1..1016 bytes")
	// ErrDisabled: a client command on an Onion configured without a client.
	ErrDisabled = errors.New("onion: client disabled")
	// ErrUnhandled: a payload type nobody handles.
	ErrUnhandled = errors.New("onion: unhandled payload type")
)
