package crypto_test

import (
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
)

func BenchmarkSharedKeysHit(b *testing.B) {
	c := crypto.NewSharedKeys(pair(1).Secret, 1024, ttl)
	p := peers(64)
	for i := range p {
		c.Get(t0, &p[i])
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Get(t0, &p[i%len(p)])
		i++
	}
	if c.Misses != uint64(len(p)) {
		b.Fatalf("%d misses, want only the %d warm-up ones", c.Misses, len(p))
	}
}

// BenchmarkSharedKeysMissFull measures a miss in a full cache: a
// Precompute plus the eviction scan over max entries.
func BenchmarkSharedKeysMissFull(b *testing.B) {
	const max = 1024
	c := crypto.NewSharedKeys(pair(1).Secret, max, ttl)
	p := make([]key.PublicKey, 2*max)
	for i := range p {
		p[i] = pair(1).Public
		p[i][0], p[i][1] = byte(i), byte(i>>8)
	}
	now := t0
	for i := 0; i < max; i++ {
		c.Get(now, &p[i])
	}
	b.ReportAllocs()
	i := max
	for b.Loop() {
		now = now.Add(time.Millisecond)
		c.Get(now, &p[i%len(p)])
		i++
	}
}

func BenchmarkPrecompute(b *testing.B) {
	alice, bob := pair(1), pair(2)
	for b.Loop() {
		crypto.Precompute(&bob.Public, &alice.Secret)
	}
}

func BenchmarkSealShared1KB(b *testing.B) {
	alice, bob := pair(1), pair(2)
	k := crypto.Precompute(&bob.Public, &alice.Secret)
	n := testNonce(0)
	msg := message(1024)
	out := make([]byte, 0, len(msg)+crypto.Overhead)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		out = crypto.SealShared(out[:0], msg, &n, &k)
		n.Increment()
	}
}

func BenchmarkOpenShared1KB(b *testing.B) {
	alice, bob := pair(1), pair(2)
	k := crypto.Precompute(&bob.Public, &alice.Secret)
	n := testNonce(0)
	msg := message(1024)
	sealed := crypto.SealShared(nil, msg, &n, &k)
	out := make([]byte, 0, len(msg))
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if out, err = crypto.OpenShared(out[:0], sealed, &n, &k); err != nil {
			b.Fatal(err)
		}
	}
}
