package crypto_test

import (
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const ttl = 600 * time.Second // c-toxcore's shared-key timeout (tox-protocol.md §3.1)

// peers returns n distinct public keys.
func peers(n int) []key.PublicKey {
	out := make([]key.PublicKey, n)
	for i := range out {
		out[i] = pair(byte(10 + i)).Public
	}
	return out
}

type cacheCheck struct {
	t            *testing.T
	c            *crypto.SharedKeys
	own          key.SecretKey
	hits, misses uint64
}

// get looks peer up at now and checks the key, and whether it was a hit.
func (cc *cacheCheck) get(now time.Time, peer *key.PublicKey, wantHit bool) {
	cc.t.Helper()
	got := cc.c.Get(now, peer)
	if want := crypto.Precompute(peer, &cc.own); got != want {
		cc.t.Fatalf("Get(%v) = %x, want Precompute = %x", peer.Short(), got, want)
	}
	if wantHit {
		cc.hits++
	} else {
		cc.misses++
	}
	if cc.c.Hits != cc.hits || cc.c.Misses != cc.misses {
		cc.t.Fatalf("Get(%v) at +%v: hits/misses = %d/%d, want %d/%d (expected a %s)",
			peer.Short(), now.Sub(t0), cc.c.Hits, cc.c.Misses, cc.hits, cc.misses,
			map[bool]string{true: "hit", false: "miss"}[wantHit])
	}
}

func newCheck(t *testing.T, max int) *cacheCheck {
	own := pair(1).Secret
	return &cacheCheck{t: t, c: crypto.NewSharedKeys(own, max, ttl), own: own}
}

func TestSharedKeysHitMiss(t *testing.T) {
	cc := newCheck(t, 8)
	p := peers(2)
	cc.get(t0, &p[0], false)
	cc.get(t0, &p[0], true)
	cc.get(t0.Add(time.Second), &p[0], true)
	cc.get(t0, &p[1], false)
	cc.get(t0, &p[1], true)
	if cc.c.Len() != 2 {
		t.Fatalf("Len() = %d, want 2", cc.c.Len())
	}
}

func TestSharedKeysTTL(t *testing.T) {
	cc := newCheck(t, 8)
	p := peers(1)
	cc.get(t0, &p[0], false)
	// Each hit refreshes the entry, so regular use keeps it.
	last := t0
	for i := 0; i < 5; i++ {
		last = last.Add(ttl - time.Nanosecond)
		cc.get(last, &p[0], true)
	}
	// Unused for exactly TTL: recomputed.
	cc.get(last.Add(ttl), &p[0], false)
	cc.get(last.Add(ttl), &p[0], true)
	if cc.c.Len() != 1 {
		t.Fatalf("Len() = %d after re-caching an expired key, want 1", cc.c.Len())
	}
}

func TestSharedKeysBound(t *testing.T) {
	const max = 4
	cc := newCheck(t, max)
	p := peers(20)
	for i := range p {
		cc.get(t0.Add(time.Duration(i)*time.Second), &p[i], false)
		if n := cc.c.Len(); n > max || n != min(i+1, max) {
			t.Fatalf("after %d keys Len() = %d, want %d", i+1, n, min(i+1, max))
		}
	}
	// The newest max keys are the ones kept.
	now := t0.Add(time.Minute)
	for i := len(p) - max; i < len(p); i++ {
		cc.get(now, &p[i], true)
	}

	// max < 1 still caches one key.
	one := newCheck(t, 0)
	one.get(t0, &p[0], false)
	one.get(t0, &p[0], true)
	one.get(t0, &p[1], false)
	if one.c.Len() != 1 {
		t.Fatalf("NewSharedKeys(max 0): Len() = %d, want 1", one.c.Len())
	}
	one.get(t0, &p[1], true)
}

func TestSharedKeysLRU(t *testing.T) {
	cc := newCheck(t, 3)
	p := peers(4)
	a, b, c, d := &p[0], &p[1], &p[2], &p[3]
	cc.get(t0.Add(1*time.Second), a, false)
	cc.get(t0.Add(2*time.Second), b, false)
	cc.get(t0.Add(3*time.Second), c, false)
	cc.get(t0.Add(4*time.Second), a, true) // a is now the most recently used
	cc.get(t0.Add(5*time.Second), d, false)
	// b was least recently used and is gone; a, c and d stay.
	cc.get(t0.Add(6*time.Second), a, true)
	cc.get(t0.Add(7*time.Second), c, true)
	cc.get(t0.Add(8*time.Second), d, true)
	// Now a (used at 6 s) is the least recently used: b's return evicts it.
	cc.get(t0.Add(9*time.Second), b, false)
	cc.get(t0.Add(10*time.Second), c, true)
	cc.get(t0.Add(10*time.Second), d, true)
	cc.get(t0.Add(10*time.Second), b, true)
	cc.get(t0.Add(11*time.Second), a, false)
	if cc.c.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", cc.c.Len())
	}
}

func TestSharedKeysEvictsExpiredFirst(t *testing.T) {
	cc := newCheck(t, 3)
	p := peers(4)
	cc.get(t0, &p[0], false)
	cc.get(t0.Add(ttl/2), &p[1], false)
	cc.get(t0.Add(ttl/2), &p[2], false)
	// p[0] has expired by now; p[1] and p[2] have not. Adding p[3] must
	// drop the expired entry rather than a live one.
	now := t0.Add(ttl + time.Second)
	cc.get(now, &p[3], false)
	cc.get(now, &p[1], true)
	cc.get(now, &p[2], true)
	cc.get(now, &p[3], true)
	cc.get(now, &p[0], false)
}
