package session

import (
	"encoding/binary"
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

// Cookie is the 112-byte token of §6.2. Its receiver treats it as opaque
// and echoes it in a handshake; only its creator opens it (CookieContents).
type Cookie [CookieSize]byte

// CookieRequest is the 0x18 packet (§6.1, 145 bytes):
//
//	0x18 | sender DHT pk(32) | nonce(24) | sbox(beforenm(receiver DHT pk, sender DHT sk), nonce, CookieRequestPlain)
type CookieRequest struct {
	DHTPK  key.PublicKey
	Nonce  key.Nonce
	Sealed [cookieRequestSealed]byte
}

// AppendBinary appends the packet to b.
func (m *CookieRequest) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(wire.KindCookieRequest))
	b = append(b, m.DHTPK[:]...)
	b = append(b, m.Nonce[:]...)
	return append(b, m.Sealed[:]...), nil
}

// ParseCookieRequest parses a 0x18 packet; the result copies b.
func ParseCookieRequest(b []byte) (CookieRequest, error) {
	var m CookieRequest
	if err := checkFixed(b, wire.KindCookieRequest, CookieRequestSize); err != nil {
		return m, fmt.Errorf("session: cookie request: %w", err)
	}
	b = b[1:]
	copy(m.DHTPK[:], b)
	copy(m.Nonce[:], b[key.Size:])
	copy(m.Sealed[:], b[key.Size+key.NonceSize:])
	return m, nil
}

// CookieRequestPlain is the sealed part of a cookie request (72 bytes):
//
//	sender long-term pk(32) | 32 zero bytes | echo id u64
//
// The zero bytes are ignored when parsed, as c-toxcore ignores them. The
// echo id is opaque to the responder, which sends its bytes back; we write
// it big-endian.
type CookieRequestPlain struct {
	RealPK key.PublicKey
	EchoID uint64
}

// AppendBinary appends the 72-byte plain text to b.
func (m *CookieRequestPlain) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, m.RealPK[:]...)
	b = append(b, make([]byte, key.Size)...)
	return binary.BigEndian.AppendUint64(b, m.EchoID), nil
}

// ParseCookieRequestPlain parses the opened part of a cookie request.
func ParseCookieRequestPlain(b []byte) (CookieRequestPlain, error) {
	var m CookieRequestPlain
	if err := checkLen(b, cookieRequestPlainSize); err != nil {
		return m, fmt.Errorf("session: cookie request plain: %w", err)
	}
	copy(m.RealPK[:], b)
	m.EchoID = binary.BigEndian.Uint64(b[2*key.Size:])
	return m, nil
}

// CookieResponse is the 0x19 packet (§6.2, 161 bytes):
//
//	0x19 | nonce(24) | sbox(the request's DHT shared key, nonce, CookieResponsePlain)
type CookieResponse struct {
	Nonce  key.Nonce
	Sealed [cookieResponseSealed]byte
}

// AppendBinary appends the packet to b.
func (m *CookieResponse) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(wire.KindCookieResponse))
	b = append(b, m.Nonce[:]...)
	return append(b, m.Sealed[:]...), nil
}

// ParseCookieResponse parses a 0x19 packet; the result copies b.
func ParseCookieResponse(b []byte) (CookieResponse, error) {
	var m CookieResponse
	if err := checkFixed(b, wire.KindCookieResponse, CookieResponseSize); err != nil {
		return m, fmt.Errorf("session: cookie response: %w", err)
	}
	copy(m.Nonce[:], b[1:])
	copy(m.Sealed[:], b[1+key.NonceSize:])
	return m, nil
}

// CookieResponsePlain is the sealed part of a cookie response (120 bytes):
// cookie(112) | echo id(8), the echo id being the request's bytes.
type CookieResponsePlain struct {
	Cookie Cookie
	EchoID uint64
}

// AppendBinary appends the 120-byte plain text to b.
func (m *CookieResponsePlain) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, m.Cookie[:]...)
	return binary.BigEndian.AppendUint64(b, m.EchoID), nil
}

// ParseCookieResponsePlain parses the opened part of a cookie response.
func ParseCookieResponsePlain(b []byte) (CookieResponsePlain, error) {
	var m CookieResponsePlain
	if err := checkLen(b, cookieResponsePlain); err != nil {
		return m, fmt.Errorf("session: cookie response plain: %w", err)
	}
	copy(m.Cookie[:], b)
	m.EchoID = binary.BigEndian.Uint64(b[CookieSize:])
	return m, nil
}

// CookieContents is what Parley seals inside its own cookies (72 bytes):
//
//	time u64 BE | requester long-term pk(32) | requester DHT pk(32)
//
// time is nanoseconds since the Manager's creation. The cookie itself is
// nonce(24) | secretbox(our random cookie key, nonce, contents): 112 bytes,
// the size c-toxcore's cookies have, which is all a peer can see (§6.2).
type CookieContents struct {
	Time   uint64
	RealPK key.PublicKey
	DHTPK  key.PublicKey
}

// AppendBinary appends the 72-byte contents to b.
func (m *CookieContents) AppendBinary(b []byte) ([]byte, error) {
	b = binary.BigEndian.AppendUint64(b, m.Time)
	b = append(b, m.RealPK[:]...)
	return append(b, m.DHTPK[:]...), nil
}

// ParseCookieContents parses opened cookie contents.
func ParseCookieContents(b []byte) (CookieContents, error) {
	var m CookieContents
	if err := checkLen(b, cookieContentsSize); err != nil {
		return m, fmt.Errorf("session: cookie contents: %w", err)
	}
	m.Time = binary.BigEndian.Uint64(b)
	copy(m.RealPK[:], b[8:])
	copy(m.DHTPK[:], b[8+key.Size:])
	return m, nil
}

// checkLen wants exactly n bytes.
func checkLen(b []byte, n int) error {
	switch {
	case len(b) < n:
		return fmt.Errorf("%w: %d bytes, want %d", wire.ErrShort, len(b), n)
	case len(b) > n:
		return fmt.Errorf("%w: %d bytes, want %d", wire.ErrLong, len(b), n)
	}
	return nil
}

// checkFixed wants a packet of kind k and exactly n bytes.
func checkFixed(b []byte, k wire.Kind, n int) error {
	if len(b) > 0 && wire.Kind(b[0]) != k {
		return fmt.Errorf("%w: %v, want %v", wire.ErrKind, wire.Kind(b[0]), k)
	}
	return checkLen(b, n)
}
