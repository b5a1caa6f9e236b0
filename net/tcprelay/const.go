package tcprelay

import (
	"time"

	"parley/net/crypto"
	"parley/net/key"
)

// Handshake sizes (tox-protocol.md §9, TCP_common.h).
const (
	// HandshakePlainSize is TCP_HANDSHAKE_PLAIN_SIZE: temp pk | base nonce.
	HandshakePlainSize = key.Size + key.NonceSize
	// handshakeSealedSize is the sealed plain: MAC | ciphertext.
	handshakeSealedSize = HandshakePlainSize + crypto.Overhead
	// ServerHandshakeSize is TCP_SERVER_HANDSHAKE_SIZE: nonce | sealed plain.
	ServerHandshakeSize = key.NonceSize + handshakeSealedSize
	// ClientHandshakeSize is TCP_CLIENT_HANDSHAKE_SIZE: our pk | nonce |
	// sealed plain.
	ClientHandshakeSize = key.Size + ServerHandshakeSize
)

// Frame and packet sizes (§9, TCP_common.h, TCP_client.c).
const (
	// FrameHeaderSize is the big-endian length in front of every frame.
	FrameHeaderSize = 2
	// MaxFrameSize is MAX_PACKET_SIZE: the largest sealed frame body, the
	// largest value of the length field. A larger length ends the
	// connection.
	MaxFrameSize = 2048
	// MinFrameSize is the smallest sealed body: a MAC and nothing else.
	MinFrameSize = crypto.Overhead
	// MaxPlainSize is the largest plain packet inside a frame.
	MaxPlainSize = MaxFrameSize - crypto.Overhead
	// MinPlainSize: c-toxcore drops the connection on a plain packet of
	// one byte or less (handle_TCP_client_packet).
	MinPlainSize = 2
	// MaxDataSize is the largest payload of a data packet (id byte
	// excluded). net_crypto packets are at most 1400 bytes, so they fit.
	MaxDataSize = MaxPlainSize - 1
	// MaxOOBDataSize is TCP_MAX_OOB_DATA_LENGTH; the relay drops the
	// connection of a client that sends more, or none.
	MaxOOBDataSize = 1024
	// maxOOBRecvSize bounds an OOB recv's data by the frame, not by the
	// relay's 1024: c-toxcore's client does not check it.
	maxOOBRecvSize = MaxPlainSize - 1 - key.Size
	// onionSendBase is ONION_SEND_BASE: pk | packed IP_Port | MAC.
	onionSendBase = key.Size + sizeIPPort + crypto.Overhead
	// sizeIPPort is SIZE_IPPORT, a packed IP_Port in onion packets.
	sizeIPPort = 1 + 16 + 2
	// MinOnionRequestPayload: the relay drops the connection of a client
	// whose onion request (after the nonce) is 2·ONION_SEND_BASE bytes or
	// fewer (TCP_server.c).
	MinOnionRequestPayload = 2*onionSendBase + 1
	// MaxOnionRequestPayload is what fits in a frame after id and nonce.
	MaxOnionRequestPayload = MaxPlainSize - 1 - key.NonceSize
	// MaxOnionResponseSize is what fits in a frame after the id.
	MaxOnionResponseSize = MaxPlainSize - 1
)

// Connection ids (TCP_common.h NUM_RESERVED_PORTS, NUM_CLIENT_CONNECTIONS).
const (
	// FirstConnID is the lowest connection id; ids 0..15 are packet ids.
	FirstConnID ConnID = 16
	// MaxConns is the number of connection ids a client has per relay.
	MaxConns = 256 - int(FirstConnID)
)

// Timers (§9, TCP_client.h, TCP_common.h).
const (
	// HandshakeTimeout is TCP_CONNECTION_TIMEOUT: dial and handshake must
	// be done within it.
	HandshakeTimeout = 10 * time.Second
	// PingInterval is TCP_PING_FREQUENCY.
	PingInterval = 30 * time.Second
	// PingTimeout is TCP_PING_TIMEOUT: how long a ping may go unanswered.
	PingTimeout = 10 * time.Second
	// PaceInterval is the period of the writer's byte budget: the 30 ms
	// tox-bootstrapd sleeps between passes over its sockets.
	PaceInterval = 30 * time.Millisecond
	// CloseFlushTimeout bounds how long Close lets the writer flush the
	// goodbye (disconnect notifications and what was queued before). A
	// Parley choice; c-toxcore just closes the socket.
	CloseFlushTimeout = time.Second
)
