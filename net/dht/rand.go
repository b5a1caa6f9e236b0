package dht

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"

	"parley/net/key"
)

// rng draws nonces, ping ids and random choices from the injected reader,
// a few bytes at a time from a small buffer.
type rng struct {
	r   io.Reader
	buf [64]byte
	off int
}

func newRNG(r io.Reader) *rng {
	if r == nil {
		r = rand.Reader
	}
	g := &rng{r: r}
	g.off = len(g.buf)
	return g
}

func (g *rng) read(p []byte) error {
	for len(p) > 0 {
		if g.off == len(g.buf) {
			if _, err := io.ReadFull(g.r, g.buf[:]); err != nil {
				return fmt.Errorf("%w: %v", ErrRandom, err)
			}
			g.off = 0
		}
		n := copy(p, g.buf[g.off:])
		g.off += n
		p = p[n:]
	}
	return nil
}

func (g *rng) nonce() (key.Nonce, error) {
	var n key.Nonce
	err := g.read(n[:])
	return n, err
}

func (g *rng) uint64() (uint64, error) {
	var b [8]byte
	if err := g.read(b[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}

// intn returns a number in [0, n); 0 when n <= 1 or the source fails.
func (g *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	v, err := g.uint64()
	if err != nil {
		return 0
	}
	return int(v % uint64(n))
}
