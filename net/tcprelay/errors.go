package tcprelay

import "errors"

// Errors of the relay client. Codecs wrap the net/wire sentinels (ErrShort,
// ErrLong, ErrKind, ErrMalformed, ErrDecrypt) instead; a connection that
// ends because of a bad frame reports both (errors.Is works for either).
var (
	// ErrHandshake: the relay's handshake reply did not open with the key
	// we expected, so it is not the relay we meant to reach.
	ErrHandshake = errors.New("tcprelay: relay handshake failed")
	// ErrHandshakeTimeout: dial and handshake took longer than
	// HandshakeTimeout.
	ErrHandshakeTimeout = errors.New("tcprelay: handshake timed out")
	// ErrNotEstablished: a frame was sealed or opened before the
	// handshake completed.
	ErrNotEstablished = errors.New("tcprelay: handshake not completed")
	// ErrPingTimeout: the relay did not answer a ping within PingTimeout.
	ErrPingTimeout = errors.New("tcprelay: relay did not answer ping")
	// ErrProtocol: the relay sent something c-toxcore's client would drop
	// the connection for (a packet only clients send, a zero pong, a
	// notification for id < 16, a plain packet under 2 bytes).
	ErrProtocol = errors.New("tcprelay: relay protocol violation")
	// ErrNotOnline: data for a connection id whose peer is not connected
	// (the relay would drop it, or drop us for an unknown id).
	ErrNotOnline = errors.New("tcprelay: connection not online")
	// ErrUnknownConn: a disconnect for a connection id we do not hold.
	ErrUnknownConn = errors.New("tcprelay: unknown connection id")
	// ErrNotClientPacket: a packet type a client may not send.
	ErrNotClientPacket = errors.New("tcprelay: not a client packet")
	// ErrClosed: the client was closed (Client.Err after Close; commands
	// after the connection ended).
	ErrClosed = errors.New("tcprelay: client closed")
	// ErrRelayClosed: the relay closed the connection or it broke.
	ErrRelayClosed = errors.New("tcprelay: connection to relay lost")
)
