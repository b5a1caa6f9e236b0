package tcprelay

import (
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

const (
	routingRequestSize  = 1 + key.Size
	routingResponseSize = 1 + 1 + key.Size
	notificationSize    = 1 + 1
)

// RoutingRequest asks the relay for a connection id to the peer with this
// (DHT) public key: 0 | pk(32).
type RoutingRequest struct {
	PK key.PublicKey
}

// PacketID returns IDRoutingRequest.
func (*RoutingRequest) PacketID() PacketID { return IDRoutingRequest }

// AppendBinary appends 0 | pk.
func (m *RoutingRequest) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(IDRoutingRequest))
	return append(b, m.PK[:]...), nil
}

// ParseRoutingRequest parses exactly 33 bytes.
func ParseRoutingRequest(b []byte) (RoutingRequest, error) {
	var m RoutingRequest
	if err := checkFixed(b, IDRoutingRequest, routingRequestSize); err != nil {
		return m, err
	}
	copy(m.PK[:], b[1:])
	return m, nil
}

// RoutingResponse answers a RoutingRequest: 1 | conn id | pk(32). ConnID
// is 16..255, or 0 when the relay refuses (a request for our own key, or
// all 240 ids in use). The relay answers with the existing id when the key
// already has one.
type RoutingResponse struct {
	ConnID ConnID
	PK     key.PublicKey
}

// PacketID returns IDRoutingResponse.
func (*RoutingResponse) PacketID() PacketID { return IDRoutingResponse }

// AppendBinary appends 1 | id | pk.
func (m *RoutingResponse) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(IDRoutingResponse), byte(m.ConnID))
	return append(b, m.PK[:]...), nil
}

// ParseRoutingResponse parses exactly 34 bytes. Any id byte parses; ids
// under 16 mean "refused".
func ParseRoutingResponse(b []byte) (RoutingResponse, error) {
	var m RoutingResponse
	if err := checkFixed(b, IDRoutingResponse, routingResponseSize); err != nil {
		return m, err
	}
	m.ConnID = ConnID(b[1])
	copy(m.PK[:], b[2:])
	return m, nil
}

// ConnectNotification tells the client that the peer behind ConnID has
// routed to it too, so data can flow: 2 | conn id (16..255).
type ConnectNotification struct {
	ConnID ConnID
}

// PacketID returns IDConnectNotification.
func (*ConnectNotification) PacketID() PacketID { return IDConnectNotification }

// AppendBinary appends 2 | id.
func (m *ConnectNotification) AppendBinary(b []byte) ([]byte, error) {
	return appendNotification(b, IDConnectNotification, m.ConnID)
}

// ParseConnectNotification parses exactly 2 bytes with an id of 16 or more.
func ParseConnectNotification(b []byte) (ConnectNotification, error) {
	id, err := parseNotification(b, IDConnectNotification)
	return ConnectNotification{ConnID: id}, err
}

// DisconnectNotification goes both ways: from the relay it says the peer
// behind ConnID left (the id stays ours, offline); from the client it
// frees the id. 3 | conn id (16..255).
type DisconnectNotification struct {
	ConnID ConnID
}

// PacketID returns IDDisconnectNotification.
func (*DisconnectNotification) PacketID() PacketID { return IDDisconnectNotification }

// AppendBinary appends 3 | id.
func (m *DisconnectNotification) AppendBinary(b []byte) ([]byte, error) {
	return appendNotification(b, IDDisconnectNotification, m.ConnID)
}

// ParseDisconnectNotification parses exactly 2 bytes with an id of 16 or
// more.
func ParseDisconnectNotification(b []byte) (DisconnectNotification, error) {
	id, err := parseNotification(b, IDDisconnectNotification)
	return DisconnectNotification{ConnID: id}, err
}

// Both ends drop the connection on a notification for an id under 16
// (TCP_client.c, TCP_server.c), so neither is encoded nor accepted.
func appendNotification(b []byte, id PacketID, conn ConnID) ([]byte, error) {
	if !conn.Valid() {
		return b, fmt.Errorf("tcprelay: %v: %w (connection id %d < %d)", id, wire.ErrMalformed, conn, FirstConnID)
	}
	return append(b, byte(id), byte(conn)), nil
}

func parseNotification(b []byte, id PacketID) (ConnID, error) {
	if err := checkFixed(b, id, notificationSize); err != nil {
		return 0, err
	}
	conn := ConnID(b[1])
	if !conn.Valid() {
		return 0, fmt.Errorf("tcprelay: %v: %w (connection id %d < %d)", id, wire.ErrMalformed, conn, FirstConnID)
	}
	return conn, nil
}
