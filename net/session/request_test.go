package session

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// specGenerate is §6.4's sender-side walk, written from the spec, over a
// receive ring given as received[i] for the slots [buffer_start,
// buffer_end).
func specGenerate(received []bool) []byte {
	out := []byte{IDRequest}
	n := 1
	for _, ok := range received {
		if len(out) >= MaxDataSize {
			break
		}
		if !ok {
			out = append(out, byte(n))
			n = 0
		} else if n == 255 {
			out = append(out, 0)
			n = 0
		}
		n++
	}
	return out
}

// specApply is §6.4's receiver-side walk over a send ring of size slots:
// it returns the slots named (to resend) and the slots passed over
// (freed).
func specApply(list []byte, size int) (named, freed []int) {
	list = list[1:]
	n := 1
	for i := 0; i < size && len(list) > 0; i++ {
		if n == int(list[0]) {
			named = append(named, i)
			list = list[1:]
			n = 0
		} else {
			freed = append(freed, i)
		}
		if n == 255 {
			n = 1
			if len(list) == 0 || list[0] != 0 {
				return nil, nil // c-toxcore rejects the packet
			}
			list = list[1:]
		} else {
			n++
		}
	}
	return named, freed
}

func TestRequestMatchesSpecWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 2000 {
		size := rng.IntN(3000)
		lossPct := []int{0, 1, 5, 50, 100}[iter%5]
		received := make([]bool, size)
		var r Request
		for i := range received {
			received[i] = rng.IntN(100) >= lossPct
			if !received[i] {
				r.Missing = append(r.Missing, uint32(i))
			}
		}
		r.Covered = uint32(size)
		got, err := r.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		want := specGenerate(received)
		if !slices.Equal(got, want) {
			t.Fatalf("iter %d: encoder\n got %x\nwant %x", iter, got, want)
		}
		// What the spec's receiver does with it must match our parse.
		named, freed := specApply(want, size+rng.IntN(600))
		p, err := ParseRequest(want)
		if err != nil {
			t.Fatal(err)
		}
		var pNamed, pFreed []int
		for i, m := 0, 0; i < int(p.Covered); i++ {
			if m < len(p.Missing) && p.Missing[m] == uint32(i) {
				pNamed = append(pNamed, i)
				m++
			} else {
				pFreed = append(pFreed, i)
			}
		}
		if !slices.Equal(named, pNamed) {
			t.Fatalf("iter %d: named %v, spec %v", iter, pNamed, named)
		}
		// The spec walk stops at the ring's end; ours reports Covered.
		if !slices.Equal(freed, pFreed[:min(len(pFreed), len(freed))]) {
			t.Fatalf("iter %d: freed differ", iter)
		}
		// Everything we named as missing really is, within what was sent.
		for _, m := range p.Missing {
			if received[m] {
				t.Fatalf("iter %d: slot %d named but received", iter, m)
			}
		}
	}
}
