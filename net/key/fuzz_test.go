package key_test

import (
	"errors"
	"strings"
	"testing"

	"parley/net/key"
)

// FuzzParseToxID checks that every accepted string is an ID modulo case,
// prefix and surrounding space (parse -> String -> parse gives the same
// ID, and the canonical form appears in the input), and that every
// rejection is one of the three documented errors.
func FuzzParseToxID(f *testing.F) {
	for _, g := range toxIDGoldens {
		f.Add(g.addr)
		f.Add("tox:" + strings.ToUpper(g.addr))
		f.Add(" tox://" + g.addr + "\n")
		f.Add(g.addr[:75])
		f.Add(g.addr[:75] + "0")
	}
	f.Add("")
	f.Add("tox:")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := key.ParseToxID(s)
		if err != nil {
			if !errors.Is(err, key.ErrIDLength) && !errors.Is(err, key.ErrIDHex) && !errors.Is(err, key.ErrIDChecksum) {
				t.Fatalf("ParseToxID(%q) error %v is none of ErrIDLength, ErrIDHex, ErrIDChecksum", s, err)
			}
			return
		}
		canon := id.String()
		if !strings.Contains(strings.ToUpper(s), canon) {
			t.Fatalf("ParseToxID(%q) accepted an input that does not contain its ID %s", s, canon)
		}
		for _, again := range []string{canon, id.URI()} {
			id2, err := key.ParseToxID(again)
			if err != nil {
				t.Fatalf("ParseToxID(%q) (from %q): %v", again, s, err)
			}
			if id2 != id {
				t.Fatalf("round trip of %q: %v then %v", s, id, id2)
			}
		}
		b := id.Bytes()
		if id3, err := key.ParseToxIDBytes(b[:]); err != nil || id3 != id {
			t.Fatalf("ParseToxIDBytes(Bytes()) = %v, %v; want %v", id3, err, id)
		}
	})
}

// FuzzNonceAdd checks Add against repeated Increment for small x, against
// big-integer arithmetic modulo 2^192 for any x, and checks that two Adds
// equal one Add of the sum whenever the uint32 sum does not overflow.
func FuzzNonceAdd(f *testing.F) {
	ff := strings.Repeat("\xff", key.NonceSize)
	f.Add([]byte(ff), uint32(1), uint32(0))
	f.Add([]byte(ff), uint32(0xffffffff), uint32(0))
	f.Add(make([]byte, key.NonceSize), uint32(0xffffffff), uint32(1))
	f.Add([]byte("\x00"+ff[1:]), uint32(300), uint32(0x7fffffff))
	f.Add([]byte(strings.Repeat("\x00", 20)+"\xff\xff\xff\x00"), uint32(0x100), uint32(0xff))
	f.Fuzz(func(t *testing.T, in []byte, x, y uint32) {
		var n key.Nonce
		copy(n[:], in) // shorter inputs are zero-padded, longer ones cut

		got := n
		got.Add(x)
		if want := nonceModel(n, uint64(x)); got != want {
			t.Fatalf("Add(%x, %#x) = %x, want %x", n, x, got, want)
		}

		// x Increments, for x small enough to loop over.
		small := x % 1024
		inc, add := n, n
		for i := uint32(0); i < small; i++ {
			inc.Increment()
		}
		add.Add(small)
		if inc != add {
			t.Fatalf("Add(%x, %d) = %x but %d Increments give %x", n, small, add, small, inc)
		}

		if sum := uint64(x) + uint64(y); sum <= 0xffffffff {
			two, one := n, n
			two.Add(x)
			two.Add(y)
			one.Add(uint32(sum))
			if two != one {
				t.Fatalf("Add(%#x) then Add(%#x) = %x, but Add(%#x) = %x", x, y, two, sum, one)
			}
		}

		// Add(x) then Add(2^32 - x) is +2^32: the low 32 bits come back
		// and the carry lands in byte 19.
		if x != 0 {
			back := n
			back.Add(x)
			back.Add(-x)
			want := nonceModel(n, 1<<32)
			if back != want {
				t.Fatalf("Add(%#x) then Add(%#x) = %x, want n + 2^32 = %x", x, -x, back, want)
			}
		}
	})
}
