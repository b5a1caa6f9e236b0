// Package crypto owns the NaCl primitives Tox uses, as thin wrappers over
// golang.org/x/crypto: box (curve25519-xsalsa20-poly1305) with the
// libsodium "easy" layout MAC|ciphertext, precomputed shared keys, and
// secretbox. It also owns SharedKeys, the bounded cache of precomputed keys
// that the DHT uses (tox-protocol.md §3.1). Nonces are always arguments.
package crypto

import (
	"errors"

	"golang.org/x/crypto/nacl/box"
	"golang.org/x/crypto/nacl/secretbox"

	"parley/net/key"
)

// Overhead is the number of bytes box and secretbox add (the MAC).
const Overhead = box.Overhead

// SharedKey is a precomputed box key (crypto_box_beforenm) or a secretbox key.
type SharedKey [32]byte

// ErrDecrypt reports a ciphertext that failed authentication.
var ErrDecrypt = errors.New("crypto: decryption failed")

// Precompute returns beforenm(peer, own).
func Precompute(peer *key.PublicKey, own *key.SecretKey) SharedKey {
	var k SharedKey
	box.Precompute((*[32]byte)(&k), (*[32]byte)(peer), (*[32]byte)(own))
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
