package session

import (
	"encoding/binary"
	"fmt"

	"parley/net/wire"
)

// DataPacket is the 0x1b packet (§6.4), 28 to 1400 bytes:
//
//	0x1b | low 2 bytes of the sender's nonce (BE) | sbox(session shared key, full nonce, DataPlain)
type DataPacket struct {
	NonceLow uint16
	// Sealed is MAC | ciphertext. ParseDataPacket makes it alias its input.
	Sealed []byte
}

// AppendDataHeader appends the 3 clear bytes of a data packet; the sealed
// plain text follows them.
func AppendDataHeader(b []byte, nonceLow uint16) []byte {
	b = append(b, byte(wire.KindCryptoData))
	return binary.BigEndian.AppendUint16(b, nonceLow)
}

// AppendBinary appends the packet to b.
func (m *DataPacket) AppendBinary(b []byte) ([]byte, error) {
	if err := checkRange(len(m.Sealed)+3, MinDataPacketSize, MaxPacketSize); err != nil {
		return b, fmt.Errorf("session: data packet: %w", err)
	}
	b = AppendDataHeader(b, m.NonceLow)
	return append(b, m.Sealed...), nil
}

// ParseDataPacket parses a 0x1b packet. Sealed aliases b.
func ParseDataPacket(b []byte) (DataPacket, error) {
	if len(b) > 0 && wire.Kind(b[0]) != wire.KindCryptoData {
		return DataPacket{}, fmt.Errorf("session: data packet: %w: %v", wire.ErrKind, wire.Kind(b[0]))
	}
	if err := checkRange(len(b), MinDataPacketSize, MaxPacketSize); err != nil {
		return DataPacket{}, fmt.Errorf("session: data packet: %w", err)
	}
	return DataPacket{NonceLow: binary.BigEndian.Uint16(b[1:]), Sealed: b[3:]}, nil
}

// DataPlain is the sealed part of a data packet (§6.4):
//
//	buffer_start u32 BE | packet_number u32 BE | zero padding | id(1) | payload
//
// The padding is (1373 - len(id+payload)) % 8 zero bytes; a parser skips
// leading zeros, so any padding is accepted. BufferStart is the sender's
// receive-window start (its cumulative ack); PacketNumber is the packet's
// own number when lossless, else the sender's send buffer_end.
type DataPlain struct {
	BufferStart  uint32
	PacketNumber uint32
	// Data is id + payload: 1..MaxDataSize bytes, Data[0] != 0.
	// ParseDataPlain makes it alias its input.
	Data []byte
}

// AppendBinary appends the plain text, padded, to b.
func (m *DataPlain) AppendBinary(b []byte) ([]byte, error) {
	if len(m.Data) == 0 || m.Data[0] == IDPadding {
		return b, fmt.Errorf("session: data plain: %w: no packet id", wire.ErrMalformed)
	}
	if len(m.Data) > MaxDataSize {
		return b, fmt.Errorf("session: data plain: %w: %d bytes of data, max %d", wire.ErrLong, len(m.Data), MaxDataSize)
	}
	b = binary.BigEndian.AppendUint32(b, m.BufferStart)
	b = binary.BigEndian.AppendUint32(b, m.PacketNumber)
	for range (MaxDataSize - len(m.Data)) % maxPadding {
		b = append(b, IDPadding)
	}
	return append(b, m.Data...), nil
}

// ParseDataPlain parses an opened data packet. Data aliases b.
func ParseDataPlain(b []byte) (DataPlain, error) {
	if err := checkRange(len(b), dataPlainHeaderSize+1, dataPlainHeaderSize+MaxDataSize); err != nil {
		return DataPlain{}, fmt.Errorf("session: data plain: %w", err)
	}
	m := DataPlain{
		BufferStart:  binary.BigEndian.Uint32(b),
		PacketNumber: binary.BigEndian.Uint32(b[4:]),
	}
	d := b[dataPlainHeaderSize:]
	for len(d) > 0 && d[0] == IDPadding {
		d = d[1:]
	}
	if len(d) == 0 {
		return DataPlain{}, fmt.Errorf("session: data plain: %w: only padding", wire.ErrMalformed)
	}
	m.Data = d
	return m, nil
}

// checkRange wants min <= n <= max.
func checkRange(n, min, max int) error {
	switch {
	case n < min:
		return fmt.Errorf("%w: %d bytes, min %d", wire.ErrShort, n, min)
	case n > max:
		return fmt.Errorf("%w: %d bytes, max %d", wire.ErrLong, n, max)
	}
	return nil
}
