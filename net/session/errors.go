package session

import "errors"

// Session drop reasons and send errors. HandlePacket returns them (wrapped)
// alongside the net/wire sentinels ErrShort, ErrLong, ErrKind, ErrMalformed
// and ErrDecrypt, so the owner counts drops by reason with errors.Is.
var (
	// ErrUnknownSource: a cookie response or data packet from an address no
	// connection uses (c-toxcore demultiplexes these by address only).
	ErrUnknownSource = errors.New("session: packet from an unknown address")
	// ErrState: a packet the connection does not expect in its state, e.g.
	// a cookie response after the handshake or a handshake once established.
	ErrState = errors.New("session: packet unexpected in this state")
	// ErrNotAccepted: an unsolicited handshake from a key Config.Accept
	// refused (c-toxcore: not a friend).
	ErrNotAccepted = errors.New("session: handshake from a key we do not accept")
	// ErrCookie: a cookie that is not ours, or is older than CookieTimeout.
	ErrCookie = errors.New("session: invalid or expired cookie")
	// ErrEcho: a cookie response whose echo id is not the one we sent.
	ErrEcho = errors.New("session: cookie response echo id mismatch")
	// ErrCookieHash: a handshake whose SHA-512 does not match its cookie.
	ErrCookieHash = errors.New("session: handshake cookie hash mismatch")
	// ErrReplay: a data packet whose nonce was already used (a replay or a
	// link duplicate). The session goes on.
	ErrReplay = errors.New("session: replayed data packet")
	// ErrDuplicate: a lossless packet number already received (a
	// retransmission that crossed our ack). The session goes on.
	ErrDuplicate = errors.New("session: duplicate lossless packet")
	// ErrWindow: a packet or acknowledgement number outside the window.
	ErrWindow = errors.New("session: packet number outside the window")
	// ErrPacketID: a data packet id outside every range (3..15), or a send
	// with an id of the wrong range.
	ErrPacketID = errors.New("session: packet id out of range")

	// ErrNotEstablished: SendLossless or SendLossy before ESTABLISHED (as
	// c-toxcore's write_cryptpacket refuses).
	ErrNotEstablished = errors.New("session: connection not established")
	// ErrQueueFull: the send ring holds RingSize unacknowledged packets.
	ErrQueueFull = errors.New("session: send queue full")
	// ErrTooLarge: id+payload longer than MaxDataSize, or empty.
	ErrTooLarge = errors.New("session: packet too large or empty")
	// ErrRandom: the random source failed.
	ErrRandom = errors.New("session: random source failed")

	// Reasons a connection closed (Conn.Err).

	// ErrClosed: the connection was killed locally (Conn.Kill, Manager.Close).
	ErrClosed = errors.New("session: connection closed")
	// ErrKilledByPeer: the peer sent a kill packet.
	ErrKilledByPeer = errors.New("session: killed by peer")
	// ErrTimeout: the handshake did not complete in MaxTempSends tries, or
	// an established connection was silent for Config.IdleTimeout.
	ErrTimeout = errors.New("session: timed out")
	// ErrReplaced: a valid handshake from the same peer with another DHT key
	// replaced this connection (the peer restarted, §6.3 race handling).
	ErrReplaced = errors.New("session: replaced by a new connection")
)
