package crypto

import (
	"time"

	"parley/net/key"
)

// SharedKeys caches beforenm(peer, own) for one own secret key. It holds at
// most Max entries and forgets entries unused for TTL (c-toxcore keeps 600
// s). It is not safe for concurrent use: its owner goroutine holds it.
type SharedKeys struct {
	pre     *Precomputer
	max     int
	ttl     time.Duration
	entries map[key.PublicKey]*cacheEntry
	// Hits and Misses count lookups, for benchmarks and tests.
	Hits, Misses uint64
}

type cacheEntry struct {
	k    SharedKey
	used time.Time
}

// NewSharedKeys returns a cache for own with room for max keys.
func NewSharedKeys(own key.SecretKey, max int, ttl time.Duration) *SharedKeys {
	if max < 1 {
		max = 1
	}
	return &SharedKeys{pre: NewPrecomputer(own), max: max, ttl: ttl, entries: make(map[key.PublicKey]*cacheEntry)}
}

// Get returns beforenm(peer, own), computing and caching it when absent.
func (c *SharedKeys) Get(now time.Time, peer *key.PublicKey) SharedKey {
	if e, ok := c.entries[*peer]; ok && now.Sub(e.used) < c.ttl {
		e.used = now
		c.Hits++
		return e.k
	}
	c.Misses++
	k := c.pre.Precompute(peer)
	if len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[*peer] = &cacheEntry{k: k, used: now}
	return k
}

// Len returns the number of cached keys.
func (c *SharedKeys) Len() int { return len(c.entries) }

// evict drops expired entries, or the least recently used one if none expired.
func (c *SharedKeys) evict(now time.Time) {
	var oldest key.PublicKey
	var oldestT time.Time
	first := true
	for pk, e := range c.entries {
		if now.Sub(e.used) >= c.ttl {
			delete(c.entries, pk)
			continue
		}
		if first || e.used.Before(oldestT) {
			oldest, oldestT, first = pk, e.used, false
		}
	}
	if len(c.entries) >= c.max && !first {
		delete(c.entries, oldest)
	}
}
