// Package crypto owns the NaCl primitives Tox uses, as thin wrappers over
// golang.org/x/crypto: box (curve25519-xsalsa20-poly1305) with the
// libsodium "easy" layout MAC|ciphertext, precomputed shared keys, and
// secretbox. It also owns SharedKeys, the bounded cache of precomputed keys
// that the DHT uses (tox-protocol.md §3.1). Nonces are always arguments.
package crypto

import (
	"crypto/ecdh"
	"errors"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"
	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/salsa20/salsa"

	"parley/net/key"
)

// Overhead is the number of bytes box and secretbox add (the MAC).
const Overhead = box.Overhead

// SharedKey is a precomputed box key (crypto_box_beforenm) or a secretbox key.
type SharedKey [32]byte

// ErrDecrypt reports a ciphertext that failed authentication.
var ErrDecrypt = errors.New("crypto: decryption failed")

// Precompute returns beforenm(peer, own): HSalsa20 of the X25519 shared
// point, as crypto_box_beforenm. A low-order peer key (shared point all
// zero, which libsodium refuses) yields the key derived from the zero
// point, as x/crypto's box.Precompute does.
func Precompute(peer *key.PublicKey, own *key.SecretKey) SharedKey {
	shared, err := curve25519.X25519(own[:], peer[:])
	if err != nil {
		shared = make([]byte, 32) // low-order point
	}
	return hsalsa(shared)
}

// Precomputer computes beforenm(peer, own) for one own secret key with a
// single scalar multiplication per peer (Precompute does two: x/crypto
// derives our own public key each time). The DHT pays one per new peer.
type Precomputer struct {
	priv *ecdh.PrivateKey
	own  key.SecretKey
}

// NewPrecomputer prepares own for repeated Precompute calls.
func NewPrecomputer(own key.SecretKey) *Precomputer {
	priv, err := ecdh.X25519().NewPrivateKey(own[:])
	if err != nil { // cannot happen: every 32-byte string is an X25519 key
		return &Precomputer{own: own}
	}
	return &Precomputer{priv: priv, own: own}
}

// Precompute returns beforenm(peer, own).
func (p *Precomputer) Precompute(peer *key.PublicKey) SharedKey {
	if p.priv == nil {
		return Precompute(peer, &p.own)
	}
	pub, err := ecdh.X25519().NewPublicKey(peer[:])
	if err != nil {
		return Precompute(peer, &p.own)
	}
	shared, err := p.priv.ECDH(pub)
	if err != nil {
		shared = make([]byte, 32) // low-order point
	}
	return hsalsa(shared)
}

var hsalsaZero [16]byte

func hsalsa(shared []byte) SharedKey {
	var k SharedKey
	salsa.HSalsa20((*[32]byte)(&k), &hsalsaZero, (*[32]byte)(shared), &salsa.Sigma)
	return k
}

// Seal appends box(peer, own, n, msg) to out.
func Seal(out, msg []byte, n *key.Nonce, peer *key.PublicKey, own *key.SecretKey) []byte {
	return box.Seal(out, msg, (*[24]byte)(n), (*[32]byte)(peer), (*[32]byte)(own))
}

// Open appends the opened box to out.
func Open(out, sealed []byte, n *key.Nonce, peer *key.PublicKey, own *key.SecretKey) ([]byte, error) {
	r, ok := box.Open(out, sealed, (*[24]byte)(n), (*[32]byte)(peer), (*[32]byte)(own))
	if !ok {
		return nil, ErrDecrypt
	}
	return r, nil
}

// SealShared appends sbox(k, n, msg) to out (crypto_box_afternm, which is
// secretbox with the shared key).
func SealShared(out, msg []byte, n *key.Nonce, k *SharedKey) []byte {
	return secretbox.Seal(out, msg, (*[24]byte)(n), (*[32]byte)(k))
}

// OpenShared appends the opened secretbox to out.
func OpenShared(out, sealed []byte, n *key.Nonce, k *SharedKey) ([]byte, error) {
	r, ok := secretbox.Open(out, sealed, (*[24]byte)(n), (*[32]byte)(k))
	if !ok {
		return nil, ErrDecrypt
	}
	return r, nil
}
