package session

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// exchange sends n messages each way and checks both sides get them, in
// order, and ack them.
func exchange(t *testing.T, l *link, a, b *node, n int) {
	t.Helper()
	for _, d := range [][2]*node{{a, b}, {b, a}} {
		from, to := d[0], d[1]
		c := from.conn(to)
		base, acked := len(to.lossless), len(from.acked)
		for i := range n {
			if _, err := c.SendLossless(l.now, msg(i)); err != nil {
				t.Fatalf("%s: send %d: %v", from.name, i, err)
			}
		}
		ok := l.runUntil(30*time.Second, func() bool {
			return len(to.lossless) >= base+n && len(from.acked) >= acked+n
		}, nil)
		if !ok {
			t.Fatalf("%s->%s: %d of %d delivered, %d acked", from.name, to.name, len(to.lossless)-base, n, len(from.acked)-acked)
		}
		for i := range n {
			if !bytes.Equal(to.lossless[base+i], msg(i)) {
				t.Fatalf("%s->%s: message %d is %q", from.name, to.name, i, to.lossless[base+i])
			}
		}
	}
}

// TestLosslessUnderLoss is the acceptance scenario at this layer:
// 10,000 messages under 5% loss, reordering and duplication arrive once
// each, in order, and every packet number is acked once, in order, while
// 2,000 messages flow the other way.
func TestLosslessUnderLoss(t *testing.T) {
	l := newLink(t, 7)
	a, b := established(t, l)
	l.Loss, l.Dup, l.Delay, l.Jitter = 0.05, 0.05, 10*time.Millisecond, 15*time.Millisecond
	const n, back = 10000, 2000
	ca, cb := a.conn(b), b.conn(a)
	var nums []uint32
	sent, sentBack := 0, 0
	step := func() {
		// The application writes in bursts, keeping about 500 in flight.
		for sent < n && ca.Stats().InFlight < 500 {
			pn, err := ca.SendLossless(l.now, msg(sent))
			if err != nil {
				t.Fatalf("send %d: %v", sent, err)
			}
			nums = append(nums, pn)
			sent++
		}
		for sentBack < back && cb.Stats().InFlight < 100 {
			if _, err := cb.SendLossless(l.now, msg(sentBack)); err != nil {
				t.Fatalf("send back %d: %v", sentBack, err)
			}
			sentBack++
		}
	}
	done := func() bool {
		return len(b.lossless) == n && len(a.acked) == n && len(a.lossless) == back && len(b.acked) == back
	}
	start := l.now
	if !l.runUntil(5*time.Minute, done, step) {
		t.Fatalf("delivered %d/%d (acked %d), back %d/%d (acked %d)",
			len(b.lossless), n, len(a.acked), len(a.lossless), back, len(b.acked))
	}
	took := l.now.Sub(start)
	for i := range n {
		if !bytes.Equal(b.lossless[i], msg(i)) {
			t.Fatalf("message %d is %q", i, b.lossless[i])
		}
		if a.acked[i] != nums[i] || nums[i] != uint32(i) {
			t.Fatalf("ack %d is %d, packet number %d", i, a.acked[i], nums[i])
		}
	}
	for i := range back {
		if !bytes.Equal(a.lossless[i], msg(i)) {
			t.Fatalf("message back %d is %q", i, a.lossless[i])
		}
	}
	l.run(5 * time.Second) // nothing more may arrive
	if len(b.lossless) != n || len(a.acked) != n {
		t.Fatalf("after settling: %d delivered, %d acked", len(b.lossless), len(a.acked))
	}
	sa, sb := ca.Stats(), cb.Stats()
	t.Logf("10000 messages in %v simulated; a: %d packets out, %d resent, %d requests out; b: %d dups, %d replays, %d requests out; rtt %v min %v",
		took, sa.PacketsOut, sa.Resent, sa.RequestsOut, sb.Duplicates, sb.Replays, sb.RequestsOut, sa.RTT, sa.MinRTT)
	if sb.Replays == 0 {
		t.Error("the link duplicated packets but no replay was refused")
	}
	if sa.Resent > 3*n/10 {
		t.Errorf("%d resends for %d messages at 5%% loss", sa.Resent, n)
	}
	if ca.State() != StateEstablished || cb.State() != StateEstablished {
		t.Fatalf("states %v %v", ca.State(), cb.State())
	}
}

func TestLossy(t *testing.T) {
	l := newLink(t, 3)
	a, b := established(t, l)
	l.Dup = 0.5
	ca := a.conn(b)
	for i := range 100 {
		if err := ca.SendLossy(l.now, append([]byte{192}, msg(i)[1:]...)); err != nil {
			t.Fatal(err)
		}
	}
	l.run(time.Second)
	if len(b.lossy) != 100 {
		t.Fatalf("%d lossy packets delivered, want 100 (duplicates must be refused)", len(b.lossy))
	}
	for i, d := range b.lossy {
		if d[0] != 192 || !bytes.Equal(d[1:], msg(i)[1:]) {
			t.Fatalf("lossy %d: %q", i, d)
		}
	}
	// Under loss some are lost and none is repeated.
	l.Loss, l.Dup = 0.3, 0.3
	for i := range 1000 {
		if err := ca.SendLossy(l.now, []byte{254, byte(i), byte(i >> 8)}); err != nil {
			t.Fatal(err)
		}
	}
	l.run(time.Second)
	seen := map[[2]byte]bool{}
	for _, d := range b.lossy[100:] {
		k := [2]byte{d[1], d[2]}
		if seen[k] {
			t.Fatalf("lossy packet %v delivered twice", k)
		}
		seen[k] = true
	}
	if n := len(seen); n < 600 || n > 800 {
		t.Fatalf("%d of 1000 lossy packets arrived at 30%% loss", n)
	}
}

