package tcprelay

import (
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

// HandshakePlain is what each side seals in its handshake: a fresh
// temporary public key and the base nonce of the frames it will send
// (tox-protocol.md §9).
type HandshakePlain struct {
	TempPK    key.PublicKey
	BaseNonce key.Nonce
}

// AppendBinary appends temp pk(32) | base nonce(24).
func (m *HandshakePlain) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, m.TempPK[:]...)
	return append(b, m.BaseNonce[:]...), nil
}

// ParseHandshakePlain parses exactly HandshakePlainSize bytes.
func ParseHandshakePlain(b []byte) (HandshakePlain, error) {
	var m HandshakePlain
	if err := checkSize("handshake plain", b, HandshakePlainSize); err != nil {
		return m, err
	}
	copy(m.TempPK[:], b)
	copy(m.BaseNonce[:], b[key.Size:])
	return m, nil
}

// ClientHandshake is the client's first message: its DHT public key, a
// random nonce, and the HandshakePlain sealed with beforenm(relay pk, our
// DHT sk) under that nonce. 128 bytes, no length prefix.
type ClientHandshake struct {
	PK     key.PublicKey
	Nonce  key.Nonce
	Sealed [handshakeSealedSize]byte
}

// AppendBinary appends pk(32) | nonce(24) | sealed(72).
func (m *ClientHandshake) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, m.PK[:]...)
	b = append(b, m.Nonce[:]...)
	return append(b, m.Sealed[:]...), nil
}

// ParseClientHandshake parses exactly ClientHandshakeSize bytes.
func ParseClientHandshake(b []byte) (ClientHandshake, error) {
	var m ClientHandshake
	if err := checkSize("client handshake", b, ClientHandshakeSize); err != nil {
		return m, err
	}
	copy(m.PK[:], b)
	copy(m.Nonce[:], b[key.Size:])
	copy(m.Sealed[:], b[key.Size+key.NonceSize:])
	return m, nil
}

// ServerHandshake is the relay's reply: a random nonce and the relay's
// HandshakePlain sealed with the same static shared key. 96 bytes.
type ServerHandshake struct {
	Nonce  key.Nonce
	Sealed [handshakeSealedSize]byte
}

// AppendBinary appends nonce(24) | sealed(72).
func (m *ServerHandshake) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, m.Nonce[:]...)
	return append(b, m.Sealed[:]...), nil
}

// ParseServerHandshake parses exactly ServerHandshakeSize bytes.
func ParseServerHandshake(b []byte) (ServerHandshake, error) {
	var m ServerHandshake
	if err := checkSize("server handshake", b, ServerHandshakeSize); err != nil {
		return m, err
	}
	copy(m.Nonce[:], b)
	copy(m.Sealed[:], b[key.NonceSize:])
	return m, nil
}

// checkSize reports whether b is exactly size bytes, wrapping ErrShort or
// ErrLong.
func checkSize(what string, b []byte, size int) error {
	switch {
	case len(b) < size:
		return fmt.Errorf("tcprelay: %s: %w (%d bytes, want %d)", what, wire.ErrShort, len(b), size)
	case len(b) > size:
		return fmt.Errorf("tcprelay: %s: %w (%d bytes, want %d)", what, wire.ErrLong, len(b), size)
	}
	return nil
}
