package outbox

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"parley/net/friend"
	"parley/net/key"
)

// DefaultSeenPerFriend bounds the receiver's remembered message parts per
// friend: a resend older than that many later parts is delivered again.
const DefaultSeenPerFriend = 4096

// Errors of Enqueue and the log.
var (
	ErrEmpty    = errors.New("outbox: empty message")
	ErrTooLong  = errors.New("outbox: message too long")
	ErrUTF8     = errors.New("outbox: message is not valid UTF-8")
	ErrBadKind  = errors.New("outbox: bad message kind")
	ErrUnknown  = errors.New("outbox: unknown message")
	ErrNotFound = errors.New("outbox: no such part")
)

// State is where a queued message is.
type State uint8

// Message states.
const (
	StateQueued    State = iota + 1 // waiting for the friend (or for a resend)
	StateSent                       // every unreceipted part is on the current link
	StateDelivered                  // every part was receipted
)

func (s State) String() string {
	switch s {
	case StateQueued:
		return "queued"
	case StateSent:
		return "sent"
	case StateDelivered:
		return "delivered"
	}
	return fmt.Sprintf("state-%d", uint8(s))
}

// Entry is a snapshot of one queued message.
type Entry struct {
	ID     ID
	Friend key.PublicKey
	Kind   friend.MessageKind
	MsgID  MsgID
	Queued time.Time
	Text   string
	State  State
	Parts  int // parts the text is split into on the wire
	Acked  int // parts receipted
}

// Part is one message part due to be sent.
type Part struct {
	ID    ID
	MsgID MsgID
	Index uint16
	Kind  friend.MessageKind
	Text  string
}

type message struct {
	rec   Record
	parts []string
	acked []bool
	sent  []friend.MessageID // 0: not on the current link
	nAck  int
}

func (m *message) state() State {
	switch {
	case m.nAck == len(m.parts):
		return StateDelivered
	}
	for i, s := range m.sent {
		if s == 0 && !m.acked[i] {
			return StateQueued
		}
	}
	return StateSent
}

type partRef struct {
	id   ID
	part uint16
}

type seenKey struct {
	id   MsgID
	part uint16
}

// seenSet is a bounded FIFO set of delivered parts of one friend.
type seenSet struct {
	set  map[seenKey]struct{}
	ring []seenKey
	next int
}

// Queue is the outbox's logic without the file: it applies records and
// says what to send. It is not safe for concurrent use.
type Queue struct {
	seenMax  int
	nextID   ID
	msgs     map[ID]*message
	byFriend map[key.PublicKey][]*message // in id order
	sent     map[friend.MessageID]partRef
	seen     map[key.PublicKey]*seenSet
	seenRecs int // Seen records applied (live ones are bounded by seenMax)
}

// NewQueue returns an empty queue remembering seenPerFriend parts per
// friend (0: DefaultSeenPerFriend).
func NewQueue(seenPerFriend int) *Queue {
	if seenPerFriend <= 0 {
		seenPerFriend = DefaultSeenPerFriend
	}
	return &Queue{
		seenMax:  seenPerFriend,
		nextID:   1,
		msgs:     map[ID]*message{},
		byFriend: map[key.PublicKey][]*message{},
		sent:     map[friend.MessageID]partRef{},
		seen:     map[key.PublicKey]*seenSet{},
	}
}

// NewEnqueue checks a message and returns the record that queues it with
// the next id. Nothing changes until the record is applied.
func (q *Queue) NewEnqueue(now time.Time, pk key.PublicKey, kind friend.MessageKind, text string, msgID MsgID) (Record, error) {
	switch {
	case text == "":
		return Record{}, ErrEmpty
	case len(text) > MaxTextLength:
		return Record{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLong, len(text), MaxTextLength)
	case !utf8.ValidString(text):
		return Record{}, ErrUTF8
	case !kind.Valid():
		return Record{}, fmt.Errorf("%w: %d", ErrBadKind, kind)
	}
	return Record{Type: RecEnqueue, ID: q.nextID, Friend: pk, Kind: kind, MsgID: msgID, Time: now, Text: text}, nil
}

// Apply applies one record, as it is appended or replayed. Records for
// unknown or already forgotten messages are ignored.
func (q *Queue) Apply(r Record) {
	switch r.Type {
	case RecEnqueue:
		if _, ok := q.msgs[r.ID]; ok {
			return
		}
		parts := friend.SplitMessage(r.Text, friend.MaxMessageLength)
		m := &message{rec: r, parts: parts, acked: make([]bool, len(parts)), sent: make([]friend.MessageID, len(parts))}
		q.msgs[r.ID] = m
		q.byFriend[r.Friend] = append(q.byFriend[r.Friend], m)
		if r.ID >= q.nextID {
			q.nextID = r.ID + 1
		}
	case RecAcked:
		m := q.msgs[r.ID]
		if m == nil || int(r.Part) >= len(m.parts) || m.acked[r.Part] {
			return
		}
		m.acked[r.Part] = true
		m.nAck++
		if s := m.sent[r.Part]; s != 0 {
			delete(q.sent, s)
			m.sent[r.Part] = 0
		}
	case RecSeen:
		q.seenRecs++
		s := q.seen[r.Friend]
		if s == nil {
			s = &seenSet{set: map[seenKey]struct{}{}}
			q.seen[r.Friend] = s
		}
		k := seenKey{r.MsgID, r.Part}
		if _, ok := s.set[k]; ok {
			return
		}
		if len(s.ring) < q.seenMax {
			s.ring = append(s.ring, k)
		} else {
			delete(s.set, s.ring[s.next])
			s.ring[s.next] = k
			s.next = (s.next + 1) % q.seenMax
		}
		s.set[k] = struct{}{}
	case RecNextID:
		if r.ID > q.nextID {
			q.nextID = r.ID
		}
	}
}

