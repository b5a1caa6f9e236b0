package onion

import (
	"fmt"
	"net/netip"

	"parley/net/key"
	"parley/net/wire"
)

// OnionRequest is an onion request on its way out, as one relay receives it
// (tox-protocol.md §5.2):
//
//	0x80 | N | pk | sealed            at hop A (pk: the sender's DHT pk)
//	0x81 | N | pk | sealed | R1       at hop B (pk: temp key T2)
//	0x82 | N | pk | sealed | R2       at hop C (pk: temp key T3)
//
// Sealed is sbox(beforenm(pk, relay's DHT sk), N, layer), the layer being an
// OnionLayer. Return is the return blob the previous relays built. Parsed
// slices alias the input.
type OnionRequest struct {
	Kind   wire.Kind
	Nonce  key.Nonce
	PK     key.PublicKey
	Sealed []byte
	Return []byte
}

// requestShape gives, for a forward kind, the return blob size and the
// minimum total length (c-toxcore rejects length <= 1 + ONION_SEND_n).
func requestShape(k wire.Kind) (retLen, minLen int, ok bool) {
	switch k {
	case wire.KindOnionSendInitial:
		return 0, 1 + send1 + 1, true
	case wire.KindOnionSend1:
		return Return1Size, 1 + send2 + 1, true
	case wire.KindOnionSend2:
		return Return2Size, 1 + send3 + 1, true
	}
	return 0, 0, false
}

// AppendBinary appends the request's wire form.
func (m *OnionRequest) AppendBinary(b []byte) ([]byte, error) {
	retLen, minLen, ok := requestShape(m.Kind)
	if !ok {
		return b, fmt.Errorf("%w: %v is not an onion request", wire.ErrKind, m.Kind)
	}
	if len(m.Return) != retLen {
		return b, fmt.Errorf("%w: %v carries a %d-byte return, not %d", wire.ErrMalformed, m.Kind, retLen, len(m.Return))
	}
	n := onionRequestHeader + len(m.Sealed) + retLen
	if n < minLen {
		return b, fmt.Errorf("%w: %v of %d bytes, need %d", wire.ErrShort, m.Kind, n, minLen)
	}
	if n > MaxPacketSize {
		return b, fmt.Errorf("%w: %v of %d bytes, max %d", wire.ErrLong, m.Kind, n, MaxPacketSize)
	}
	b = append(b, byte(m.Kind))
	b = append(b, m.Nonce[:]...)
	b = append(b, m.PK[:]...)
	b = append(b, m.Sealed...)
	return append(b, m.Return...), nil
}

// ParseOnionRequest parses a 0x80, 0x81 or 0x82 packet.
func ParseOnionRequest(b []byte) (OnionRequest, error) {
	if len(b) < 1 {
		return OnionRequest{}, fmt.Errorf("%w: empty onion request", wire.ErrShort)
	}
	k := wire.Kind(b[0])
	retLen, minLen, ok := requestShape(k)
	if !ok {
		return OnionRequest{}, fmt.Errorf("%w: %v is not an onion request", wire.ErrKind, k)
	}
	if len(b) > MaxPacketSize {
		return OnionRequest{}, fmt.Errorf("%w: %v of %d bytes, max %d", wire.ErrLong, k, len(b), MaxPacketSize)
	}
	if len(b) < minLen {
		return OnionRequest{}, fmt.Errorf("%w: %v of %d bytes, need %d", wire.ErrShort, k, len(b), minLen)
	}
	m := OnionRequest{Kind: k}
	copy(m.Nonce[:], b[1:])
	copy(m.PK[:], b[1+nonceSize:])
	end := len(b) - retLen
	m.Sealed = b[onionRequestHeader:end]
	if retLen > 0 {
		m.Return = b[end:]
	}
	return m, nil
}

// OnionLayer is the plaintext of one forward layer: the next address and
// what to send there. At hops A and B, Data is the next hop's pk | sealed
// layer; at hop C, Data is the payload for the destination (0x83 or 0x85).
type OnionLayer struct {
	Next netip.AddrPort
	Data []byte
}

// AppendBinary appends ipport(Next) | Data.
func (m *OnionLayer) AppendBinary(b []byte) ([]byte, error) {
	if len(m.Data) == 0 {
		return b, fmt.Errorf("%w: empty onion layer", wire.ErrShort)
	}
	b, err := AppendIPPort(b, m.Next)
	if err != nil {
		return b, err
	}
	return append(b, m.Data...), nil
}

// ParseOnionLayer parses a decrypted layer. Data aliases b.
func ParseOnionLayer(b []byte) (OnionLayer, error) {
	if len(b) <= IPPortSize {
		return OnionLayer{}, fmt.Errorf("%w: onion layer of %d bytes", wire.ErrShort, len(b))
	}
	a, err := ParseIPPort(b)
	if err != nil {
		return OnionLayer{}, err
	}
	return OnionLayer{Next: a, Data: b[IPPortSize:]}, nil
}

