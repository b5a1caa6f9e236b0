package friend

import (
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

// FriendRequestPacket is a friend request sent over an existing encrypted
// connection (id 18, FRIEND_REQUESTS; tox-protocol.md §7 and §8):
//
//	18 | nospam(4) | message(1..1016)
//
// Over the onion the same fields travel behind type byte 32 (§5.4); that
// codec belongs to net/onion. Message is a copy, not an alias of the packet.
type FriendRequestPacket struct {
	Nospam  key.Nospam
	Message []byte
}

// AppendBinary appends the packet; the message must be 1..MaxRequestLength
// bytes.
func (p *FriendRequestPacket) AppendBinary(b []byte) ([]byte, error) {
	if err := checkText(len(p.Message), 1, MaxRequestLength, "friend request message"); err != nil {
		return b, err
	}
	b = append(b, IDFriendRequests)
	b = append(b, p.Nospam[:]...)
	return append(b, p.Message...), nil
}

// ParseFriendRequestPacket parses a FRIEND_REQUESTS packet.
func ParseFriendRequestPacket(b []byte) (FriendRequestPacket, error) {
	if err := checkID(b, IDFriendRequests, "friend-request"); err != nil {
		return FriendRequestPacket{}, err
	}
	if len(b) < 1+NospamSize {
		return FriendRequestPacket{}, fmt.Errorf("%w: friend-request packet of %d bytes has no nospam", wire.ErrShort, len(b))
	}
	msg := b[1+NospamSize:]
	if err := checkText(len(msg), 1, MaxRequestLength, "friend request message"); err != nil {
		return FriendRequestPacket{}, err
	}
	p := FriendRequestPacket{Message: append([]byte(nil), msg...)}
	copy(p.Nospam[:], b[1:1+NospamSize])
	return p, nil
}
