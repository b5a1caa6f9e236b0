package tcprelay

import (
	"parley/net/key"
)

const oobHeaderSize = 1 + key.Size

// OOBSend asks the relay to pass Data to the client with key Dest, if it
// is connected to the relay, without a routed connection ("out of band";
// c-toxcore uses it for net_crypto handshakes to friends it has no
// connection id for): 6 | dest pk(32) | data(1..1024). The relay drops the
// connection of a client whose data is empty or longer.
type OOBSend struct {
	Dest key.PublicKey
	Data []byte
}

// PacketID returns IDOOBSend.
func (*OOBSend) PacketID() PacketID { return IDOOBSend }

// AppendBinary appends 6 | dest | data.
func (m *OOBSend) AppendBinary(b []byte) ([]byte, error) {
	if err := checkTail(IDOOBSend, "data", len(m.Data), 1, MaxOOBDataSize); err != nil {
		return b, err
	}
	b = append(b, byte(IDOOBSend))
	b = append(b, m.Dest[:]...)
	return append(b, m.Data...), nil
}

// ParseOOBSend parses 34..1057 bytes; Data is a copy.
func ParseOOBSend(b []byte) (OOBSend, error) {
	var m OOBSend
	if err := checkVar(b, IDOOBSend, oobHeaderSize, 1, MaxOOBDataSize); err != nil {
		return m, err
	}
	copy(m.Dest[:], b[1:])
	m.Data = append([]byte(nil), b[oobHeaderSize:]...)
	return m, nil
}

// OOBRecv is an OOBSend delivered by the relay: 7 | sender pk(32) |
// data(1..). The relay forwards at most 1024 bytes; like c-toxcore's
// client, Parley accepts whatever fits in a frame.
type OOBRecv struct {
	From key.PublicKey
	Data []byte
}

// PacketID returns IDOOBRecv.
func (*OOBRecv) PacketID() PacketID { return IDOOBRecv }

// AppendBinary appends 7 | from | data.
func (m *OOBRecv) AppendBinary(b []byte) ([]byte, error) {
	if err := checkTail(IDOOBRecv, "data", len(m.Data), 1, maxOOBRecvSize); err != nil {
		return b, err
	}
	b = append(b, byte(IDOOBRecv))
	b = append(b, m.From[:]...)
	return append(b, m.Data...), nil
}

// ParseOOBRecv parses 34..MaxPlainSize bytes; Data is a copy.
func ParseOOBRecv(b []byte) (OOBRecv, error) {
	var m OOBRecv
	if err := checkVar(b, IDOOBRecv, oobHeaderSize, 1, maxOOBRecvSize); err != nil {
		return m, err
	}
	copy(m.From[:], b[1:])
	m.Data = append([]byte(nil), b[oobHeaderSize:]...)
	return m, nil
}
