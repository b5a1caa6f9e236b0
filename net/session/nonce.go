package session

import "parley/net/key"

// recvNonces tracks the receive nonce of one session (§6.4) and rejects
// replays.
//
// A data packet carries only the low 16 bits of its nonce. With cur the
// low 16 bits of the receive nonce, the packet's nonce is
// receive nonce + (low - cur) mod 65536, so the accepted nonces are
// exactly the 65536 starting at the receive nonce; a packet more than
// 2·21845 ahead moves the receive nonce forward by 21845 once it has
// authenticated. c-toxcore stops there, so it would accept the same
// packet twice; we also keep one bit per acceptable nonce, which is
// exact because nothing outside the window can authenticate.
//
// Not safe for concurrent use.
type recvNonces struct {
	nonce key.Nonce // the receive nonce: the handshake's base nonce, moved on
	base  uint64    // how far nonce has moved from the base nonce
	seen  [65536 / 64]uint64
}

// reset starts over at a handshake's base nonce.
func (r *recvNonces) reset(base key.Nonce) { *r = recvNonces{nonce: base} }

// candidate returns the full nonce of a packet with these low bits, and
// its distance diff from the receive nonce.
func (r *recvNonces) candidate(low uint16) (key.Nonce, uint16) {
	diff := low - (uint16(r.nonce[key.NonceSize-2])<<8 | uint16(r.nonce[key.NonceSize-1]))
	n := r.nonce
	n.Add(uint32(diff))
	return n, diff
}

// accept records an authenticated packet at distance diff. It reports
// false when that nonce was already accepted (a replay or duplicate).
func (r *recvNonces) accept(diff uint16) bool {
	bit := uint16(r.base) + diff // position of base+diff modulo 65536
	w, m := bit/64, uint64(1)<<(bit%64)
	if r.seen[w]&m != 0 {
		return false
	}
	r.seen[w] |= m
	if diff > 2*nonceThreshold {
		// The nonces [base, base+21845) leave the window; their bits are
		// the ones the new nonces [base+65536, ...) will use.
		for i := uint16(0); i < nonceThreshold; i++ {
			b := uint16(r.base) + i
			r.seen[b/64] &^= 1 << (b % 64)
		}
		r.base += nonceThreshold
		r.nonce.Add(nonceThreshold)
	}
	return true
}
