package onion

import (
	"encoding/binary"
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

// FriendRequest is onion data type 32 (tox-protocol.md §5.4, §8):
// 32 | nospam(4) | message(1..1016).
type FriendRequest struct {
	Nospam  key.Nospam
	Message []byte
}

func checkFriendRequestMessage(n int) error {
	if n < 1 || n > MaxFriendRequestMessage {
		return fmt.Errorf("%w (%d bytes)", ErrMessageSize, n)
	}
	return nil
}

// AppendBinary appends the payload.
func (m *FriendRequest) AppendBinary(b []byte) ([]byte, error) {
	if err := checkFriendRequestMessage(len(m.Message)); err != nil {
		if len(m.Message) == 0 {
			return b, fmt.Errorf("%w: %w", wire.ErrShort, err)
		}
		return b, fmt.Errorf("%w: %w", wire.ErrLong, err)
	}
	b = append(b, PayloadFriendRequest)
	b = append(b, m.Nospam[:]...)
	return append(b, m.Message...), nil
}

// ParseFriendRequest parses a type-32 payload. Message aliases b.
func ParseFriendRequest(b []byte) (FriendRequest, error) {
	var m FriendRequest
	if len(b) < 1 {
		return m, fmt.Errorf("%w: empty friend request", wire.ErrShort)
	}
	if b[0] != PayloadFriendRequest {
		return m, fmt.Errorf("%w: payload type %d is not a friend request", wire.ErrKind, b[0])
	}
	if len(b) <= 1+4 {
		return m, fmt.Errorf("%w: friend request of %d bytes", wire.ErrShort, len(b))
	}
	if len(b) > MaxClientData {
		return m, fmt.Errorf("%w: friend request of %d bytes, max %d", wire.ErrLong, len(b), MaxClientData)
	}
	copy(m.Nospam[:], b[1:5])
	m.Message = b[5:]
	return m, nil
}

// DHTPKAnnounce is onion data type 156, the DHT PK announcement:
// 156 | no_replay(u64 BE) | DHT pk | packed nodes (≤4; TCP relays allowed).
type DHTPKAnnounce struct {
	NoReplay uint64
	DHTPK    key.PublicKey
	Nodes    []wire.Node
}

const dhtpkMin = 1 + 8 + key.Size

// AppendBinary appends the payload.
func (m *DHTPKAnnounce) AppendBinary(b []byte) ([]byte, error) {
	if len(m.Nodes) > maxSentNodes {
		return b, fmt.Errorf("%w: %d nodes, max %d", wire.ErrLong, len(m.Nodes), maxSentNodes)
	}
	b = append(b, PayloadDHTPK)
	b = binary.BigEndian.AppendUint64(b, m.NoReplay)
	b = append(b, m.DHTPK[:]...)
	return wire.AppendNodes(b, m.Nodes)
}

// ParseDHTPKAnnounce parses a type-156 payload.
func ParseDHTPKAnnounce(b []byte) (DHTPKAnnounce, error) {
	var m DHTPKAnnounce
	if len(b) < 1 {
		return m, fmt.Errorf("%w: empty DHT PK announcement", wire.ErrShort)
	}
	if b[0] != PayloadDHTPK {
		return m, fmt.Errorf("%w: payload type %d is not a DHT PK announcement", wire.ErrKind, b[0])
	}
	if len(b) < dhtpkMin {
		return m, fmt.Errorf("%w: DHT PK announcement of %d bytes, need %d", wire.ErrShort, len(b), dhtpkMin)
	}
	m.NoReplay = binary.BigEndian.Uint64(b[1:9])
	copy(m.DHTPK[:], b[9:])
	nodes, err := wire.ParseNodes(b[dhtpkMin:], maxSentNodes)
	if err != nil {
		return DHTPKAnnounce{}, err
	}
	m.Nodes = nodes
	return m, nil
}

// DHTPKRoute is the data of a DHT-routed request (0x20) of subtype 156,
// after the subtype byte (tox-protocol.md §5.4):
//
//	sender long-term pk | N | box(receiver long-term pk, sender sk, N, DHTPKAnnounce)
//
// Sealed aliases the parsed input.
type DHTPKRoute struct {
	SenderPK key.PublicKey
	Nonce    key.Nonce
	Sealed   []byte
}

const (
	dhtpkRouteHeader = key.Size + nonceSize
	dhtpkRouteMin    = dhtpkRouteHeader + macSize + dhtpkMin
	dhtpkRouteMax    = dhtpkRouteMin + maxSentNodes*wire.PackedNode6Size
)

func checkDHTPKRouteLen(n int) error {
	if n < dhtpkRouteMin {
		return fmt.Errorf("%w: routed DHT PK of %d bytes, need %d", wire.ErrShort, n, dhtpkRouteMin)
	}
	if n > dhtpkRouteMax {
		return fmt.Errorf("%w: routed DHT PK of %d bytes, max %d", wire.ErrLong, n, dhtpkRouteMax)
	}
	return nil
}

// AppendBinary appends SenderPK | Nonce | Sealed.
func (m *DHTPKRoute) AppendBinary(b []byte) ([]byte, error) {
	if err := checkDHTPKRouteLen(dhtpkRouteHeader + len(m.Sealed)); err != nil {
		return b, err
	}
	b = append(b, m.SenderPK[:]...)
	b = append(b, m.Nonce[:]...)
	return append(b, m.Sealed...), nil
}

// ParseDHTPKRoute parses the data of a subtype-156 DHT request.
func ParseDHTPKRoute(b []byte) (DHTPKRoute, error) {
	if err := checkDHTPKRouteLen(len(b)); err != nil {
		return DHTPKRoute{}, err
	}
	var m DHTPKRoute
	copy(m.SenderPK[:], b)
	copy(m.Nonce[:], b[key.Size:])
	m.Sealed = b[dhtpkRouteHeader:]
	return m, nil
}
