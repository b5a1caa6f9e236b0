package friend

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"parley/net/key"
)

func randomKeys(tb testing.TB, n int) []key.PublicKey {
	tb.Helper()
	buf := make([]byte, n*key.Size)
	if _, err := rand.Read(buf); err != nil {
		tb.Fatal(err)
	}
	keys := make([]key.PublicKey, n)
	for i := range keys {
		copy(keys[i][:], buf[i*key.Size:])
		keys[i][key.Size-1] &= 0x7f // a valid Curve25519 public key
	}
	return keys
}

// checkBounds fails if a guard structure outgrew its configured bound.
func checkBounds(t *testing.T, m *Manager) {
	t.Helper()
	g := &m.guard
	if g.recent.len() > m.cfg.RecentSenders || len(g.recent.keys) != m.cfg.RecentSenders {
		t.Errorf("recent senders: %d remembered in %d slots, bound %d", g.recent.len(), len(g.recent.keys), m.cfg.RecentSenders)
	}
	if len(g.pending) > m.cfg.MaxPendingRequests {
		t.Errorf("pending requests: %d, bound %d", len(g.pending), m.cfg.MaxPendingRequests)
	}
	if bound := 4*m.cfg.MaxPendingRequests + 256; len(g.queue) > bound {
		t.Errorf("pending queue: %d entries, bound %d", len(g.queue), bound)
	}
}

// TestRequestFlood: 100,000 requests from random keys with our nospam,
// one per millisecond (100 s). The rate limit lets a handful through, the
// rest cost a few map lookups each, and nothing grows.
func TestRequestFlood(t *testing.T) {
	h := newHarness(t)
	m := h.b.m
	const n = 100_000
	keys := randomKeys(t, n)
	now := h.now
	for i, k := range keys {
		err := m.HandleFriendRequest(now, k, h.b.nospam, []byte("spam"))
		if err != nil && !errors.Is(err, ErrRateLimited) {
			t.Fatalf("request %d: %v", i, err)
		}
		now = now.Add(time.Millisecond)
	}
	elapsed := now.Sub(h.now)
	maxDelivered := uint64(DefaultRequestBurst) + uint64(elapsed/DefaultRequestInterval)
	st := m.Stats()
	if st.RequestsDelivered > maxDelivered || st.RequestsDelivered < maxDelivered-1 {
		t.Errorf("delivered %d of %d in %v, want about %d", st.RequestsDelivered, n, elapsed, maxDelivered)
	}
	if st.RequestsDelivered+st.RequestsRateLimited != n {
		t.Errorf("stats %+v do not add up to %d", st, n)
	}
	if got := len(eventsOf[RequestReceived](h.b.take())); uint64(got) != st.RequestsDelivered {
		t.Errorf("%d events for %d delivered", got, st.RequestsDelivered)
	}
	checkBounds(t, m)

	// A genuine sender after the flood still gets through once the bucket
	// has refilled.
	later := now.Add(DefaultRequestInterval)
	if err := m.HandleFriendRequest(later, h.a.pair.Public, h.b.nospam, []byte("real")); err != nil {
		t.Errorf("a real request after the flood: %v", err)
	}
}

// TestRequestFloodUnlimited: with the rate limit opened wide every request
// is delivered, and still the recent-senders ring and the pending set stay
// within their bounds (the oldest pending requests are forgotten).
func TestRequestFloodUnlimited(t *testing.T) {
	h := &harness{t: t, now: t0}
	h.b = newPeer(t, h, "B", 0xbb, func(c *Config) {
		c.RequestBurst = 1 << 30
		c.RecentSenders = 512
		c.MaxPendingRequests = 64
	})
	m := h.b.m
	const n = 100_000
	keys := randomKeys(t, n)
	for i, k := range keys {
		if err := m.HandleFriendRequest(h.now, k, h.b.nospam, []byte("spam")); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if i%1000 == 0 {
			m.Events() // a node loop drains events as it goes
			checkBounds(t, m)
		}
	}
	checkBounds(t, m)
	if got := m.Stats().PendingEvicted; got != n-64 {
		t.Errorf("evicted %d pending requests, want %d", got, n-64)
	}
	// The newest are the ones kept, oldest first.
	p := m.PendingRequests()
	if len(p) != 64 || p[0].From != keys[n-64] || p[63].From != keys[n-1] {
		t.Errorf("pending kept %d, first %v", len(p), p[0].From.Short())
	}
	// A repeat of a recent sender is still caught, an old one (pushed out
	// of the ring) is not.
	if err := m.HandleFriendRequest(h.now, keys[n-1], h.b.nospam, []byte("x")); !errors.Is(err, ErrRepeatedRequest) {
		t.Errorf("repeat of the newest sender: %v", err)
	}
	if err := m.HandleFriendRequest(h.now, keys[0], h.b.nospam, []byte("x")); err != nil {
		t.Errorf("a sender long forgotten: %v", err)
	}
}

