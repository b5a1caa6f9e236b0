package tcprelay

import (
	"encoding/binary"
	"fmt"

	"parley/net/wire"
)

const pingSize = 1 + 8

// Ping asks the other end to prove it is alive: 4 | ping id(8). The id is
// opaque (c-toxcore copies it in host order); Parley reads and writes it
// big-endian, which keeps the bytes. c-toxcore never sends id 0 and does
// not answer it; it parses, and Session ignores it.
type Ping struct {
	ID uint64
}

// PacketID returns IDPing.
func (*Ping) PacketID() PacketID { return IDPing }

// AppendBinary appends 4 | id.
func (m *Ping) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(IDPing))
	return binary.BigEndian.AppendUint64(b, m.ID), nil
}

// ParsePing parses exactly 9 bytes.
func ParsePing(b []byte) (Ping, error) {
	if err := checkFixed(b, IDPing, pingSize); err != nil {
		return Ping{}, err
	}
	return Ping{ID: binary.BigEndian.Uint64(b[1:])}, nil
}

// Pong answers a Ping with its id: 5 | ping id(8). A pong with id 0 makes
// c-toxcore drop the connection, so it is neither encoded nor accepted.
type Pong struct {
	ID uint64
}

// PacketID returns IDPong.
func (*Pong) PacketID() PacketID { return IDPong }

// AppendBinary appends 5 | id.
func (m *Pong) AppendBinary(b []byte) ([]byte, error) {
	if m.ID == 0 {
		return b, fmt.Errorf("tcprelay: pong: %w (ping id 0)", wire.ErrMalformed)
	}
	b = append(b, byte(IDPong))
	return binary.BigEndian.AppendUint64(b, m.ID), nil
}

// ParsePong parses exactly 9 bytes with a non-zero id.
func ParsePong(b []byte) (Pong, error) {
	if err := checkFixed(b, IDPong, pingSize); err != nil {
		return Pong{}, err
	}
	id := binary.BigEndian.Uint64(b[1:])
	if id == 0 {
		return Pong{}, fmt.Errorf("tcprelay: pong: %w (ping id 0)", wire.ErrMalformed)
	}
	return Pong{ID: id}, nil
}
