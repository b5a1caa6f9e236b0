package dht

import (
	"fmt"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// Packet is the encrypted envelope of the four DHT messages (kinds 0x00,
// 0x01, 0x02 and 0x04, tox-protocol.md §3.1):
//
//	kind(1) | sender DHT pk(32) | nonce(24) | sealed (MAC(16) | ciphertext)
//
// Sealed is sbox(beforenm(receiver pk, sender sk), nonce, plain); see seal.go.
type Packet struct {
	Kind   wire.Kind
	Sender key.PublicKey
	Nonce  key.Nonce
	// Sealed is MAC | ciphertext. ParsePacket aliases its input here.
	Sealed []byte
}

// sealedBounds gives the allowed length of Sealed for each DHT kind: pings
// and get-nodes have one size, send-nodes carries 0 to 4 nodes.
func sealedBounds(k wire.Kind) (lo, hi int, ok bool) {
	switch k {
	case wire.KindPingRequest, wire.KindPingResponse:
		return PingPayloadSize + crypto.Overhead, PingPayloadSize + crypto.Overhead, true
	case wire.KindNodesRequest:
		return NodesRequestPayloadSize + crypto.Overhead, NodesRequestPayloadSize + crypto.Overhead, true
	case wire.KindNodesResponse:
		return MinNodesResponsePacketSize - headerSize, MaxNodesResponsePacketSize - headerSize, true
	}
	return 0, 0, false
}

// AppendBinary appends the packet. It refuses a kind that is not a DHT
// message and a Sealed length that kind cannot have.
func (p *Packet) AppendBinary(b []byte) ([]byte, error) {
	lo, hi, ok := sealedBounds(p.Kind)
	if !ok {
		return b, fmt.Errorf("%w: %v is not a DHT packet", wire.ErrKind, p.Kind)
	}
	if len(p.Sealed) < lo {
		return b, fmt.Errorf("%w: %v sealed part %d bytes, want at least %d", wire.ErrShort, p.Kind, len(p.Sealed), lo)
	}
	if len(p.Sealed) > hi {
		return b, fmt.Errorf("%w: %v sealed part %d bytes, want at most %d", wire.ErrLong, p.Kind, len(p.Sealed), hi)
	}
	b = append(b, byte(p.Kind))
	b = append(b, p.Sender[:]...)
	b = append(b, p.Nonce[:]...)
	return append(b, p.Sealed...), nil
}

// ParsePacket parses a DHT envelope, checking the exact size its kind
// allows (82 bytes for pings, 113 for get-nodes, 82..286 for send-nodes).
// Sealed aliases b.
func ParsePacket(b []byte) (Packet, error) {
	if len(b) < 1 {
		return Packet{}, fmt.Errorf("%w: empty DHT packet", wire.ErrShort)
	}
	k := wire.Kind(b[0])
	lo, hi, ok := sealedBounds(k)
	if !ok {
		return Packet{}, fmt.Errorf("%w: %v is not a DHT packet", wire.ErrKind, k)
	}
	if len(b) < headerSize+lo {
		return Packet{}, fmt.Errorf("%w: %v is %d bytes, want at least %d", wire.ErrShort, k, len(b), headerSize+lo)
	}
	if len(b) > headerSize+hi {
		return Packet{}, fmt.Errorf("%w: %v is %d bytes, want at most %d", wire.ErrLong, k, len(b), headerSize+hi)
	}
	p := Packet{Kind: k}
	copy(p.Sender[:], b[1:])
	copy(p.Nonce[:], b[1+key.Size:])
	p.Sealed = b[headerSize:]
	return p, nil
}
