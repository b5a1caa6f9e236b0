package tox

import (
	"encoding/binary"
	"fmt"

	"parley/net/outbox"
	"parley/net/wire"
)

// PacketMsgIDHint is Parley's "message id hint": a custom lossless packet
// (tox-protocol.md §7, ids 160..191 are left to clients) that a Parley
// sender puts just before each message part it sends from its outbox:
//
//	180 | message id [16] | part index u16 BE      (19 bytes)
//
// The message id is random and stays the same when the part is resent
// after a lost link or a restart, so a Parley receiver that already
// delivered that id and part drops the resend. The hint applies to the
// next lossless packet only. c-toxcore hands custom lossless packets to
// the client's friend_lossless_packet callback when one is set and drops
// them otherwise (Messenger.c handle_custom_lossless_packet); qTox and
// toxic set none, so a c-toxcore receiver just sees the message, and a
// duplicate only in the rare resend case, as with c-toxcore senders.
const PacketMsgIDHint byte = 180

// msgIDHintSize is the hint packet's length.
const msgIDHintSize = 1 + 16 + 2

// MsgIDHint is the payload of a PacketMsgIDHint packet.
type MsgIDHint struct {
	MsgID outbox.MsgID
	Part  uint16
}

// AppendBinary appends the packet, id byte first.
func (h *MsgIDHint) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, PacketMsgIDHint)
	b = append(b, h.MsgID[:]...)
	return binary.BigEndian.AppendUint16(b, h.Part), nil
}

// ParseMsgIDHint parses a PacketMsgIDHint packet.
func ParseMsgIDHint(b []byte) (MsgIDHint, error) {
	switch {
	case len(b) < 1:
		return MsgIDHint{}, fmt.Errorf("%w: empty message id hint", wire.ErrShort)
	case b[0] != PacketMsgIDHint:
		return MsgIDHint{}, fmt.Errorf("%w: packet id %d, want %d", wire.ErrKind, b[0], PacketMsgIDHint)
	case len(b) < msgIDHintSize:
		return MsgIDHint{}, fmt.Errorf("%w: message id hint of %d bytes, want %d", wire.ErrShort, len(b), msgIDHintSize)
	case len(b) > msgIDHintSize:
		return MsgIDHint{}, fmt.Errorf("%w: message id hint of %d bytes, want %d", wire.ErrLong, len(b), msgIDHintSize)
	}
	var h MsgIDHint
	copy(h.MsgID[:], b[1:17])
	h.Part = binary.BigEndian.Uint16(b[17:])
	return h, nil
}
