package netsim

import "math/bits"

// MaxDatagram is the largest UDP payload over IPv4 (65535 - 20 - 8). Longer
// writes fail with ErrMessageTooLong, as on a real socket.
const MaxDatagram = 65507

// minClass is the smallest pooled buffer, 1<<minClass bytes.
const minClass = 6

// bufPool recycles packet copies by power-of-two size class so the event
// loop allocates nothing in steady state. It is guarded by the Network's
// mutex.
type bufPool struct {
	free [17][][]byte // class c holds buffers of capacity 1<<c
}

func sizeClass(n int) int {
	c := bits.Len(uint(n - 1))
	if n <= 1 || c < minClass {
		return minClass
	}
	return c
}

// get returns a buffer of length n.
func (p *bufPool) get(n int) []byte {
	c := sizeClass(n)
	if l := len(p.free[c]); l > 0 {
		b := p.free[c][l-1]
		p.free[c][l-1] = nil
		p.free[c] = p.free[c][:l-1]
		return b[:n]
	}
	return make([]byte, n, 1<<c)
}

// put returns b to the pool. Buffers that did not come from get are ignored.
func (p *bufPool) put(b []byte) {
	c := cap(b)
	if c == 0 || c&(c-1) != 0 {
		return
	}
	k := bits.Len(uint(c)) - 1
	if k < minClass || k >= len(p.free) {
		return
	}
	p.free[k] = append(p.free[k], b[:0])
}
