package key

import (
	"crypto/rand"
	"fmt"
	"io"
)

// NonceSize is the length of a NaCl nonce.
const NonceSize = 24

// Nonce is a 24-byte NaCl nonce. c-toxcore treats it as one big-endian
// 192-bit integer when it counts (tox-protocol.md, "Nonce arithmetic").
type Nonce [NonceSize]byte

// Increment adds 1 to n, big-endian, wrapping at 2^192.
func (n *Nonce) Increment() {
	for i := NonceSize - 1; i >= 0; i-- {
		n[i]++
		if n[i] != 0 {
			return
		}
	}
}

// Add adds x to n, big-endian, wrapping at 2^192 (c-toxcore's
// increment_nonce_number).
func (n *Nonce) Add(x uint32) {
	carry := uint32(0)
	v := x
	for i := NonceSize - 1; i >= 0; i-- {
		sum := uint32(n[i]) + (v & 0xff) + carry
		n[i] = byte(sum)
		carry = sum >> 8
		v >>= 8
		if v == 0 && carry == 0 {
			return
		}
	}
}

// RandomNonce returns a nonce read from r (crypto/rand.Reader when r is nil).
func RandomNonce(r io.Reader) (Nonce, error) {
	if r == nil {
		r = rand.Reader
	}
	var n Nonce
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return n, fmt.Errorf("key: reading nonce randomness: %w", err)
	}
	return n, nil
}
