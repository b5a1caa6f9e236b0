package crypto

import (
	"math/rand/v2"
	"testing"

	"parley/net/key"
)

func TestPrecomputerMatchesPrecompute(t *testing.T) {
	r := rand.NewChaCha8([32]byte{7})
	for i := 0; i < 64; i++ {
		own, err := key.NewPair(r)
		if err != nil {
			t.Fatal(err)
		}
		peer, err := key.NewPair(r)
		if err != nil {
			t.Fatal(err)
		}
		p := NewPrecomputer(own.Secret)
		if got, want := p.Precompute(&peer.Public), Precompute(&peer.Public, &own.Secret); got != want {
			t.Fatalf("pair %d: Precomputer %x != Precompute %x", i, got, want)
		}
	}
	// A low-order point (all zero) behaves as Precompute does.
	var zero key.PublicKey
	own := key.PairFromSecret(key.SecretKey{1})
	if got, want := NewPrecomputer(own.Secret).Precompute(&zero), Precompute(&zero, &own.Secret); got != want {
		t.Fatalf("low-order point: %x != %x", got, want)
	}
}

func BenchmarkPrecomputer(b *testing.B) {
	own := key.PairFromSecret(key.SecretKey{1})
	peer := key.PairFromSecret(key.SecretKey{2})
	p := NewPrecomputer(own.Secret)
	for b.Loop() {
		p.Precompute(&peer.Public)
	}
}
