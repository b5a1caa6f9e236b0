package friend

import (
	"fmt"

	"parley/net/wire"
)

// MessagePacket is a chat message (id 64, MESSAGE) or action (id 65,
// ACTION, "/me"): 1..MaxMessageLength bytes of text (tox-protocol.md §7).
//
//	64+kind | text
//
// Text should be UTF-8 but is not checked here: c-toxcore passes the
// bytes through and so do we (Manager.SendMessage refuses invalid UTF-8
// on the way out).
type MessagePacket struct {
	Kind MessageKind
	Text string
}

// AppendBinary appends the packet.
func (p *MessagePacket) AppendBinary(b []byte) ([]byte, error) {
	if !p.Kind.Valid() {
		return b, fmt.Errorf("%w: message kind %d", wire.ErrMalformed, p.Kind)
	}
	if err := checkText(len(p.Text), 1, MaxMessageLength, "message"); err != nil {
		return b, err
	}
	return append(append(b, p.Kind.id()), p.Text...), nil
}

// ParseMessagePacket parses a MESSAGE or ACTION packet.
func ParseMessagePacket(b []byte) (MessagePacket, error) {
	if len(b) < 1 {
		return MessagePacket{}, fmt.Errorf("%w: empty message packet", wire.ErrShort)
	}
	if b[0] != IDMessage && b[0] != IDAction {
		return MessagePacket{}, fmt.Errorf("%w: message packet has id %d, want %d or %d", wire.ErrKind, b[0], IDMessage, IDAction)
	}
	if err := checkText(len(b)-1, 1, MaxMessageLength, "message"); err != nil {
		return MessagePacket{}, err
	}
	return MessagePacket{Kind: MessageKind(b[0] - IDMessage), Text: string(b[1:])}, nil
}
