package friend

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// t0 is the harness's start time; any fixed instant works.
var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeLink carries lossless packets from one Manager to another, in order
// and exactly once, like an established net/session connection. Packets
// wait in queue until the harness pumps them; after delivery the sender
// gets the ack (unless holdAcks).
type fakeLink struct {
	from, to *peer
	next     uint32
	queue    []inflight
	sent     [][]byte // every lossless packet accepted, in order
	lossy    [][]byte
	refuse   error // SendLossless/SendLossy fail with it while set
	cut      bool  // packets are accepted but never delivered
	holdAcks bool
	held     []uint32 // acks withheld while holdAcks
}

type inflight struct {
	pn   uint32
	data []byte
}

func (l *fakeLink) SendLossless(now time.Time, data []byte) (uint32, error) {
	if l.refuse != nil {
		return 0, l.refuse
	}
	if len(data) == 0 || data[0] < 16 || data[0] > 191 {
		l.from.h.t.Errorf("%s sent lossless packet with id %v", l.from.name, data)
	}
	pn := l.next
	l.next++
	d := bytes.Clone(data) // the Manager reuses its buffer
	l.sent = append(l.sent, d)
	if !l.cut {
		l.queue = append(l.queue, inflight{pn, d})
	}
	return pn, nil
}

func (l *fakeLink) SendLossy(now time.Time, data []byte) error {
	if l.refuse != nil {
		return l.refuse
	}
	l.lossy = append(l.lossy, bytes.Clone(data))
	return nil
}

// ids returns the packet ids sent so far, from index from on.
func (l *fakeLink) ids(from int) []byte {
	var out []byte
	for _, p := range l.sent[from:] {
		out = append(out, p[0])
	}
	return out
}

func (l *fakeLink) count(id byte) int {
	n := 0
	for _, p := range l.sent {
		if p[0] == id {
			n++
		}
	}
	return n
}

// peer is one Manager with its identity and what it reported.
type peer struct {
	h      *harness
	name   string
	pair   key.Pair
	nospam key.Nospam
	m      *Manager
	out    *fakeLink // our link to the other peer, while up
	events []Event
	errs   []error // HandleLossless errors
	sender *fakeSender
}

func (p *peer) id() key.ToxID { return key.ToxID{PublicKey: p.pair.Public, Nospam: p.nospam} }

func (p *peer) drain() { p.events = append(p.events, p.m.Events()...) }

// take returns and forgets the events collected so far.
func (p *peer) take() []Event {
	p.drain()
	ev := p.events
	p.events = nil
	return ev
}

// fakeSender records onion friend requests.
type fakeSender struct {
	fail  int // fail this many more calls
	calls []sentRequest
}

type sentRequest struct {
	at     time.Time
	to     key.PublicKey
	nospam key.Nospam
	msg    string
}

var errNotFound = errors.New("fake onion: friend not found yet")

func (s *fakeSender) SendFriendRequest(now time.Time, to key.PublicKey, nospam key.Nospam, msg []byte) error {
	if s.fail > 0 {
		s.fail--
		return errNotFound
	}
	s.calls = append(s.calls, sentRequest{now, to, nospam, string(msg)})
	return nil
}

type harness struct {
	t    *testing.T
	now  time.Time
	a, b *peer
}

