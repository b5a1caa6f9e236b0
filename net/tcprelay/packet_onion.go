package tcprelay

import (
	"parley/net/key"
)

const onionRequestHeaderSize = 1 + key.NonceSize

// OnionRequest hands the relay an onion packet to send on as its first hop
// (c-toxcore create_onion_packet_tcp): 8 | nonce(24) | payload, where the
// payload is IP_Port of hop 2 (19) | pk(32) | sbox(...) for hop 2, the
// same construction as a UDP 0x80 without the first layer (tox-protocol.md
// §5.2, §9). Payload must be at least MinOnionRequestPayload bytes (the
// relay drops the connection otherwise); the relay forwards nothing
// shorter than 19 + 2·67 + 1 bytes or longer than 1335.
type OnionRequest struct {
	Nonce   key.Nonce
	Payload []byte
}

// PacketID returns IDOnionRequest.
func (*OnionRequest) PacketID() PacketID { return IDOnionRequest }

// AppendBinary appends 8 | nonce | payload.
func (m *OnionRequest) AppendBinary(b []byte) ([]byte, error) {
	if err := checkTail(IDOnionRequest, "payload", len(m.Payload), MinOnionRequestPayload, MaxOnionRequestPayload); err != nil {
		return b, err
	}
	b = append(b, byte(IDOnionRequest))
	b = append(b, m.Nonce[:]...)
	return append(b, m.Payload...), nil
}

// ParseOnionRequest parses an onion request; Payload is a copy.
func ParseOnionRequest(b []byte) (OnionRequest, error) {
	var m OnionRequest
	if err := checkVar(b, IDOnionRequest, onionRequestHeaderSize, MinOnionRequestPayload, MaxOnionRequestPayload); err != nil {
		return m, err
	}
	copy(m.Nonce[:], b[1:])
	m.Payload = append([]byte(nil), b[onionRequestHeaderSize:]...)
	return m, nil
}

// OnionResponse carries an onion packet that came back to the relay for
// us (what a UDP client gets as 0x8e's payload: an announce response 0x84
// or onion data 0x86): 9 | packet(1..).
type OnionResponse struct {
	Packet []byte
}

// PacketID returns IDOnionResponse.
func (*OnionResponse) PacketID() PacketID { return IDOnionResponse }

// AppendBinary appends 9 | packet.
func (m *OnionResponse) AppendBinary(b []byte) ([]byte, error) {
	if err := checkTail(IDOnionResponse, "packet", len(m.Packet), 1, MaxOnionResponseSize); err != nil {
		return b, err
	}
	b = append(b, byte(IDOnionResponse))
	return append(b, m.Packet...), nil
}

// ParseOnionResponse parses 2..MaxPlainSize bytes; Packet is a copy.
func ParseOnionResponse(b []byte) (OnionResponse, error) {
	var m OnionResponse
	if err := checkVar(b, IDOnionResponse, 1, 1, MaxOnionResponseSize); err != nil {
		return m, err
	}
	m.Packet = append([]byte(nil), b[1:]...)
	return m, nil
}