// OnionResponse is a response on its way back (tox-protocol.md §5.2):
//
//	0x8c | R3 | payload    at hop C
//	0x8d | R2 | payload    at hop B
//	0x8e | R1 | payload    at hop A
//
// The payload must start with 0x84 or 0x86: relays pass nothing else.
// Parsed slices alias the input.
type OnionResponse struct {
	Kind    wire.Kind
	Return  []byte
	Payload []byte
}

func responseReturnLen(k wire.Kind) (int, bool) {
	switch k {
	case wire.KindOnionRecv3:
		return Return3Size, true
	case wire.KindOnionRecv2:
		return Return2Size, true
	case wire.KindOnionRecv1:
		return Return1Size, true
	}
	return 0, false
}

func checkResponsePayload(p []byte) error {
	if len(p) == 0 {
		return fmt.Errorf("%w: empty onion response payload", wire.ErrShort)
	}
	if k := wire.Kind(p[0]); k != wire.KindAnnounceResponse && k != wire.KindOnionDataResponse {
		return fmt.Errorf("%w: relays carry only announce and data responses, not %v", wire.ErrKind, k)
	}
	return nil
}

// AppendBinary appends the response's wire form.
func (m *OnionResponse) AppendBinary(b []byte) ([]byte, error) {
	retLen, ok := responseReturnLen(m.Kind)
	if !ok {
		return b, fmt.Errorf("%w: %v is not an onion response", wire.ErrKind, m.Kind)
	}
	if len(m.Return) != retLen {
		return b, fmt.Errorf("%w: %v carries a %d-byte return, not %d", wire.ErrMalformed, m.Kind, retLen, len(m.Return))
	}
	if err := checkResponsePayload(m.Payload); err != nil {
		return b, err
	}
	if n := 1 + retLen + len(m.Payload); n > MaxPacketSize {
		return b, fmt.Errorf("%w: %v of %d bytes, max %d", wire.ErrLong, m.Kind, n, MaxPacketSize)
	}
	b = append(b, byte(m.Kind))
	b = append(b, m.Return...)
	return append(b, m.Payload...), nil
}

// ParseOnionResponse parses a 0x8c, 0x8d or 0x8e packet.
func ParseOnionResponse(b []byte) (OnionResponse, error) {
	if len(b) < 1 {
		return OnionResponse{}, fmt.Errorf("%w: empty onion response", wire.ErrShort)
	}
	k := wire.Kind(b[0])
	retLen, ok := responseReturnLen(k)
	if !ok {
		return OnionResponse{}, fmt.Errorf("%w: %v is not an onion response", wire.ErrKind, k)
	}
	if len(b) > MaxPacketSize {
		return OnionResponse{}, fmt.Errorf("%w: %v of %d bytes, max %d", wire.ErrLong, k, len(b), MaxPacketSize)
	}
	if len(b) <= 1+retLen {
		return OnionResponse{}, fmt.Errorf("%w: %v of %d bytes, need more than %d", wire.ErrShort, k, len(b), 1+retLen)
	}
	m := OnionResponse{Kind: k, Return: b[1 : 1+retLen], Payload: b[1+retLen:]}
	if err := checkResponsePayload(m.Payload); err != nil {
		return OnionResponse{}, err
	}
	return m, nil
}

// ReturnPlain is the plaintext of a return blob: the address the request
// came from and the previous relay's return blob (none in R1, R1 in R2, R2
// in R3). The blob itself is N | sbox(relay's symmetric key, N, plain).
type ReturnPlain struct {
	Prev  netip.AddrPort
	Inner []byte
}

func returnInnerOK(n int) bool { return n == 0 || n == Return1Size || n == Return2Size }

// AppendBinary appends ipport(Prev) | Inner.
func (m *ReturnPlain) AppendBinary(b []byte) ([]byte, error) {
	if !returnInnerOK(len(m.Inner)) {
		return b, fmt.Errorf("%w: inner return of %d bytes", wire.ErrMalformed, len(m.Inner))
	}
	b, err := AppendIPPort(b, m.Prev)
	if err != nil {
		return b, err
	}
	return append(b, m.Inner...), nil
}

// ParseReturnPlain parses a decrypted return blob. Inner aliases b.
func ParseReturnPlain(b []byte) (ReturnPlain, error) {
	if len(b) < IPPortSize {
		return ReturnPlain{}, fmt.Errorf("%w: return of %d bytes", wire.ErrShort, len(b))
	}
	if !returnInnerOK(len(b) - IPPortSize) {
		return ReturnPlain{}, fmt.Errorf("%w: return of %d bytes", wire.ErrMalformed, len(b))
	}
	a, err := ParseIPPort(b)
	if err != nil {
		return ReturnPlain{}, err
	}
	m := ReturnPlain{Prev: a}
	if len(b) > IPPortSize {
		m.Inner = b[IPPortSize:]
	}
	return m, nil
}
