package friend

import (
	"fmt"

	"parley/net/wire"
)

// UserStatusPacket carries the sender's presence (id 50): one byte, 0 none,
// 1 away, 2 busy (tox-protocol.md §7). Other values are malformed.
type UserStatusPacket struct {
	Status UserStatus
}

// AppendBinary appends the 2-byte packet.
func (p *UserStatusPacket) AppendBinary(b []byte) ([]byte, error) {
	if !p.Status.Valid() {
		return b, fmt.Errorf("%w: user status %d", wire.ErrMalformed, p.Status)
	}
	return append(b, IDUserStatus, byte(p.Status)), nil
}

// ParseUserStatusPacket parses a USERSTATUS packet.
func ParseUserStatusPacket(b []byte) (UserStatusPacket, error) {
	if err := checkID(b, IDUserStatus, "user-status"); err != nil {
		return UserStatusPacket{}, err
	}
	if err := checkSize(b, 2, "user-status"); err != nil {
		return UserStatusPacket{}, err
	}
	s := UserStatus(b[1])
	if !s.Valid() {
		return UserStatusPacket{}, fmt.Errorf("%w: user status %d", wire.ErrMalformed, s)
	}
	return UserStatusPacket{Status: s}, nil
}

// TypingPacket says whether the sender is typing to us (id 51): one byte.
// We send 0 or 1; like c-toxcore's receiver we read any non-zero byte as
// "typing", so a peer's odd value does not lose the notification.
type TypingPacket struct {
	Typing bool
}

// AppendBinary appends the 2-byte packet.
func (p *TypingPacket) AppendBinary(b []byte) ([]byte, error) {
	v := byte(0)
	if p.Typing {
		v = 1
	}
	return append(b, IDTyping, v), nil
}

// ParseTypingPacket parses a TYPING packet.
func ParseTypingPacket(b []byte) (TypingPacket, error) {
	if err := checkID(b, IDTyping, "typing"); err != nil {
		return TypingPacket{}, err
	}
	if err := checkSize(b, 2, "typing"); err != nil {
		return TypingPacket{}, err
	}
	return TypingPacket{Typing: b[1] != 0}, nil
}
