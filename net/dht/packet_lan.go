package dht

import (
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

// LANDiscovery is the LAN discovery packet (tox-protocol.md §4.3):
// 0x21 | sender DHT pk(32), 33 bytes, in clear.
type LANDiscovery struct {
	PK key.PublicKey
}

// AppendBinary appends the 33-byte packet.
func (m *LANDiscovery) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(wire.KindLANDiscovery))
	return append(b, m.PK[:]...), nil
}

// ParseLANDiscovery parses a 33-byte LAN discovery packet.
func ParseLANDiscovery(b []byte) (LANDiscovery, error) {
	if len(b) < 1 {
		return LANDiscovery{}, fmt.Errorf("%w: empty LAN discovery", wire.ErrShort)
	}
	if wire.Kind(b[0]) != wire.KindLANDiscovery {
		return LANDiscovery{}, fmt.Errorf("%w: %v is not LAN discovery", wire.ErrKind, wire.Kind(b[0]))
	}
	if len(b) < LANDiscoverySize {
		return LANDiscovery{}, fmt.Errorf("%w: LAN discovery %d bytes", wire.ErrShort, len(b))
	}
	if len(b) > LANDiscoverySize {
		return LANDiscovery{}, fmt.Errorf("%w: LAN discovery %d bytes", wire.ErrLong, len(b))
	}
	var m LANDiscovery
	copy(m.PK[:], b[1:])
	return m, nil
}
