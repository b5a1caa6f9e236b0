package key_test

import (
	"bytes"
	"errors"
	"io"
	"math/big"
	"math/rand/v2"
	"testing"

	"parley/net/key"
)

// nonceModel is the reference for nonce arithmetic: the nonce as a
// big-endian 192-bit integer, plus x, modulo 2^192.
func nonceModel(n key.Nonce, x uint64) key.Nonce {
	v := new(big.Int).SetBytes(n[:])
	v.Add(v, new(big.Int).SetUint64(x))
	v.Mod(v, new(big.Int).Lsh(big.NewInt(1), 8*key.NonceSize))
	var out key.Nonce
	v.FillBytes(out[:])
	return out
}

func TestIncrement(t *testing.T) {
	// In/out pairs from c-toxcore increment_nonce (vectors.txt).
	tests := []struct{ in, out string }{
		{"000000000000000000000000000000000000000000000000", "000000000000000000000000000000000000000000000001"},
		{"0000000000000000000000000000000000000000000000ff", "000000000000000000000000000000000000000000000100"},
		{"00000000000000000000000000000000000000000000ffff", "000000000000000000000000000000000000000000010000"},
		{"00ffffffffffffffffffffffffffffffffffffffffffffff", "010000000000000000000000000000000000000000000000"},
		{"fffffffffffffffffffffffffffffffffffffffffffffffe", "ffffffffffffffffffffffffffffffffffffffffffffffff"},
		// 2^192 - 1 wraps to zero.
		{"ffffffffffffffffffffffffffffffffffffffffffffffff", "000000000000000000000000000000000000000000000000"},
	}
	for _, tt := range tests {
		n := nonce(t, tt.in)
		n.Increment()
		if want := nonce(t, tt.out); n != want {
			t.Errorf("Increment(%s) = %x, want %x", tt.in, n, want)
		}
	}
}

func TestAdd(t *testing.T) {
	// In/x/out triples from c-toxcore increment_nonce_number (vectors.txt).
	tests := []struct {
		in  string
		x   uint32
		out string
	}{
		{"000000000000000000000000000000000000000000000000", 0, "000000000000000000000000000000000000000000000000"},
		{"000000000000000000000000000000000000000000000000", 0x100, "000000000000000000000000000000000000000000000100"},
		{"000000000000000000000000000000000000000000000000", 0xffffffff, "0000000000000000000000000000000000000000ffffffff"},
		{"000000000000000000000000000000000000000000000001", 0xffffffff, "000000000000000000000000000000000000000100000000"},
		{"0000000000000000000000000000000000000000000000ff", 0xffffffff, "0000000000000000000000000000000000000001000000fe"},
		{"00000000000000000000000000000000000000000000ffff", 0x100, "0000000000000000000000000000000000000000000100ff"},
		// A carry out of the low 32 bits that runs through the whole nonce.
		{"ffffffffffffffffffffffffffffffffffffffffffffffff", 1, "000000000000000000000000000000000000000000000000"},
		{"ffffffffffffffffffffffffffffffffffffffffffffffff", 0xffffffff, "0000000000000000000000000000000000000000fffffffe"},
		{"00ffffffffffffffffffffffffffffffffffffff00000000", 0xffffffff, "00ffffffffffffffffffffffffffffffffffffffffffffff"},
		{"00ffffffffffffffffffffffffffffffffffffff00000001", 0xffffffff, "010000000000000000000000000000000000000000000000"},
	}
	for _, tt := range tests {
		n := nonce(t, tt.in)
		n.Add(tt.x)
		if want := nonce(t, tt.out); n != want {
			t.Errorf("Add(%s, %#x) = %x, want %x", tt.in, tt.x, n, want)
		}
	}
}

// TestNonceModel checks Increment and Add against big-integer arithmetic on
// random nonces, many of them with long runs of 0xff so carries go far.
func TestNonceModel(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 5000; i++ {
		var n key.Nonce
		for j := range n {
			n[j] = byte(r.Uint32())
		}
		// A run of 0xff bytes at the low end.
		for j := key.NonceSize - 1 - r.IntN(key.NonceSize+1); j >= 0 && j < key.NonceSize; j++ {
			n[j] = 0xff
		}
		x := r.Uint32()
		switch r.IntN(4) {
		case 0:
			x &= 0xff
		case 1:
			x = 0xffffffff - x&0xff
		}

		got := n
		got.Add(x)
		if want := nonceModel(n, uint64(x)); got != want {
			t.Fatalf("Add(%x, %#x) = %x, want %x", n, x, got, want)
		}
		got = n
		got.Increment()
		if want := nonceModel(n, 1); got != want {
			t.Fatalf("Increment(%x) = %x, want %x", n, got, want)
		}
	}
}

func TestRandomNonce(t *testing.T) {
	src := bytes.Repeat([]byte{1, 2, 3}, 8)
	n, err := key.RandomNonce(&fixedReader{b: src})
	if err != nil {
		t.Fatalf("RandomNonce: %v", err)
	}
	if !bytes.Equal(n[:], src) {
		t.Errorf("RandomNonce(reader) = %x, want the bytes read %x", n, src)
	}
	if _, err := key.RandomNonce(&fixedReader{b: src[:23]}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("RandomNonce(short reader) error = %v, want io.ErrUnexpectedEOF", err)
	}
	a, errA := key.RandomNonce(nil)
	b, errB := key.RandomNonce(nil)
	if errA != nil || errB != nil {
		t.Fatalf("RandomNonce(nil): %v, %v", errA, errB)
	}
	if a == b {
		t.Errorf("RandomNonce(nil) returned %x twice", a)
	}
}
