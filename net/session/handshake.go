package session

import (
	"crypto/sha512"
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

// Handshake is the 0x1a packet (§6.3, 385 bytes):
//
//	0x1a | cookie from the peer(112) | nonce(24) | box(peer long-term pk, our long-term sk, nonce, HandshakePlain)
type Handshake struct {
	Cookie Cookie
	Nonce  key.Nonce
	Sealed [handshakeSealedSize]byte
}

// AppendBinary appends the packet to b.
func (m *Handshake) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(wire.KindCryptoHandshake))
	b = append(b, m.Cookie[:]...)
	b = append(b, m.Nonce[:]...)
	return append(b, m.Sealed[:]...), nil
}

// ParseHandshake parses a 0x1a packet; the result copies b.
func ParseHandshake(b []byte) (Handshake, error) {
	var m Handshake
	if err := checkFixed(b, wire.KindCryptoHandshake, HandshakeSize); err != nil {
		return m, fmt.Errorf("session: handshake: %w", err)
	}
	b = b[1:]
	copy(m.Cookie[:], b)
	copy(m.Nonce[:], b[CookieSize:])
	copy(m.Sealed[:], b[CookieSize+key.NonceSize:])
	return m, nil
}

// HandshakePlain is the boxed part of a handshake (232 bytes):
//
//	base nonce(24) | session pk(32) | SHA-512 of the outer cookie(64) | new cookie for the peer(112)
//
// BaseNonce is the first nonce the sender will use for data packets;
// SessionPK is its fresh per-connection key (forward secrecy); Cookie is
// made by the sender and echoed by the receiver in its own handshake.
type HandshakePlain struct {
	BaseNonce  key.Nonce
	SessionPK  key.PublicKey
	CookieHash [sha512.Size]byte
	Cookie     Cookie
}

// AppendBinary appends the 232-byte plain text to b.
func (m *HandshakePlain) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, m.BaseNonce[:]...)
	b = append(b, m.SessionPK[:]...)
	b = append(b, m.CookieHash[:]...)
	return append(b, m.Cookie[:]...), nil
}

// ParseHandshakePlain parses the opened part of a handshake.
func ParseHandshakePlain(b []byte) (HandshakePlain, error) {
	var m HandshakePlain
	if err := checkLen(b, handshakePlainSize); err != nil {
		return m, fmt.Errorf("session: handshake plain: %w", err)
	}
	copy(m.BaseNonce[:], b)
	b = b[key.NonceSize:]
	copy(m.SessionPK[:], b)
	b = b[key.Size:]
	copy(m.CookieHash[:], b)
	copy(m.Cookie[:], b[sha512.Size:])
	return m, nil
}
