package dht

import (
	"fmt"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// SealPacket builds a whole DHT packet (tox-protocol.md §3.1):
// kind | sender | nonce | sbox(shared, nonce, plain), where shared is
// beforenm(receiver pk, sender sk).
func SealPacket(kind wire.Kind, sender key.PublicKey, nonce key.Nonce, shared *crypto.SharedKey, plain []byte) ([]byte, error) {
	p := Packet{Kind: kind, Sender: sender, Nonce: nonce}
	p.Sealed = crypto.SealShared(make([]byte, 0, len(plain)+crypto.Overhead), plain, &nonce, shared)
	return p.AppendBinary(make([]byte, 0, headerSize+len(p.Sealed)))
}

// OpenPacket opens the sealed part of p with shared = beforenm(sender pk,
// receiver sk). A failure wraps wire.ErrDecrypt.
func OpenPacket(p *Packet, shared *crypto.SharedKey) ([]byte, error) {
	plain, err := crypto.OpenShared(nil, p.Sealed, &p.Nonce, shared)
	if err != nil {
		return nil, fmt.Errorf("%w: %v from %s", wire.ErrDecrypt, p.Kind, p.Sender.Short())
	}
	return plain, nil
}

// SealRequest builds a whole 0x20 request (tox-protocol.md §4.1). shared is
// beforenm(receiver pk, sender sk), which makes sbox equal to box.
func SealRequest(receiver, sender key.PublicKey, nonce key.Nonce, shared *crypto.SharedKey, payload RequestPayload) ([]byte, error) {
	plain, err := payload.AppendBinary(make([]byte, 0, 1+len(payload.Data)))
	if err != nil {
		return nil, err
	}
	r := Request{Receiver: receiver, Sender: sender, Nonce: nonce}
	r.Sealed = crypto.SealShared(make([]byte, 0, len(plain)+crypto.Overhead), plain, &nonce, shared)
	return r.AppendBinary(make([]byte, 0, requestHeaderSize+len(r.Sealed)))
}

// OpenRequest opens a 0x20 request addressed to us with shared =
// beforenm(sender pk, our sk) and parses its payload.
func OpenRequest(r *Request, shared *crypto.SharedKey) (RequestPayload, error) {
	plain, err := crypto.OpenShared(nil, r.Sealed, &r.Nonce, shared)
	if err != nil {
		return RequestPayload{}, fmt.Errorf("%w: request from %s", wire.ErrDecrypt, r.Sender.Short())
	}
	return ParseRequestPayload(plain)
}
