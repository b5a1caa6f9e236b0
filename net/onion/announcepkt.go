package onion

import (
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

// AnnounceRequest is ANNOUNCE_REQUEST_OLD (0x83), what 0.2.18 clients send
// (tox-protocol.md §5.3), 177 bytes:
//
//	0x83 | N | senderPK | box(D.dhtpk, senderSK, N, AnnouncePlain)
//
// At the announce server it arrives with the 177-byte R3 appended; strip it
// before parsing.
type AnnounceRequest struct {
	Nonce    key.Nonce
	SenderPK key.PublicKey
	Sealed   [announcePlainSize + macSize]byte
}

// AppendBinary appends the 177-byte request.
func (m *AnnounceRequest) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(wire.KindAnnounceRequest))
	b = append(b, m.Nonce[:]...)
	b = append(b, m.SenderPK[:]...)
	return append(b, m.Sealed[:]...), nil
}

// ParseAnnounceRequest parses exactly one 177-byte 0x83 packet.
func ParseAnnounceRequest(b []byte) (AnnounceRequest, error) {
	var m AnnounceRequest
	if len(b) < 1 {
		return m, fmt.Errorf("%w: empty announce request", wire.ErrShort)
	}
	if wire.Kind(b[0]) != wire.KindAnnounceRequest {
		return m, fmt.Errorf("%w: %v is not an announce request", wire.ErrKind, wire.Kind(b[0]))
	}
	if len(b) < AnnounceRequestSize {
		return m, fmt.Errorf("%w: announce request of %d bytes, want %d", wire.ErrShort, len(b), AnnounceRequestSize)
	}
	if len(b) > AnnounceRequestSize {
		return m, fmt.Errorf("%w: announce request of %d bytes, want %d", wire.ErrLong, len(b), AnnounceRequestSize)
	}
	copy(m.Nonce[:], b[1:])
	copy(m.SenderPK[:], b[1+nonceSize:])
	copy(m.Sealed[:], b[1+nonceSize+key.Size:])
	return m, nil
}

// AnnouncePlain is the boxed part of an announce request (104 bytes).
// Announcing ourselves: SearchPK is our long-term pk and DataPK our onion
// data key. Searching: SearchPK is the friend's pk, PingID and DataPK zero.
type AnnouncePlain struct {
	PingID   [PingIDSize]byte
	SearchPK key.PublicKey
	DataPK   key.PublicKey
	Sendback [SendbackSize]byte
}

// AppendBinary appends the 104 plaintext bytes.
func (m *AnnouncePlain) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, m.PingID[:]...)
	b = append(b, m.SearchPK[:]...)
	b = append(b, m.DataPK[:]...)
	return append(b, m.Sendback[:]...), nil
}

// ParseAnnouncePlain parses exactly 104 bytes.
func ParseAnnouncePlain(b []byte) (AnnouncePlain, error) {
	var m AnnouncePlain
	if len(b) < announcePlainSize {
		return m, fmt.Errorf("%w: announce plaintext of %d bytes, want %d", wire.ErrShort, len(b), announcePlainSize)
	}
	if len(b) > announcePlainSize {
		return m, fmt.Errorf("%w: announce plaintext of %d bytes, want %d", wire.ErrLong, len(b), announcePlainSize)
	}
	copy(m.PingID[:], b)
	copy(m.SearchPK[:], b[PingIDSize:])
	copy(m.DataPK[:], b[PingIDSize+key.Size:])
	copy(m.Sendback[:], b[PingIDSize+2*key.Size:])
	return m, nil
}

// AnnounceResponse is ANNOUNCE_RESPONSE_OLD (0x84):
//
//	0x84 | sendback(8) | N | box(senderPK, D.dhtsk, N, AnnounceResponsePlain)
//
// Sealed aliases the parsed input.
type AnnounceResponse struct {
	Sendback [SendbackSize]byte
	Nonce    key.Nonce
	Sealed   []byte
}

const announceResponseHeader = 1 + SendbackSize + nonceSize

