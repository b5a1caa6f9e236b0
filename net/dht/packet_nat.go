package dht

import (
	"encoding/binary"
	"fmt"

	"parley/net/wire"
)

// NAT ping types (tox-protocol.md §4.2).
const (
	NATPingRequest  byte = 0
	NATPingResponse byte = 1
)

// NATPing is the data of a subtype-254 request (tox-protocol.md §4.2):
// type(1: 0 request, 1 response) | ping_id(8). The id is opaque and echoed.
type NATPing struct {
	Type byte
	ID   uint64
}

// AppendBinary appends the 9-byte NAT ping data.
func (m *NATPing) AppendBinary(b []byte) ([]byte, error) {
	if m.Type != NATPingRequest && m.Type != NATPingResponse {
		return b, fmt.Errorf("%w: NAT ping type %d", wire.ErrMalformed, m.Type)
	}
	b = append(b, m.Type)
	return binary.LittleEndian.AppendUint64(b, m.ID), nil
}

// ParseNATPing parses NAT ping data.
func ParseNATPing(b []byte) (NATPing, error) {
	if len(b) < NATPingSize {
		return NATPing{}, fmt.Errorf("%w: NAT ping %d bytes", wire.ErrShort, len(b))
	}
	if len(b) > NATPingSize {
		return NATPing{}, fmt.Errorf("%w: NAT ping %d bytes", wire.ErrLong, len(b))
	}
	if b[0] != NATPingRequest && b[0] != NATPingResponse {
		return NATPing{}, fmt.Errorf("%w: NAT ping type %d", wire.ErrMalformed, b[0])
	}
	return NATPing{Type: b[0], ID: binary.LittleEndian.Uint64(b[1:])}, nil
}
