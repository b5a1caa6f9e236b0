package friend

import (
	"fmt"

	"parley/net/wire"
)

// ShareRelaysPacket is friend_connection's SHARE_RELAYS (id 17): up to
// MaxSharedRelays packed nodes, the TCP relays the sender is connected to,
// which the receiver may use to reach it (tox-protocol.md §7):
//
//	17 | packed node × 0..3
//
// Like c-toxcore's unpack_nodes (TCP enabled) the parser accepts any node
// family; the nodes are copies, not aliases of the packet.
type ShareRelaysPacket struct {
	Nodes []wire.Node
}

// AppendBinary appends the packet; more than MaxSharedRelays nodes is an
// error.
func (p *ShareRelaysPacket) AppendBinary(b []byte) ([]byte, error) {
	if len(p.Nodes) > MaxSharedRelays {
		return b, fmt.Errorf("%w: %d relays, limit %d", wire.ErrLong, len(p.Nodes), MaxSharedRelays)
	}
	return wire.AppendNodes(append(b, IDShareRelays), p.Nodes)
}

// ParseShareRelaysPacket parses a SHARE_RELAYS packet.
func ParseShareRelaysPacket(b []byte) (ShareRelaysPacket, error) {
	if err := checkID(b, IDShareRelays, "share-relays"); err != nil {
		return ShareRelaysPacket{}, err
	}
	nodes, err := wire.ParseNodes(b[1:], MaxSharedRelays)
	if err != nil {
		return ShareRelaysPacket{}, fmt.Errorf("share-relays: %w", err)
	}
	return ShareRelaysPacket{Nodes: nodes}, nil
}
