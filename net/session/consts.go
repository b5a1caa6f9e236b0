package session

import (
	"crypto/sha512"
	"time"

	"parley/net/crypto"
	"parley/net/key"
)

// Packet sizes (tox-protocol.md §6.1–§6.4, c-toxcore net_crypto.h).
const (
	// CookieSize is the opaque cookie carried in cookie responses and
	// handshakes: nonce(24) | sbox(72 bytes of contents) (§6.2).
	CookieSize = key.NonceSize + cookieContentsSize + crypto.Overhead // 112

	cookieContentsSize     = 8 + 2*key.Size                           // time | real pk | DHT pk
	cookieRequestPlainSize = 2*key.Size + 8                           // real pk | 32 zero bytes | echo id
	cookieRequestSealed    = cookieRequestPlainSize + crypto.Overhead // 88
	cookieResponsePlain    = CookieSize + 8                           // cookie | echo id
	cookieResponseSealed   = cookieResponsePlain + crypto.Overhead    // 136

	// CookieRequestSize is the length of a 0x18 packet (§6.1).
	CookieRequestSize = 1 + key.Size + key.NonceSize + cookieRequestSealed // 145
	// CookieResponseSize is the length of a 0x19 packet (§6.2).
	CookieResponseSize = 1 + key.NonceSize + cookieResponseSealed // 161

	handshakePlainSize  = key.NonceSize + key.Size + sha512.Size + CookieSize // 232
	handshakeSealedSize = handshakePlainSize + crypto.Overhead                // 248
	// HandshakeSize is the length of a 0x1a packet (§6.3).
	HandshakeSize = 1 + CookieSize + key.NonceSize + handshakeSealedSize // 385

	// MaxPacketSize is MAX_CRYPTO_PACKET_SIZE: no net_crypto packet is
	// longer (§2, §6.4).
	MaxPacketSize = 1400
	// dataPlainHeaderSize is buffer_start u32 | packet_number u32.
	dataPlainHeaderSize = 8
	// dataOverhead is everything of a data packet that is not the padded
	// id+payload: kind, nonce low bytes, the two u32 and the MAC.
	dataOverhead = 1 + 2 + dataPlainHeaderSize + crypto.Overhead // 27
	// MaxDataSize is MAX_CRYPTO_DATA_SIZE, the most bytes of id+payload
	// (padding included) one data packet carries (§6.4).
	MaxDataSize = MaxPacketSize - dataOverhead // 1373
	// MinDataPacketSize: a data packet carries at least the id byte.
	MinDataPacketSize = dataOverhead + 1 // 28
	// maxPadding is CRYPTO_MAX_PADDING: padding is (1373-len) % 8 bytes.
	maxPadding = 8
)

// Packet ids inside data packets (§6.4, net_crypto.h).
const (
	IDPadding byte = 0 // padding; never the first byte of id+payload
	IDRequest byte = 1 // selective acknowledgement / retransmit request
	IDKill    byte = 2 // closes the connection

	LosslessFirst byte = 16  // PACKET_ID_RANGE_LOSSLESS_START
	LosslessLast  byte = 191 // PACKET_ID_RANGE_LOSSLESS_END
	LossyFirst    byte = 192 // PACKET_ID_RANGE_LOSSY_START
	LossyLast     byte = 254 // PACKET_ID_RANGE_LOSSY_END
)

// Protocol numbers and timers (§6.3, §6.4).
const (
	// RingSize is CRYPTO_PACKET_BUFFER_SIZE: the lossless window, in
	// packets, of each direction.
	RingSize = 32768
	// nonceThreshold is DATA_NUM_THRESHOLD: when a packet's 16-bit nonce is
	// more than 2·21845 ahead of the receive nonce, the receive nonce moves
	// forward by 21845.
	nonceThreshold = 21845

	// CookieTimeout is COOKIE_TIMEOUT: a cookie older than this is refused.
	CookieTimeout = 15 * time.Second
	// SendInterval is CRYPTO_SEND_PACKET_INTERVAL: cookie requests and
	// handshakes are resent this often, and a request packet goes out at
	// least this often on a live connection (the keep-alive).
	SendInterval = time.Second
	// MaxTempSends is MAX_NUM_SENDPACKET_TRIES: an unestablished connection
	// dies when its current cookie request or handshake has been sent this
	// many times without progress (about 8 s).
	MaxTempSends = 8
	// DefaultRTT is DEFAULT_PING_CONNECTION, the RTT assumed before the
	// first measurement.
	DefaultRTT = time.Second
	// DirectTimeout is UDP_DIRECT_TIMEOUT: an address we have not heard from
	// for this long is no longer preferred.
	DirectTimeout = 8 * time.Second
	// minWindow is CRYPTO_MIN_QUEUE_LENGTH, the smallest congestion window.
	minWindow = 64
	// MinSlotsFree is what a bulk sender should leave free in the send ring
	// (Messenger's MIN_SLOTS_FREE, §7).
	MinSlotsFree = 16
)

// Parley's own timers (not in c-toxcore; chosen so that loss is repaired
// quickly between Parley peers and harmless to c-toxcore peers).
const (
	// AckDelay: after lossless data arrives, a request packet (which carries
	// our buffer_start, the ack) goes out within this time unless some other
	// data packet carried it first.
	AckDelay = 10 * time.Millisecond
	// holeInterval: while our receive ring has holes, request packets go
	// out this often (c-toxcore's fastest request interval,
	// PACKET_COUNTER_AVERAGE_INTERVAL).
	holeInterval = 50 * time.Millisecond
	// DefaultRecvWindow bounds how many packets ahead of buffer_start we
	// store; later packets are dropped, never named in requests, and sent
	// again by the peer once the window moves.
	DefaultRecvWindow = 8192
	// minResendAfter is the floor of the "sent at least one RTT ago" rule.
	minResendAfter = 10 * time.Millisecond
	// maxResendAfter is its ceiling: c-toxcore's rule uses its minimum RTT,
	// DefaultRTT (SendInterval) until measured, so a requested packet that
	// went out this long ago is resent whatever the estimate says.
	maxResendAfter = SendInterval
	// maxSilence: a live peer sends at least one packet per SendInterval
	// (the keep-alive), so a longer gap means its packets were lost (an
	// outage). Acks of packets sent before the gap ended measure the gap,
	// not the path, and give no RTT sample (receive.go).
	maxSilence = 2 * SendInterval
)
