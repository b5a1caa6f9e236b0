package session

import (
	"errors"
	"testing"
	"time"

	"parley/net/key"
)

func TestRingGrowsAcrossWrap(t *testing.T) {
	var r ring[recvSlot]
	r.start, r.end = ^uint32(0)-5, ^uint32(0)-5
	put := func(n uint32) {
		r.reserve(n - r.start + 1)
		r.at(n).data = []byte{byte(n)}
		if int32(n-r.end) >= 0 {
			r.end = n + 1
		}
	}
	for i := uint32(0); i < 1000; i += 3 {
		put(r.start + i)
	}
	if len(r.slots) != 1024 {
		t.Fatalf("capacity %d after 1000 slots", len(r.slots))
	}
	for i := uint32(0); i < 1000; i++ {
		d := r.at(r.start + i).data
		if (i%3 == 0) != (d != nil) || (d != nil && d[0] != byte(r.start+i)) {
			t.Fatalf("slot %d: %v", i, d)
		}
	}
	for r.start != r.end {
		r.at(r.start).data = nil
		r.start++
	}
	r.shrink()
	if r.slots != nil {
		t.Fatal("an empty 1024-slot ring kept its memory")
	}
}

func TestRecvNoncesWindow(t *testing.T) {
	var base key.Nonce
	base[22], base[23] = 0xff, 0xf0 // the low 16 bits wrap soon
	var r recvNonces
	r.reset(base)
	want := base
	for i := range 200000 {
		n, diff := r.candidate(uint16(int(0xfff0) + i))
		if n != want {
			t.Fatalf("packet %d: nonce %x, want %x", i, n, want)
		}
		if !r.accept(diff) {
			t.Fatalf("packet %d refused", i)
		}
		if i%1000 == 0 {
			if _, d := r.candidate(uint16(int(0xfff0) + i)); r.accept(d) {
				t.Fatalf("packet %d accepted twice", i)
			}
		}
		want.Increment()
	}
	if r.base != 8*nonceThreshold { // at packet 43691, then every 21845
		t.Fatalf("receive nonce moved %d", r.base)
	}
	// Far ahead in the window, then everything skipped is still usable once.
	_, d := r.candidate(uint16(0xfff0+200000-0x40000) + 40000)
	if !r.accept(d) {
		t.Fatal("a packet 40000 ahead refused")
	}
	for i := range 40000 {
		_, d := r.candidate(uint16(0xfff0+200000-0x40000) + uint16(i))
		if !r.accept(d) {
			t.Fatalf("skipped packet %d refused", i)
		}
	}
}

func TestFlowWindow(t *testing.T) {
	f := newFlow()
	// srtt+rttvar is 1.5 s before any sample; the ceiling is c-toxcore's
	// default (DEFAULT_PING_CONNECTION).
	if f.resendAfter() != maxResendAfter || maxResendAfter != DefaultRTT {
		t.Fatalf("resendAfter before any sample: %v", f.resendAfter())
	}
	f.sample(t0, 100*time.Millisecond)
	if f.srtt != 100*time.Millisecond || f.minRTT != 100*time.Millisecond {
		t.Fatalf("first sample: %v %v", f.srtt, f.minRTT)
	}
	f.acked(100)
	if f.cwnd != minWindow+100 {
		t.Fatalf("slow start: cwnd %v", f.cwnd)
	}
	f.lost(500)
	f.lost(500) // same episode
	if f.cwnd != (minWindow+100)/2 && f.cwnd != minWindow {
		t.Fatalf("after a loss: cwnd %v", f.cwnd)
	}
	c := f.cwnd
	f.ackedTo(499)
	f.lost(600)
	if f.cwnd != c {
		t.Fatal("halved twice in one episode")
	}
	f.ackedTo(500)
	f.lost(700)
	if f.cwnd != max(c/2, minWindow) {
		t.Fatalf("a new episode did not halve: %v", f.cwnd)
	}
	// Tokens: spent, then refilled by the deadline tokenAt gives.
	now := t0
	for f.take(now) {
	}
	at := f.tokenAt()
	if !at.After(now) || !f.take(at) {
		t.Fatalf("no token at %v", at.Sub(now))
	}
}

func TestUnknownIDs(t *testing.T) {
	l := newLink(t, 31)
	a, b := established(t, l)
	ca := a.conn(b)
	for _, id := range []byte{3, 15, 255} {
		ca.sendData(l.now, ca.send.end, []byte{id, 1, 2})
	}
	l.run(100 * time.Millisecond)
	if b.errs[ErrPacketID] != 3 {
		t.Fatalf("ids 3, 15, 255: %d refused (%v)", b.errs[ErrPacketID], b.errs)
	}
	// A lossless number far past the window, and an ack of packets never
	// sent, are refused without harm.
	ca.sendData(l.now, ca.send.end+RingSize, []byte{64})
	l.run(100 * time.Millisecond)
	if b.errs[ErrWindow] != 1 {
		t.Fatalf("far lossless: %v", b.errs)
	}
	cb := b.conn(a)
	cb.recv.start += 10 // b now "acks" 10 packets a never sent
	cb.recv.end = cb.recv.start
	cb.sendRequest(l.now)
	l.run(100 * time.Millisecond)
	if a.errs[ErrWindow] != 1 {
		t.Fatalf("ack past buffer_end: %v", a.errs)
	}
	cb.recv.start -= 10
	cb.recv.end = cb.recv.start
	exchange(t, l, a, b, 10)
	if errors.Is(ca.Err(), ErrClosed) {
		t.Fatal("closed")
	}
}
