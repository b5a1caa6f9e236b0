package dht

import (
	"encoding/binary"
	"fmt"

	"parley/net/wire"
)

// PingPayload is the plain part of a ping request or response
// (tox-protocol.md §3.2): type(1) | ping_id(8). The type repeats the packet
// kind (0x00 or 0x01). The ping_id is opaque; we write and read it
// little-endian, the host order of c-toxcore on x86, so logs match.
type PingPayload struct {
	Type wire.Kind
	ID   uint64
}

// AppendBinary appends the 9-byte payload.
func (p *PingPayload) AppendBinary(b []byte) ([]byte, error) {
	if p.Type != wire.KindPingRequest && p.Type != wire.KindPingResponse {
		return b, fmt.Errorf("%w: ping type %v", wire.ErrMalformed, p.Type)
	}
	b = append(b, byte(p.Type))
	return binary.LittleEndian.AppendUint64(b, p.ID), nil
}

// ParsePingPayload parses a 9-byte ping payload.
func ParsePingPayload(b []byte) (PingPayload, error) {
	if len(b) < PingPayloadSize {
		return PingPayload{}, fmt.Errorf("%w: ping payload %d bytes", wire.ErrShort, len(b))
	}
	if len(b) > PingPayloadSize {
		return PingPayload{}, fmt.Errorf("%w: ping payload %d bytes", wire.ErrLong, len(b))
	}
	t := wire.Kind(b[0])
	if t != wire.KindPingRequest && t != wire.KindPingResponse {
		return PingPayload{}, fmt.Errorf("%w: ping type %v", wire.ErrMalformed, t)
	}
	return PingPayload{Type: t, ID: binary.LittleEndian.Uint64(b[1:])}, nil
}
