package onion

import (
	"fmt"

	"parley/net/key"
	"parley/net/wire"
)

// DataRequest is ONION_DATA_REQUEST (0x85), onion data for a friend sent to
// one of their announce nodes (tox-protocol.md §5.4):
//
//	0x85 | dest long-term pk | N | Tpk | box(dest data pk, Tsk, N, DataInner)
//
// At the announce server it arrives with R3 appended; strip it before
// parsing. Sealed aliases the parsed input.
type DataRequest struct {
	Dest   key.PublicKey
	Nonce  key.Nonce
	TempPK key.PublicKey
	Sealed []byte
}

const (
	dataRequestHeader = 1 + key.Size + nonceSize + key.Size
	// dataRequestMaxRecv is the largest data request a server accepts: a
	// 1400-byte packet minus its return blob.
	dataRequestMaxRecv = MaxPacketSize - Return3Size
)

// AppendBinary appends the request.
func (m *DataRequest) AppendBinary(b []byte) ([]byte, error) {
	n := dataRequestHeader + len(m.Sealed)
	if n <= dataRequestMin {
		return b, fmt.Errorf("%w: data request of %d bytes, need more than %d", wire.ErrShort, n, dataRequestMin)
	}
	if n > dataRequestMaxRecv {
		return b, fmt.Errorf("%w: data request of %d bytes, max %d", wire.ErrLong, n, dataRequestMaxRecv)
	}
	b = append(b, byte(wire.KindOnionDataRequest))
	b = append(b, m.Dest[:]...)
	b = append(b, m.Nonce[:]...)
	b = append(b, m.TempPK[:]...)
	return append(b, m.Sealed...), nil
}

// ParseDataRequest parses a 0x85 packet without its return blob.
func ParseDataRequest(b []byte) (DataRequest, error) {
	var m DataRequest
	if len(b) < 1 {
		return m, fmt.Errorf("%w: empty data request", wire.ErrShort)
	}
	if wire.Kind(b[0]) != wire.KindOnionDataRequest {
		return m, fmt.Errorf("%w: %v is not a data request", wire.ErrKind, wire.Kind(b[0]))
	}
	if len(b) <= dataRequestMin {
		return m, fmt.Errorf("%w: data request of %d bytes, need more than %d", wire.ErrShort, len(b), dataRequestMin)
	}
	if len(b) > dataRequestMaxRecv {
		return m, fmt.Errorf("%w: data request of %d bytes, max %d", wire.ErrLong, len(b), dataRequestMaxRecv)
	}
	copy(m.Dest[:], b[1:])
	copy(m.Nonce[:], b[1+key.Size:])
	copy(m.TempPK[:], b[1+key.Size+nonceSize:])
	m.Sealed = b[dataRequestHeader:]
	return m, nil
}

// DataResponse is ONION_DATA_RESPONSE (0x86), onion data as the receiver
// gets it from its announce node:
//
//	0x86 | N | Tpk | box(our data pk, Tsk, N, DataInner)
//
// Sealed aliases the parsed input.
type DataResponse struct {
	Nonce  key.Nonce
	TempPK key.PublicKey
	Sealed []byte
}

const dataResponseHeader = 1 + nonceSize + key.Size

// dataResponseMaxRecv is the largest 0x86 we accept: what an announce node
// makes of the largest data request it accepts. c-toxcore 0.2.18 accepts
// only up to MAX_DATA_REQUEST_SIZE (1069) and so silently drops onion data
// above 948 bytes, such as friend requests with messages over 943 bytes
// (c-toxcore issue #2719); Parley accepts everything a sender can send.
const dataResponseMaxRecv = dataRequestMaxRecv - key.Size

func checkDataResponseLen(n int) error {
	// c-toxcore's client also requires length > ONION_DATA_RESPONSE_MIN_SIZE
	// + DATA_IN_RESPONSE_MIN_SIZE.
	if n <= dataResponseMin+dataInnerMin {
		return fmt.Errorf("%w: data response of %d bytes, need more than %d", wire.ErrShort, n, dataResponseMin+dataInnerMin)
	}
	if n > dataResponseMaxRecv {
		return fmt.Errorf("%w: data response of %d bytes, max %d", wire.ErrLong, n, dataResponseMaxRecv)
	}
	return nil
}

// AppendBinary appends the response.
func (m *DataResponse) AppendBinary(b []byte) ([]byte, error) {
	if err := checkDataResponseLen(dataResponseHeader + len(m.Sealed)); err != nil {
		return b, err
	}
	b = append(b, byte(wire.KindOnionDataResponse))
	b = append(b, m.Nonce[:]...)
	b = append(b, m.TempPK[:]...)
	return append(b, m.Sealed...), nil
}

// ParseDataResponse parses a 0x86 packet.
func ParseDataResponse(b []byte) (DataResponse, error) {
	var m DataResponse
	if len(b) < 1 {
		return m, fmt.Errorf("%w: empty data response", wire.ErrShort)
	}
	if wire.Kind(b[0]) != wire.KindOnionDataResponse {
		return m, fmt.Errorf("%w: %v is not a data response", wire.ErrKind, wire.Kind(b[0]))
	}
	if err := checkDataResponseLen(len(b)); err != nil {
		return m, err
	}
	copy(m.Nonce[:], b[1:])
	copy(m.TempPK[:], b[1+nonceSize:])
	m.Sealed = b[dataResponseHeader:]
	return m, nil
}

// DataInner is the first plaintext layer of onion data: the sender's
// long-term pk and box(receiver pk, sender sk, N, payload) with the
// packet's nonce. Sealed aliases the parsed input.
type DataInner struct {
	SenderPK key.PublicKey
	Sealed   []byte
}

// AppendBinary appends SenderPK | Sealed.
func (m *DataInner) AppendBinary(b []byte) ([]byte, error) {
	if len(m.Sealed) <= macSize {
		return b, fmt.Errorf("%w: onion data box of %d bytes", wire.ErrShort, len(m.Sealed))
	}
	b = append(b, m.SenderPK[:]...)
	return append(b, m.Sealed...), nil
}

// ParseDataInner parses the first plaintext layer.
func ParseDataInner(b []byte) (DataInner, error) {
	if len(b) <= dataInnerMin {
		return DataInner{}, fmt.Errorf("%w: onion data of %d bytes, need more than %d", wire.ErrShort, len(b), dataInnerMin)
	}
	var m DataInner
	copy(m.SenderPK[:], b)
	m.Sealed = b[key.Size:]
	return m, nil
}