// AppendBinary appends the response (82..626 bytes).
func (m *AnnounceResponse) AppendBinary(b []byte) ([]byte, error) {
	if err := checkAnnounceResponseLen(announceResponseHeader + len(m.Sealed)); err != nil {
		return b, err
	}
	b = append(b, byte(wire.KindAnnounceResponse))
	b = append(b, m.Sendback[:]...)
	b = append(b, m.Nonce[:]...)
	return append(b, m.Sealed...), nil
}

func checkAnnounceResponseLen(n int) error {
	if n < announceResponseMin {
		return fmt.Errorf("%w: announce response of %d bytes, need %d", wire.ErrShort, n, announceResponseMin)
	}
	if n > announceResponseMax {
		return fmt.Errorf("%w: announce response of %d bytes, max %d", wire.ErrLong, n, announceResponseMax)
	}
	return nil
}

// ParseAnnounceResponse parses a 0x84 packet.
func ParseAnnounceResponse(b []byte) (AnnounceResponse, error) {
	var m AnnounceResponse
	if len(b) < 1 {
		return m, fmt.Errorf("%w: empty announce response", wire.ErrShort)
	}
	if wire.Kind(b[0]) != wire.KindAnnounceResponse {
		return m, fmt.Errorf("%w: %v is not an announce response", wire.ErrKind, wire.Kind(b[0]))
	}
	if err := checkAnnounceResponseLen(len(b)); err != nil {
		return m, err
	}
	copy(m.Sendback[:], b[1:])
	copy(m.Nonce[:], b[1+SendbackSize:])
	m.Sealed = b[announceResponseHeader:]
	return m, nil
}

// Is-stored values of an announce response (tox-protocol.md §5.3).
const (
	// NotStored: the key field is a fresh ping id; resend with it to be stored.
	NotStored byte = 0
	// FoundOther: search_pk is announced here; the key field is its data pk.
	FoundOther byte = 1
	// StoredSelf: the sender is stored here; the key field is a ping id.
	StoredSelf byte = 2
)

// AnnounceResponsePlain is the boxed part of an announce response:
// is_stored | ping id or data pk | up to 4 packed UDP nodes.
type AnnounceResponsePlain struct {
	IsStored byte
	Key      [32]byte
	Nodes    []wire.Node
}

// AppendBinary appends the plaintext.
func (m *AnnounceResponsePlain) AppendBinary(b []byte) ([]byte, error) {
	if m.IsStored > StoredSelf {
		return b, fmt.Errorf("%w: is_stored %d", wire.ErrMalformed, m.IsStored)
	}
	if len(m.Nodes) > maxSentNodes {
		return b, fmt.Errorf("%w: %d nodes, max %d", wire.ErrLong, len(m.Nodes), maxSentNodes)
	}
	for _, n := range m.Nodes {
		if n.TCP {
			return b, fmt.Errorf("%w: TCP node in an announce response", wire.ErrMalformed)
		}
	}
	b = append(b, m.IsStored)
	b = append(b, m.Key[:]...)
	return wire.AppendNodes(b, m.Nodes)
}

// ParseAnnounceResponsePlain parses the plaintext; TCP nodes are rejected,
// as c-toxcore rejects them.
func ParseAnnounceResponsePlain(b []byte) (AnnounceResponsePlain, error) {
	var m AnnounceResponsePlain
	if len(b) < 1+PingIDSize {
		return m, fmt.Errorf("%w: announce response plaintext of %d bytes", wire.ErrShort, len(b))
	}
	m.IsStored = b[0]
	if m.IsStored > StoredSelf {
		return AnnounceResponsePlain{}, fmt.Errorf("%w: is_stored %d", wire.ErrMalformed, m.IsStored)
	}
	copy(m.Key[:], b[1:])
	nodes, err := wire.ParseNodes(b[1+PingIDSize:], maxSentNodes)
	if err != nil {
		return AnnounceResponsePlain{}, err
	}
	for _, n := range nodes {
		if n.TCP {
			return AnnounceResponsePlain{}, fmt.Errorf("%w: TCP node in an announce response", wire.ErrMalformed)
		}
	}
	m.Nodes = nodes
	return m, nil
}
