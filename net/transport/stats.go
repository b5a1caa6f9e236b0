package transport

import (
	"fmt"
	"sync/atomic"

	"parley/net/wire"
)

// DropReason says why a received packet was thrown away. The read loop
// counts the first three itself; handlers report the rest with CountDrop.
type DropReason int

// Drop reasons.
const (
	DropUnknownKind DropReason = iota // no handler for pkt[0]
	DropOversize                      // longer than wire.MaxUDPPacketSize
	DropEmpty                         // zero-length datagram
	DropHandlerFull                   // a handler's hand-off queue was full
	DropMalformed                     // a handler could not parse the packet
	DropDecrypt                       // a handler could not decrypt the packet
	numDropReasons
)

var dropNames = [numDropReasons]string{
	DropUnknownKind: "unknown-kind",
	DropOversize:    "oversize",
	DropEmpty:       "empty",
	DropHandlerFull: "handler-full",
	DropMalformed:   "malformed",
	DropDecrypt:     "decrypt",
}

// String names the reason.
func (r DropReason) String() string {
	if r >= 0 && r < numDropReasons {
		return dropNames[r]
	}
	return fmt.Sprintf("drop-reason-%d", int(r))
}

// DropCounter is the part of Transport that handlers and queues need to
// report drops, so they can be tested without a socket.
type DropCounter interface {
	CountDrop(r DropReason)
}

// Stats is a snapshot of a Transport's counters.
type Stats struct {
	Received      uint64      // datagrams read, whatever became of them
	ReceivedBytes uint64      // their total length (oversize ones count as MaxUDPPacketSize+1)
	Dispatched    uint64      // datagrams handed to a handler
	ByKind        [256]uint64 // non-empty, not oversize datagrams by first byte, known or not
	Sent          uint64      // datagrams written successfully
	SentBytes     uint64      // their total length
	SendErrors    uint64      // failed or refused Send calls
	ReadErrors    uint64      // socket read errors other than close
	Drops         [numDropReasons]uint64
}

// Dropped returns the count for one reason (0 for an unknown reason).
func (s Stats) Dropped(r DropReason) uint64 {
	if r < 0 || r >= numDropReasons {
		return 0
	}
	return s.Drops[r]
}

// TotalDrops sums the drops over all reasons.
func (s Stats) TotalDrops() uint64 {
	var n uint64
	for _, d := range s.Drops {
		n += d
	}
	return n
}

// Kind returns how many datagrams with first byte k were received.
func (s Stats) Kind(k wire.Kind) uint64 { return s.ByKind[k] }

// counters are the live atomics behind Stats. The receive-side ones have a
// single writer (the read goroutine); the send-side ones and Drops have many.
type counters struct {
	received, receivedBytes, dispatched atomic.Uint64
	byKind                              [256]atomic.Uint64
	sent, sentBytes, sendErrors         atomic.Uint64
	readErrors                          atomic.Uint64
	drops                               [numDropReasons]atomic.Uint64
}

func (c *counters) snapshot() Stats {
	s := Stats{
		Received:      c.received.Load(),
		ReceivedBytes: c.receivedBytes.Load(),
		Dispatched:    c.dispatched.Load(),
		Sent:          c.sent.Load(),
		SentBytes:     c.sentBytes.Load(),
		SendErrors:    c.sendErrors.Load(),
		ReadErrors:    c.readErrors.Load(),
	}
	for i := range c.byKind {
		s.ByKind[i] = c.byKind[i].Load()
	}
	for i := range c.drops {
		s.Drops[i] = c.drops[i].Load()
	}
	return s
}
