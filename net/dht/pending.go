package dht

import (
	"net/netip"

	"parley/net/key"
)

// pendingKind says which response a ping id expects.
type pendingKind uint8

const (
	pendPing  pendingKind = iota + 1 // ping request, expects 0x01
	pendNodes                        // get-nodes request, expects 0x04
)

// pending is one outstanding request of ours: the id we sent and where we
// sent it (c-toxcore keeps pk and IP_Port in its ping arrays, §3.2).
type pending struct {
	id       uint64
	pk       key.PublicKey
	addr     netip.AddrPort
	sent     stamp
	kind     pendingKind
	answered bool   // kept until expiry so a replay is told apart
	lookup   uint32 // the lookup that sent it, or 0
	q        uint16 // which of the lookup's questions
}

// pendingTable is a FIFO ring of outstanding requests. Entries are added
// in time order and all live PingTimeout, so the oldest are at the head;
// when the table is full (MaxPending) the oldest is forgotten. The ring
// grows on demand and shrinks again once a second (from doDHT) when mostly
// empty, so memory follows the number outstanding.
type pendingTable struct {
	buf  []pending
	head int
	n    int
}

func (t *pendingTable) at(i int) *pending { return &t.buf[(t.head+i)%len(t.buf)] }

// expire drops entries older than PingTimeout from the head.
func (t *pendingTable) expire(now stamp) {
	for t.n > 0 && t.at(0).sent.expired(now, PingTimeout) {
		*t.at(0) = pending{}
		t.head = (t.head + 1) % len(t.buf)
		t.n--
	}
}

func (t *pendingTable) add(p pending) {
	t.expire(p.sent)
	if t.n == len(t.buf) {
		if len(t.buf) >= MaxPending {
			t.head = (t.head + 1) % len(t.buf) // forget the oldest
			t.n--
		} else {
			t.grow()
		}
	}
	*t.at(t.n) = p
	t.n++
}

func (t *pendingTable) grow() { t.resize(2 * len(t.buf)) }

// shrink halves the ring when at most a quarter of it is used, so that
// memory follows the load down again after a burst.
func (t *pendingTable) shrink(now stamp) {
	t.expire(now)
	if len(t.buf) > 16 && t.n <= len(t.buf)/4 {
		t.resize(len(t.buf) / 2)
	}
}

func (t *pendingTable) resize(size int) {
	if size < 16 {
		size = 16
	}
	if size > MaxPending {
		size = MaxPending
	}
	nb := make([]pending, size)
	for i := 0; i < t.n; i++ {
		nb[i] = *t.at(i)
	}
	t.buf, t.head = nb, 0
}

// find returns the live entry with id, or nil.
func (t *pendingTable) find(id uint64, now stamp) *pending {
	t.expire(now)
	for i := t.n - 1; i >= 0; i-- {
		if p := t.at(i); p.id == id {
			return p
		}
	}
	return nil
}

// len returns the number of live entries (answered ones included).
func (t *pendingTable) len(now stamp) int {
	if t.n == 0 {
		return 0
	}
	t.expire(now)
	return t.n
}
