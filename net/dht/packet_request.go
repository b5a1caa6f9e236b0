package dht

import (
	"fmt"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// Request is a DHT-routed request (tox-protocol.md §4.1):
//
//	0x20 | receiver DHT pk(32) | sender DHT pk(32) | nonce(24) | box(receiver, sender, nonce, subtype | data)
//
// ParseRequest accepts 106..1040 bytes, the sizes c-toxcore forwards; the
// DHT opens only those of at most MaxRequestSize bytes.
type Request struct {
	Receiver key.PublicKey
	Sender   key.PublicKey
	Nonce    key.Nonce
	// Sealed is MAC | ciphertext. ParseRequest aliases its input here.
	Sealed []byte
}

const (
	minRequestSealed = crypto.Overhead + 1
	maxRequestSealed = MaxForwardSize - requestHeaderSize
)

// AppendBinary appends the request.
func (r *Request) AppendBinary(b []byte) ([]byte, error) {
	if len(r.Sealed) < minRequestSealed {
		return b, fmt.Errorf("%w: request sealed part %d bytes", wire.ErrShort, len(r.Sealed))
	}
	if len(r.Sealed) > maxRequestSealed {
		return b, fmt.Errorf("%w: request sealed part %d bytes", wire.ErrLong, len(r.Sealed))
	}
	b = append(b, byte(wire.KindCrypto))
	b = append(b, r.Receiver[:]...)
	b = append(b, r.Sender[:]...)
	b = append(b, r.Nonce[:]...)
	return append(b, r.Sealed...), nil
}

// ParseRequest parses a 0x20 packet. Sealed aliases b.
func ParseRequest(b []byte) (Request, error) {
	if len(b) < 1 {
		return Request{}, fmt.Errorf("%w: empty request", wire.ErrShort)
	}
	if wire.Kind(b[0]) != wire.KindCrypto {
		return Request{}, fmt.Errorf("%w: %v is not a DHT request", wire.ErrKind, wire.Kind(b[0]))
	}
	if len(b) < requestHeaderSize+minRequestSealed {
		return Request{}, fmt.Errorf("%w: request %d bytes", wire.ErrShort, len(b))
	}
	if len(b) > MaxForwardSize {
		return Request{}, fmt.Errorf("%w: request %d bytes", wire.ErrLong, len(b))
	}
	var r Request
	copy(r.Receiver[:], b[1:])
	copy(r.Sender[:], b[1+key.Size:])
	copy(r.Nonce[:], b[1+2*key.Size:])
	r.Sealed = b[requestHeaderSize:]
	return r, nil
}

// RequestPayload is the plain part of a 0x20 request: subtype(1) | data.
// c-toxcore refuses empty data, so Data has 1..918 bytes.
type RequestPayload struct {
	Subtype byte
	// Data aliases the input of ParseRequestPayload.
	Data []byte
}

// AppendBinary appends the payload.
func (p *RequestPayload) AppendBinary(b []byte) ([]byte, error) {
	if len(p.Data) < 1 {
		return b, fmt.Errorf("%w: empty request data", wire.ErrShort)
	}
	if len(p.Data) > MaxRequestData {
		return b, fmt.Errorf("%w: request data %d bytes, at most %d", wire.ErrLong, len(p.Data), MaxRequestData)
	}
	b = append(b, p.Subtype)
	return append(b, p.Data...), nil
}

// ParseRequestPayload parses subtype | data. Data aliases b.
func ParseRequestPayload(b []byte) (RequestPayload, error) {
	if len(b) < 2 {
		return RequestPayload{}, fmt.Errorf("%w: request payload %d bytes", wire.ErrShort, len(b))
	}
	if len(b)-1 > MaxRequestData {
		return RequestPayload{}, fmt.Errorf("%w: request payload %d bytes", wire.ErrLong, len(b))
	}
	return RequestPayload{Subtype: b[0], Data: b[1:]}, nil
}
