// Package key owns Parley's identity types: Curve25519 public and secret
// keys, key pairs, 24-byte nonces with c-toxcore's big-endian arithmetic,
// and the 38-byte Tox ID (public key | nospam | checksum).
//
// Two key pairs exist per node and are kept apart everywhere
// (tox-protocol.md §1): the long-term ("real") pair in the Tox ID and the
// profile, and the DHT pair, random at every start and never saved.
package key

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/curve25519"
)

// Size is the length of a public or secret key in bytes.
const Size = 32

// PublicKey is a Curve25519 public key.
type PublicKey [Size]byte

// SecretKey is a Curve25519 secret key.
type SecretKey [Size]byte

// Pair is a public key with its secret key.
type Pair struct {
	Public PublicKey
	Secret SecretKey
}

// ErrBadKey reports a key string or slice that is not a key.
var ErrBadKey = errors.New("key: not a 32-byte key")

// NewPair generates a key pair from r (crypto/rand.Reader when r is nil).
func NewPair(r io.Reader) (Pair, error) {
	if r == nil {
		r = rand.Reader
	}
	var p Pair
	if _, err := io.ReadFull(r, p.Secret[:]); err != nil {
		return Pair{}, fmt.Errorf("key: reading randomness: %w", err)
	}
	return PairFromSecret(p.Secret), nil
}

// PairFromSecret derives the public key of sk.
func PairFromSecret(sk SecretKey) Pair {
	p := Pair{Secret: sk}
	curve25519.ScalarBaseMult((*[32]byte)(&p.Public), (*[32]byte)(&p.Secret))
	return p
}

// String returns the key as 64 upper-case hex characters, as Tox clients show it.
func (k PublicKey) String() string { return upperHex(k[:]) }

// Short returns the first 8 hex characters, for logs.
func (k PublicKey) Short() string { return upperHex(k[:4]) }

// IsZero reports whether every byte of k is zero.
func (k PublicKey) IsZero() bool { return k == PublicKey{} }

// ParsePublicKey parses 64 hex characters (any case).
func ParsePublicKey(s string) (PublicKey, error) {
	var k PublicKey
	if len(s) != 2*Size {
		return k, fmt.Errorf("%w: %d hex characters, want %d", ErrBadKey, len(s), 2*Size)
	}
	if _, err := hex.Decode(k[:], []byte(s)); err != nil {
		return k, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return k, nil
}

// Distance compares a and b by XOR distance to base, the DHT metric
// (tox-protocol.md §3.4). It returns -1 when a is closer, 1 when b is
// closer and 0 when they are equal.
func Distance(base, a, b *PublicKey) int {
	for i := 0; i < Size; i++ {
		da, db := base[i]^a[i], base[i]^b[i]
		if da < db {
			return -1
		}
		if da > db {
			return 1
		}
	}
	return 0
}

// CommonPrefixBits returns the number of leading bits a and b share, capped
// at 255. It is c-toxcore's bit_by_bit_cmp (tox-protocol.md §3.4), except
// for equal keys, where bit_by_bit_cmp returns 256; the close list caps the
// value at 127 anyway.
func CommonPrefixBits(a, b *PublicKey) int {
	for i := 0; i < Size; i++ {
		x := a[i] ^ b[i]
		if x == 0 {
			continue
		}
		n := i * 8
		for mask := byte(0x80); x&mask == 0; mask >>= 1 {
			n++
		}
		return n
	}
	return Size*8 - 1
}

func upperHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i] = digits[c>>4]
		out[2*i+1] = digits[c&15]
	}
	return string(out)
}