func newPeer(t *testing.T, h *harness, name string, nospam byte, mut func(*Config)) *peer {
	t.Helper()
	pair, err := key.NewPair(nil)
	if err != nil {
		t.Fatalf("NewPair: %v", err)
	}
	p := &peer{h: h, name: name, pair: pair, nospam: key.Nospam{nospam, 2, 3, 4}, sender: &fakeSender{}}
	cfg := Config{Self: pair.Public, Nospam: p.nospam, Requests: p.sender}
	if mut != nil {
		mut(&cfg)
	}
	if p.m, err = New(cfg, h.now); err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

// newHarness makes two Managers, A and B, that do not know each other.
func newHarness(t *testing.T) *harness {
	h := &harness{t: t, now: t0}
	h.a = newPeer(t, h, "A", 0xaa, nil)
	h.b = newPeer(t, h, "B", 0xbb, nil)
	return h
}

// befriend makes A and B confirmed friends of each other.
func (h *harness) befriend() {
	h.t.Helper()
	if err := h.a.m.AddFriendNoRequest(h.b.pair.Public); err != nil {
		h.t.Fatalf("A adds B: %v", err)
	}
	if err := h.b.m.AddFriendNoRequest(h.a.pair.Public); err != nil {
		h.t.Fatalf("B adds A: %v", err)
	}
}

// connect brings the links up on both sides and pumps until quiet.
func (h *harness) connect() {
	h.t.Helper()
	h.a.out = &fakeLink{from: h.a, to: h.b}
	h.b.out = &fakeLink{from: h.b, to: h.a}
	if err := h.a.m.LinkUp(h.now, h.b.pair.Public, h.a.out); err != nil {
		h.t.Fatalf("A LinkUp: %v", err)
	}
	if err := h.b.m.LinkUp(h.now, h.a.pair.Public, h.b.out); err != nil {
		h.t.Fatalf("B LinkUp: %v", err)
	}
	h.pump()
}

// online connects two friends and checks both are online; the events so
// far are dropped.
func (h *harness) online() {
	h.t.Helper()
	h.befriend()
	h.connect()
	if !h.a.m.Online(h.b.pair.Public) || !h.b.m.Online(h.a.pair.Public) {
		h.t.Fatalf("not online after connect: A %v, B %v", h.a.m.Online(h.b.pair.Public), h.b.m.Online(h.a.pair.Public))
	}
	h.a.take()
	h.b.take()
	h.a.errs, h.b.errs = nil, nil
}

// pump delivers queued packets in both directions, and their acks, until
// nothing is in flight.
func (h *harness) pump() {
	for i := 0; ; i++ {
		if i > 1000 {
			h.t.Fatal("pump: packets keep flowing")
		}
		moved := false
		for _, l := range []*fakeLink{h.a.out, h.b.out} {
			if l == nil || len(l.queue) == 0 {
				continue
			}
			moved = true
			q := l.queue
			l.queue = nil
			for _, p := range q {
				if err := l.to.m.HandleLossless(h.now, l.from.pair.Public, p.data); err != nil {
					l.to.errs = append(l.to.errs, err)
				}
				if l.holdAcks {
					l.held = append(l.held, p.pn)
				} else if err := l.from.m.HandleAcked(h.now, l.to.pair.Public, p.pn); err != nil && !errors.Is(err, ErrNoLink) && !errors.Is(err, ErrNotFriend) {
					h.t.Errorf("%s HandleAcked: %v", l.from.name, err)
				}
			}
		}
		h.a.drain()
		h.b.drain()
		if !moved {
			return
		}
	}
}

// releaseAcks delivers the acks l held back.
func (h *harness) releaseAcks(l *fakeLink) {
	h.t.Helper()
	l.holdAcks = false
	for _, pn := range l.held {
		if err := l.from.m.HandleAcked(h.now, l.to.pair.Public, pn); err != nil {
			h.t.Fatalf("HandleAcked: %v", err)
		}
	}
	l.held = nil
	h.pump()
}

// advance moves time forward by d, ticking both Managers every step.
func (h *harness) advance(d, step time.Duration) {
	end := h.now.Add(d)
	for h.now.Before(end) {
		h.now = h.now.Add(min(step, end.Sub(h.now)))
		h.a.m.Tick(h.now)
		h.b.m.Tick(h.now)
		h.pump()
	}
}

// eventsOf returns the events of type T in evs.
func eventsOf[T Event](evs []Event) []T {
	var out []T
	for _, e := range evs {
		if v, ok := e.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func noErrs(t *testing.T, p *peer) {
	t.Helper()
	for _, err := range p.errs {
		t.Errorf("%s dropped a packet: %v", p.name, err)
	}
	p.errs = nil
}

func tcpNode(i byte) wire.Node {
	var pk key.PublicKey
	pk[0] = i
	return wire.Node{PK: pk, Addr: netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, i}), 443), TCP: true}
}
