package tcprelay

import (
	"fmt"

	"parley/net/wire"
)

// Data is a packet for the peer behind a routed connection: conn id
// (16..255) | payload(1..MaxDataSize). The relay rewrites the id to the
// peer's id for us and forwards it. Parley, like c-toxcore, sends a
// net_crypto packet (cookie, handshake or data, first byte included) as
// the payload.
type Data struct {
	ConnID  ConnID
	Payload []byte
}

// PacketID returns the connection id.
func (m *Data) PacketID() PacketID { return PacketID(m.ConnID) }

// AppendBinary appends id | payload.
func (m *Data) AppendBinary(b []byte) ([]byte, error) {
	if !m.ConnID.Valid() {
		return b, fmt.Errorf("tcprelay: data: %w (connection id %d < %d)", wire.ErrKind, m.ConnID, FirstConnID)
	}
	if err := checkTail(PacketID(m.ConnID), "payload", len(m.Payload), 1, MaxDataSize); err != nil {
		return b, err
	}
	b = append(b, byte(m.ConnID))
	return append(b, m.Payload...), nil
}

// ParseData parses a data packet; Payload is a copy.
func ParseData(b []byte) (Data, error) {
	if len(b) == 0 {
		return Data{}, fmt.Errorf("tcprelay: data: %w (empty)", wire.ErrShort)
	}
	id := ConnID(b[0])
	if !id.Valid() {
		return Data{}, fmt.Errorf("tcprelay: data: %w (connection id %d < %d)", wire.ErrKind, id, FirstConnID)
	}
	if err := checkVar(b, PacketID(id), 1, 1, MaxDataSize); err != nil {
		return Data{}, err
	}
	return Data{ConnID: id, Payload: append([]byte(nil), b[1:]...)}, nil
}
