package tcprelay

import (
	"fmt"

	"parley/net/wire"
)

// PacketID is the first byte of a plain packet inside a frame (TCP_common.h,
// tox-protocol.md §9). Bytes from FirstConnID up are connection ids: a data
// packet starts with the id of the connection it belongs to.
type PacketID byte

// Packet ids.
const (
	IDRoutingRequest         PacketID = 0
	IDRoutingResponse        PacketID = 1
	IDConnectNotification    PacketID = 2
	IDDisconnectNotification PacketID = 3
	IDPing                   PacketID = 4
	IDPong                   PacketID = 5
	IDOOBSend                PacketID = 6
	IDOOBRecv                PacketID = 7
	IDOnionRequest           PacketID = 8
	IDOnionResponse          PacketID = 9
	IDForwardRequest         PacketID = 10 // not spoken by Parley
	IDForwarding             PacketID = 11 // not spoken by Parley; ignored
)

var packetNames = [...]string{
	"routing-request", "routing-response", "connect-notification", "disconnect-notification",
	"ping", "pong", "oob-send", "oob-recv", "onion-request", "onion-response",
	"forward-request", "forwarding",
}

// String names the id; ids from 16 up are "data".
func (id PacketID) String() string {
	switch {
	case int(id) < len(packetNames):
		return packetNames[id]
	case id >= PacketID(FirstConnID):
		return "data"
	}
	return fmt.Sprintf("packet-%d", byte(id))
}

// ConnID is a connection id the relay hands out per peer, FirstConnID..255,
// as it appears on the wire. A routing response with id 0 is a refusal.
type ConnID uint8

// Valid reports whether id is a connection id (16..255).
func (id ConnID) Valid() bool { return id >= FirstConnID }

// Packet is one plain packet inside a frame. The concrete types are the
// pointer types *RoutingRequest, *RoutingResponse, *ConnectNotification,
// *DisconnectNotification, *Ping, *Pong, *OOBSend, *OOBRecv,
// *OnionRequest, *OnionResponse and *Data.
type Packet interface {
	// AppendBinary appends the packet, id byte first.
	AppendBinary(b []byte) ([]byte, error)
	// PacketID is the first byte (the connection id for Data).
	PacketID() PacketID
}

// ParsePacket parses one plain packet of any type by its first byte.
// Ids 10 and 11 and 12..15 give ErrKind.
func ParsePacket(b []byte) (Packet, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("tcprelay: packet: %w (empty)", wire.ErrShort)
	}
	switch id := PacketID(b[0]); id {
	case IDRoutingRequest:
		return parseAs(b, ParseRoutingRequest)
	case IDRoutingResponse:
		return parseAs(b, ParseRoutingResponse)
	case IDConnectNotification:
		return parseAs(b, ParseConnectNotification)
	case IDDisconnectNotification:
		return parseAs(b, ParseDisconnectNotification)
	case IDPing:
		return parseAs(b, ParsePing)
	case IDPong:
		return parseAs(b, ParsePong)
	case IDOOBSend:
		return parseAs(b, ParseOOBSend)
	case IDOOBRecv:
		return parseAs(b, ParseOOBRecv)
	case IDOnionRequest:
		return parseAs(b, ParseOnionRequest)
	case IDOnionResponse:
		return parseAs(b, ParseOnionResponse)
	default:
		if id >= PacketID(FirstConnID) {
			return parseAs(b, ParseData)
		}
		return nil, fmt.Errorf("tcprelay: packet: %w (%v)", wire.ErrKind, id)
	}
}

// parseAs runs a typed parser and returns a pointer to its result as a
// Packet.
func parseAs[T any, P interface {
	*T
	Packet
}](b []byte, parse func([]byte) (T, error)) (Packet, error) {
	v, err := parse(b)
	if err != nil {
		return nil, err
	}
	return P(&v), nil
}

// checkFixed checks a fixed-size packet: its id and its exact length.
func checkFixed(b []byte, id PacketID, size int) error {
	if err := checkID(b, id); err != nil {
		return err
	}
	return checkSize(id.String(), b, size)
}

// checkVar checks a variable-size packet: its id, the fixed header and
// the bounds of the variable tail.
func checkVar(b []byte, id PacketID, header, minTail, maxTail int) error {
	if err := checkID(b, id); err != nil {
		return err
	}
	switch tail := len(b) - header; {
	case tail < minTail:
		return fmt.Errorf("tcprelay: %v: %w (%d bytes, want at least %d)", id, wire.ErrShort, len(b), header+minTail)
	case tail > maxTail:
		return fmt.Errorf("tcprelay: %v: %w (%d bytes, want at most %d)", id, wire.ErrLong, len(b), header+maxTail)
	}
	return nil
}

func checkID(b []byte, id PacketID) error {
	if len(b) == 0 {
		return fmt.Errorf("tcprelay: %v: %w (empty)", id, wire.ErrShort)
	}
	if PacketID(b[0]) != id {
		return fmt.Errorf("tcprelay: %v: %w (first byte %d)", id, wire.ErrKind, b[0])
	}
	return nil
}

// checkTail checks the length of a variable part before it is appended.
func checkTail(id PacketID, what string, n, minLen, maxLen int) error {
	switch {
	case n < minLen:
		return fmt.Errorf("tcprelay: %v: %w (%s of %d bytes, want at least %d)", id, wire.ErrShort, what, n, minLen)
	case n > maxLen:
		return fmt.Errorf("tcprelay: %v: %w (%s of %d bytes, want at most %d)", id, wire.ErrLong, what, n, maxLen)
	}
	return nil
}
