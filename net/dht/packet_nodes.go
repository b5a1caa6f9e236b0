package dht

import (
	"encoding/binary"
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

// NodesRequest is the plain part of a get-nodes request (tox-protocol.md
// §3.3): search pk(32) | ping_id(8).
type NodesRequest struct {
	Search key.PublicKey
	ID     uint64
}

// AppendBinary appends the 40-byte payload.
func (m *NodesRequest) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, m.Search[:]...)
	return binary.LittleEndian.AppendUint64(b, m.ID), nil
}

// ParseNodesRequest parses a 40-byte get-nodes payload.
func ParseNodesRequest(b []byte) (NodesRequest, error) {
	if len(b) < NodesRequestPayloadSize {
		return NodesRequest{}, fmt.Errorf("%w: get-nodes payload %d bytes", wire.ErrShort, len(b))
	}
	if len(b) > NodesRequestPayloadSize {
		return NodesRequest{}, fmt.Errorf("%w: get-nodes payload %d bytes", wire.ErrLong, len(b))
	}
	var m NodesRequest
	copy(m.Search[:], b)
	m.ID = binary.LittleEndian.Uint64(b[key.Size:])
	return m, nil
}

// NodesResponse is the plain part of a send-nodes reply (tox-protocol.md
// §3.3): count(1) | packed nodes | ping_id(8), with at most 4 UDP nodes.
type NodesResponse struct {
	Nodes []wire.Node
	ID    uint64
}

// AppendBinary appends the payload. It refuses more than 4 nodes and TCP
// nodes, which a receiver would reject.
func (m *NodesResponse) AppendBinary(b []byte) ([]byte, error) {
	if len(m.Nodes) > MaxSentNodes {
		return b, fmt.Errorf("%w: %d nodes, at most %d", wire.ErrLong, len(m.Nodes), MaxSentNodes)
	}
	for _, n := range m.Nodes {
		if n.TCP {
			return b, fmt.Errorf("%w: TCP node in send-nodes", wire.ErrMalformed)
		}
	}
	b = append(b, byte(len(m.Nodes)))
	b, err := wire.AppendNodes(b, m.Nodes)
	if err != nil {
		return b, err
	}
	return binary.LittleEndian.AppendUint64(b, m.ID), nil
}

// ParseNodesResponse parses a send-nodes payload with c-toxcore's strict
// checks: the count is at most 4, the node bytes are exactly count packed
// UDP nodes, and TCP families are refused. Nodes are copied out of b.
func ParseNodesResponse(b []byte) (NodesResponse, error) {
	if len(b) < 1+8 {
		return NodesResponse{}, fmt.Errorf("%w: send-nodes payload %d bytes", wire.ErrShort, len(b))
	}
	count := int(b[0])
	if count > MaxSentNodes {
		return NodesResponse{}, fmt.Errorf("%w: send-nodes count %d", wire.ErrMalformed, count)
	}
	body := b[1 : len(b)-8]
	nodes, err := wire.ParseNodes(body, MaxSentNodes)
	if err != nil {
		return NodesResponse{}, fmt.Errorf("send-nodes: %w", err)
	}
	if len(nodes) != count {
		return NodesResponse{}, fmt.Errorf("%w: send-nodes count %d but %d nodes", wire.ErrMalformed, count, len(nodes))
	}
	for _, n := range nodes {
		if n.TCP {
			return NodesResponse{}, fmt.Errorf("%w: TCP node in send-nodes", wire.ErrMalformed)
		}
	}
	return NodesResponse{Nodes: nodes, ID: binary.LittleEndian.Uint64(b[len(b)-8:])}, nil
}