func TestSendChecks(t *testing.T) {
	l := newLink(t, 1)
	a, b := l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
	c := a.connect(b)
	if _, err := c.SendLossless(l.now, msg(1)); !errors.Is(err, ErrNotEstablished) {
		t.Fatalf("before established: %v", err)
	}
	if err := c.SendLossy(l.now, []byte{200}); !errors.Is(err, ErrNotEstablished) {
		t.Fatalf("lossy before established: %v", err)
	}
	l.runUntil(time.Second, func() bool { return bothEstablished(a, b) }, nil)
	for _, d := range [][]byte{nil, {15}, {192}, {IDKill}, append([]byte{64}, make([]byte, MaxDataSize)...)} {
		if _, err := c.SendLossless(l.now, d); err == nil {
			t.Errorf("SendLossless(% x...) accepted", d[:min(len(d), 1)])
		}
	}
	for _, d := range [][]byte{nil, {191}, {255}, {1}} {
		if err := c.SendLossy(l.now, d); err == nil {
			t.Errorf("SendLossy(% x) accepted", d)
		}
	}
	if _, err := c.SendLossless(l.now, append([]byte{160}, make([]byte, MaxDataSize-1)...)); err != nil {
		t.Fatalf("largest lossless packet: %v", err)
	}
	if c.SendWindow() <= 0 {
		t.Fatalf("SendWindow %d", c.SendWindow())
	}
}

func TestQueueFull(t *testing.T) {
	l := newLink(t, 1)
	a, b := established(t, l)
	l.Loss = 1 // nothing gets through, so nothing is acked
	c := a.conn(b)
	for i := range RingSize {
		if _, err := c.SendLossless(l.now, []byte{64, byte(i)}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if _, err := c.SendLossless(l.now, []byte{64}); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("send into a full ring: %v", err)
	}
	if c.SendWindow() != 0 {
		t.Fatalf("SendWindow of a full ring: %d", c.SendWindow())
	}
	l.Loss = 0
	if !l.runUntil(time.Minute, func() bool { return len(b.lossless) == RingSize }, nil) {
		t.Fatalf("%d of %d delivered after the link healed", len(b.lossless), RingSize)
	}
}

// TestNonceWrap sends more than 65536 packets, so the 16-bit nonce window
// wraps and the receive nonce moves forward several times.
func TestNonceWrap(t *testing.T) {
	l := newLink(t, 5)
	a, b := established(t, l)
	l.Jitter = 3 * time.Millisecond
	ca, cb := a.conn(b), b.conn(a)
	const n = 70000
	sent := 0
	step := func() {
		for sent < n && ca.Stats().InFlight < 2000 {
			if _, err := ca.SendLossless(l.now, []byte{64, byte(sent), byte(sent >> 8), byte(sent >> 16)}); err != nil {
				t.Fatalf("send %d: %v", sent, err)
			}
			sent++
		}
	}
	if !l.runUntil(10*time.Minute, func() bool { return len(b.lossless) == n }, step) {
		t.Fatalf("%d of %d delivered", len(b.lossless), n)
	}
	for i, d := range b.lossless {
		if d[1] != byte(i) || d[2] != byte(i>>8) || d[3] != byte(i>>16) {
			t.Fatalf("message %d out of order: % x", i, d)
		}
	}
	if moved := cb.recvN.base; moved < 2*nonceThreshold {
		t.Fatalf("receive nonce moved by %d only", moved)
	}
	exchange(t, l, a, b, 10)
}

// TestPacketNumberWrap runs the rings across 2^32.
func TestPacketNumberWrap(t *testing.T) {
	l := newLink(t, 9)
	a, b := established(t, l)
	l.Loss, l.Jitter = 0.05, 5*time.Millisecond
	ca, cb := a.conn(b), b.conn(a)
	// Renumber both rings while no packet is in flight (an old ack in
	// flight would be read against the new numbers).
	if !l.runUntil(5*time.Second, func() bool { return len(l.q) == 0 }, nil) {
		t.Fatal("the link never went quiet")
	}
	start := ^uint32(0) - 300
	ca.send.start, ca.send.end = start, start
	cb.recv.start, cb.recv.end = start, start
	var nums []uint32
	for i := range 1000 {
		pn, err := ca.SendLossless(l.now, msg(i))
		if err != nil {
			t.Fatal(err)
		}
		nums = append(nums, pn)
	}
	if !l.runUntil(time.Minute, func() bool { return len(b.lossless) == 1000 && len(a.acked) == 1000 }, nil) {
		t.Fatalf("%d delivered, %d acked", len(b.lossless), len(a.acked))
	}
	for i := range 1000 {
		if !bytes.Equal(b.lossless[i], msg(i)) || a.acked[i] != nums[i] || nums[i] != start+uint32(i) {
			t.Fatalf("message %d: %q, ack %d, number %d", i, b.lossless[i], a.acked[i], nums[i])
		}
	}
	if !ca.Acked(start) || !ca.Acked(start+999) || ca.Acked(start+1000) {
		t.Fatal("Acked is wrong across the wrap")
	}
}