// TestRequestChurn: requests declined or accepted as fast as they come
// leave no residue.
func TestRequestChurn(t *testing.T) {
	h := &harness{t: t, now: t0}
	h.b = newPeer(t, h, "B", 0xbb, func(c *Config) { c.RequestBurst = 1 << 30; c.MaxPendingRequests = 8 })
	m := h.b.m
	keys := randomKeys(t, 10_001)
	for i, k := range keys {
		if err := m.HandleFriendRequest(h.now, k, h.b.nospam, []byte("hi")); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			continue // answered with the next one, so two are pending at times
		}
		if err := m.Decline(keys[i-1]); err != nil {
			t.Fatal(err)
		}
		if err := m.Accept(k); err != nil {
			t.Fatal(err)
		}
		checkBounds(t, m)
	}
	if got := m.Stats().PendingEvicted; got != 0 {
		t.Errorf("%d evicted although answered", got)
	}
	if p := m.PendingRequests(); len(p) != 1 || p[0].From != keys[10_000] {
		t.Errorf("pending %d, want only the last", len(p))
	}
	if n := len(m.Friends()); n != 5000 {
		t.Errorf("%d friends, want 5000", n)
	}
}

// TestRequestFloodWrongNospam: requests with a wrong nospam store nothing.
func TestRequestFloodWrongNospam(t *testing.T) {
	h := newHarness(t)
	m := h.b.m
	for _, k := range randomKeys(t, 10_000) {
		if err := m.HandleFriendRequest(h.now, k, key.Nospam{}, []byte("spam")); !errors.Is(err, ErrBadNospam) {
			t.Fatal(err)
		}
	}
	if m.guard.recent.len() != 0 || len(m.guard.pending) != 0 || m.guard.bucket.tokens != DefaultRequestBurst {
		t.Error("wrong-nospam requests left a trace")
	}
}

func TestTokenBucket(t *testing.T) {
	b := tokenBucket{burst: 3, tokens: 3, interval: time.Second, last: t0}
	take := func(at time.Duration) bool { return b.take(t0.Add(at)) }
	for i := 0; i < 3; i++ {
		if !take(10 * time.Second) {
			t.Fatalf("burst token %d refused", i)
		}
	}
	if take(10 * time.Second) {
		t.Fatal("4th token at once")
	}
	if take(10*time.Second + 999*time.Millisecond) {
		t.Fatal("token before the interval")
	}
	if !take(11 * time.Second) {
		t.Fatal("no token after the interval")
	}
	if take(5 * time.Second) {
		t.Fatal("time going backwards refilled")
	}
	if !take(time.Hour) || !take(time.Hour) || !take(time.Hour) || take(time.Hour) {
		t.Fatal("a long pause must refill exactly the burst")
	}
}

// BenchmarkRequestFlood measures one request of a flood from random keys
// with our nospam, all but a few rate-limited: the steady cost of an
// attack.
func BenchmarkRequestFlood(b *testing.B) {
	h := &harness{now: t0}
	pair, err := key.NewPair(nil)
	if err != nil {
		b.Fatal(err)
	}
	nospam := key.Nospam{1, 2, 3, 4}
	m, err := New(Config{Self: pair.Public, Nospam: nospam}, h.now)
	if err != nil {
		b.Fatal(err)
	}
	keys := randomKeys(b, 1<<16)
	msg := []byte("spam spam spam")
	b.ReportAllocs()
	b.ResetTimer()
	now := h.now
	for i := 0; i < b.N; i++ {
		if err := m.HandleFriendRequest(now, keys[i&(1<<16-1)], nospam, msg); err != nil && !errors.Is(err, ErrRateLimited) && !errors.Is(err, ErrRepeatedRequest) {
			b.Fatal(err)
		}
		now = now.Add(time.Microsecond)
		if i&1023 == 0 {
			m.Events()
		}
	}
	b.ReportMetric(float64(m.guard.recent.len()), "recent")
	b.ReportMetric(float64(len(m.guard.pending)), "pending")
}

// BenchmarkRequestFloodAdmitted is the worst case: the rate limit opened
// wide, so every request is delivered, remembered and kept pending (with
// the oldest evicted).
func BenchmarkRequestFloodAdmitted(b *testing.B) {
	pair, err := key.NewPair(nil)
	if err != nil {
		b.Fatal(err)
	}
	nospam := key.Nospam{1, 2, 3, 4}
	m, err := New(Config{Self: pair.Public, Nospam: nospam, RequestBurst: 1 << 30}, t0)
	if err != nil {
		b.Fatal(err)
	}
	keys := randomKeys(b, 1<<16)
	msg := []byte("spam spam spam")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := m.HandleFriendRequest(t0, keys[i&(1<<16-1)], nospam, msg); err != nil && !errors.Is(err, ErrRepeatedRequest) {
			b.Fatal(err)
		}
		if i&1023 == 0 {
			m.Events()
		}
	}
	b.ReportMetric(float64(m.guard.recent.len()), "recent")
	b.ReportMetric(float64(len(m.guard.pending)), "pending")
}
