package friend

import (
	"time"

	"parley/net/key"
)

// requestGuard keeps incoming friend requests cheap whatever arrives: every
// check is O(1) and every structure has a fixed bound, so a flood costs a
// few map lookups per request and no memory growth.
//
//   - bucket: a token bucket; a request that passes every other check
//     still needs a token (RequestBurst at once, then one per
//     RequestInterval).
//   - recent: the last RecentSenders keys whose request was delivered, in
//     a ring; their repeats are ignored (c-toxcore's request_received,
//     with a ring of 32).
//   - pending: the delivered requests not yet accepted or declined, at
//     most MaxPendingRequests; the oldest is forgotten to make room.
type requestGuard struct {
	bucket  tokenBucket
	recent  recentRing
	pending map[key.PublicKey]pendingRequest
	maxPend int
	seq     uint64
	// queue holds the pending keys in arrival order from head on; an entry
	// whose seq no longer matches pending (accepted, declined, evicted) is
	// stale and skipped. Compaction keeps it under 2·MaxPendingRequests+64
	// entries, so eviction and listing are amortized O(1) per request.
	queue []queued
	head  int
}

type pendingRequest struct {
	msg string
	seq uint64 // arrival number; matches the key's live queue entry
}

type queued struct {
	pk  key.PublicKey
	seq uint64
}

func (g *requestGuard) init(cfg Config, now time.Time) {
	g.bucket = tokenBucket{burst: cfg.RequestBurst, tokens: cfg.RequestBurst, interval: cfg.RequestInterval, last: now}
	g.recent = recentRing{keys: make([]key.PublicKey, cfg.RecentSenders), used: make([]bool, cfg.RecentSenders), index: map[key.PublicKey]int{}}
	g.pending = map[key.PublicKey]pendingRequest{}
	g.maxPend = cfg.MaxPendingRequests
}

// live reports whether queue entry q is still a pending request.
func (g *requestGuard) live(q queued) bool {
	p, ok := g.pending[q.pk]
	return ok && p.seq == q.seq
}

// addPending stores a delivered request and reports whether the oldest
// one had to be forgotten to make room.
func (g *requestGuard) addPending(pk key.PublicKey, msg string) (evicted bool) {
	for len(g.pending) >= g.maxPend && g.head < len(g.queue) {
		q := g.queue[g.head]
		g.head++
		if g.live(q) {
			delete(g.pending, q.pk)
			evicted = true
		}
	}
	g.seq++
	g.pending[pk] = pendingRequest{msg: msg, seq: g.seq}
	g.queue = append(g.queue, queued{pk, g.seq})
	if len(g.queue)-g.head > 2*g.maxPend+64 || g.head > 64 && g.head > len(g.queue)/2 {
		kept := g.queue[:0]
		for _, q := range g.queue[g.head:] {
			if g.live(q) {
				kept = append(kept, q)
			}
		}
		g.queue, g.head = kept, 0
	}
	return evicted
}

// pendingInOrder returns the pending requests, oldest first.
func (g *requestGuard) pendingInOrder() []RequestReceived {
	out := make([]RequestReceived, 0, len(g.pending))
	for _, q := range g.queue[g.head:] {
		if g.live(q) {
			out = append(out, RequestReceived{From: q.pk, Message: g.pending[q.pk].msg})
		}
	}
	return out
}

func (g *requestGuard) dropPending(pk key.PublicKey) { delete(g.pending, pk) }

// forget removes every trace of pk, so a new request from it is delivered
// (c-toxcore's remove_request_received, called when a friend is deleted).
func (g *requestGuard) forget(pk key.PublicKey) {
	g.recent.remove(pk)
	delete(g.pending, pk)
}

// tokenBucket admits burst events at once, then one per interval. Time
// going backwards refills nothing.
type tokenBucket struct {
	burst, tokens int
	interval      time.Duration
	last          time.Time // when the tokens were last counted
}

func (b *tokenBucket) take(now time.Time) bool {
	if b.tokens < b.burst && now.After(b.last) {
		n := now.Sub(b.last) / b.interval
		if n > 0 {
			b.tokens = int(min(int64(b.burst), int64(b.tokens)+int64(n)))
			b.last = b.last.Add(n * b.interval)
		}
	}
	if b.tokens == 0 {
		return false
	}
	if b.tokens == b.burst {
		b.last = now // a full bucket starts refilling from its first use
	}
	b.tokens--
	return true
}

// recentRing remembers the last len(keys) keys added.
type recentRing struct {
	keys  []key.PublicKey
	used  []bool
	next  int
	index map[key.PublicKey]int // key -> its slot
}

func (r *recentRing) has(pk key.PublicKey) bool { _, ok := r.index[pk]; return ok }

func (r *recentRing) len() int { return len(r.index) }

func (r *recentRing) add(pk key.PublicKey) {
	if len(r.keys) == 0 || r.has(pk) {
		return
	}
	if r.used[r.next] {
		delete(r.index, r.keys[r.next])
	}
	r.keys[r.next], r.used[r.next] = pk, true
	r.index[pk] = r.next
	r.next = (r.next + 1) % len(r.keys)
}

func (r *recentRing) remove(pk key.PublicKey) {
	if i, ok := r.index[pk]; ok {
		delete(r.index, pk)
		r.used[i] = false
		r.keys[i] = key.PublicKey{}
	}
}
