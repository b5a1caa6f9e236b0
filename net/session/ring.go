package session

import "time"

// ring holds the packets numbered [start, end) of one direction, indexed
// by packet number modulo a power-of-two capacity. The capacity grows on
// demand up to RingSize, so an idle connection costs a few kilobytes
// rather than c-toxcore's fixed 32768-slot arrays; a slot's payload is
// allocated only while the packet is held. Numbers wrap at 2^32, and all
// comparisons are made on differences from start, as c-toxcore does.
type ring[T any] struct {
	slots      []T
	start, end uint32
}

const minRingCap = 64

// span is the number of slots in [start, end), holes included.
func (r *ring[T]) span() uint32 { return r.end - r.start }

// at returns the slot of packet number n, which must lie within the
// capacity reserved from start.
func (r *ring[T]) at(n uint32) *T { return &r.slots[n&uint32(len(r.slots)-1)] }

// reserve makes room for offsets [0, n) from start (n <= RingSize).
func (r *ring[T]) reserve(n uint32) {
	if n <= uint32(len(r.slots)) {
		return
	}
	c := uint32(max(len(r.slots), minRingCap))
	for c < n {
		c *= 2
	}
	old, oldMask := r.slots, uint32(len(r.slots)-1)
	r.slots = make([]T, c)
	if len(old) == 0 {
		return
	}
	for i := r.start; i != r.end; i++ {
		r.slots[i&(c-1)] = old[i&oldMask]
	}
}

// shrink drops a large, empty backing array (after a burst) so that an
// idle connection gives the memory back.
func (r *ring[T]) shrink() {
	if r.start == r.end && len(r.slots) > 8*minRingCap {
		r.slots = nil
	}
}

// release frees everything (used when a connection closes).
func (r *ring[T]) release() { r.slots, r.end = nil, r.start }

// sendSlot is one lossless packet we sent and the peer has not yet
// acknowledged with its buffer_start.
type sendSlot struct {
	data   []byte    // id + payload; nil once the peer's request freed it
	sentAt time.Time // last transmission
	resent bool      // transmitted more than once (no RTT sample, Karn)
	marked bool      // requested by the peer, to be resent
}

// recvSlot is one lossless packet received ahead of buffer_start.
type recvSlot struct {
	data []byte // nil: not received
}
