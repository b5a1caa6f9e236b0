package session

import (
	"fmt"

	"parley/net/wire"
)

// MaxRequestBytes is the most list bytes a request packet carries (the id
// byte takes the rest of MaxDataSize).
const MaxRequestBytes = MaxDataSize - 1

// Request is the id+payload of a request packet (id 1, §6.4): a selective
// acknowledgement of the sender's receive ring, relative to the
// BufferStart of the data packet carrying it.
//
// Encoding: walk the slots from offset 0 with a counter n starting at 1.
// At a missing slot emit n and restart n at 0; else, when n has reached
// 255, emit 0 and restart n at 0; then n++. So a byte b in 1..255 says
// "b-1 slots received, then one missing" and a byte 0 says "255 slots
// received". The receiver of a request resends the missing slots and
// frees every slot the list passes over without naming (Covered).
type Request struct {
	// Missing are the offsets of missing slots, strictly increasing.
	Missing []uint32
	// Covered is how many slots the list describes: every slot below it
	// that Missing does not name was received. ParseRequest sets it to the
	// slot after the last one the bytes reach.
	Covered uint32
}

// AppendBinary appends id 1 and the list to b. Slots after the last
// missing one are described in whole runs of 255 only (as c-toxcore's
// generator does), and the list stops at MaxRequestBytes: a request may
// cover less than asked, never more.
func (m *Request) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, IDRequest)
	limit := len(b) + MaxRequestBytes
	pos := uint32(0) // the slot where n == 1
	for i, off := range m.Missing {
		if off < pos || off >= m.Covered {
			return b, fmt.Errorf("session: request: %w: missing offset %d (index %d) out of order or past %d",
				wire.ErrMalformed, off, i, m.Covered)
		}
		var ok bool
		if b, ok = appendRun(b, limit, off-pos); !ok {
			return b, nil
		}
		if len(b) >= limit {
			return b, nil
		}
		b = append(b, byte((off-pos)%255+1))
		pos = off + 1
	}
	b, _ = appendRun(b, limit, m.Covered-pos)
	return b, nil
}

// appendRun appends one 0 per 255 received slots in a run of k, stopping
// at limit.
func appendRun(b []byte, limit int, k uint32) ([]byte, bool) {
	for z := k / 255; z > 0; z-- {
		if len(b) >= limit {
			return b, false
		}
		b = append(b, 0)
	}
	return b, true
}

// ParseRequest parses the id+payload of a request packet. Every byte
// string is a valid list; it only may not exceed MaxRequestBytes.
func ParseRequest(b []byte) (Request, error) {
	if len(b) == 0 {
		return Request{}, fmt.Errorf("session: request: %w", wire.ErrShort)
	}
	if b[0] != IDRequest {
		return Request{}, fmt.Errorf("session: request: %w: id %d", wire.ErrKind, b[0])
	}
	b = b[1:]
	if len(b) > MaxRequestBytes {
		return Request{}, fmt.Errorf("session: request: %w: %d list bytes, max %d", wire.ErrLong, len(b), MaxRequestBytes)
	}
	var m Request
	pos := uint32(0)
	for _, c := range b {
		if c == 0 {
			pos += 255
			continue
		}
		m.Missing = append(m.Missing, pos+uint32(c)-1)
		pos += uint32(c)
	}
	m.Covered = pos
	return m, nil
}