// Pending returns the parts to send to pk now, in order: every part that
// is neither receipted nor on the current link.
func (q *Queue) Pending(pk key.PublicKey) []Part {
	var out []Part
	for _, m := range q.byFriend[pk] {
		for i, t := range m.parts {
			if m.acked[i] || m.sent[i] != 0 {
				continue
			}
			out = append(out, Part{ID: m.rec.ID, MsgID: m.rec.MsgID, Index: uint16(i), Kind: m.rec.Kind, Text: t})
		}
	}
	return out
}

// MarkSent records that part went out on the current link as friend-layer
// message sid.
func (q *Queue) MarkSent(id ID, part uint16, sid friend.MessageID) error {
	m := q.msgs[id]
	if m == nil || int(part) >= len(m.parts) {
		return fmt.Errorf("%w: %d part %d", ErrNotFound, id, part)
	}
	if old := m.sent[part]; old != 0 {
		delete(q.sent, old)
	}
	m.sent[part] = sid
	q.sent[sid] = partRef{id, part}
	return nil
}

// Receipt returns the Acked record for friend-layer message sid, or false
// if sid is not an outbox part.
func (q *Queue) Receipt(sid friend.MessageID) (Record, bool) {
	ref, ok := q.sent[sid]
	if !ok {
		return Record{}, false
	}
	return Record{Type: RecAcked, ID: ref.id, Part: ref.part}, true
}

// LinkLost makes every part sent to pk and not receipted pending again.
func (q *Queue) LinkLost(pk key.PublicKey) {
	for _, m := range q.byFriend[pk] {
		for i, s := range m.sent {
			if s != 0 {
				delete(q.sent, s)
				m.sent[i] = 0
			}
		}
	}
}

// Entry returns a snapshot of message id.
func (q *Queue) Entry(id ID) (Entry, bool) {
	m := q.msgs[id]
	if m == nil {
		return Entry{}, false
	}
	return m.entry(), true
}

func (m *message) entry() Entry {
	return Entry{ID: m.rec.ID, Friend: m.rec.Friend, Kind: m.rec.Kind, MsgID: m.rec.MsgID, Queued: m.rec.Time,
		Text: m.rec.Text, State: m.state(), Parts: len(m.parts), Acked: m.nAck}
}

// List returns pk's messages in order (every friend's when pk is zero):
// the undelivered ones and the delivered ones not yet compacted away.
func (q *Queue) List(pk key.PublicKey) []Entry {
	var out []Entry
	if !pk.IsZero() {
		for _, m := range q.byFriend[pk] {
			out = append(out, m.entry())
		}
		return out
	}
	for id := ID(1); id < q.nextID && len(out) < len(q.msgs); id++ {
		if m := q.msgs[id]; m != nil {
			out = append(out, m.entry())
		}
	}
	return out
}

// Seen reports whether pk's part (msgID, part) was delivered already.
func (q *Queue) Seen(pk key.PublicKey, msgID MsgID, part uint16) bool {
	s := q.seen[pk]
	if s == nil {
		return false
	}
	_, ok := s.set[seenKey{msgID, part}]
	return ok
}

// Live returns the records that describe the queue now, in an order that
// replays to the same state (minus session marks): what compaction writes.
func (q *Queue) Live() []Record {
	out := []Record{{Type: RecNextID, ID: q.nextID}}
	for id := ID(1); id < q.nextID && len(q.msgs) > 0; id++ {
		m := q.msgs[id]
		if m == nil || m.nAck == len(m.parts) {
			continue
		}
		out = append(out, m.rec)
		for i, a := range m.acked {
			if a {
				out = append(out, Record{Type: RecAcked, ID: id, Part: uint16(i)})
			}
		}
	}
	for pk, s := range q.seen {
		for i := range s.ring {
			k := s.ring[(s.next+i)%len(s.ring)]
			out = append(out, Record{Type: RecSeen, Friend: pk, MsgID: k.id, Part: k.part})
		}
	}
	return out
}

// Compacted forgets delivered messages (after Live was written).
func (q *Queue) Compacted() {
	for id, m := range q.msgs {
		if m.nAck == len(m.parts) {
			delete(q.msgs, id)
		}
	}
	for pk, ms := range q.byFriend {
		keep := ms[:0]
		for _, m := range ms {
			if m.nAck < len(m.parts) {
				keep = append(keep, m)
			}
		}
		if len(keep) == 0 {
			delete(q.byFriend, pk)
		} else {
			q.byFriend[pk] = keep
		}
	}
	q.seenRecs = 0
	for _, s := range q.seen {
		q.seenRecs += len(s.ring)
	}
}
