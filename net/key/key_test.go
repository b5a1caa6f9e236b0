package key_test

import (
	"bytes"
	"errors"
	"io"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"parley/net/key"
)

func TestPairFromSecret(t *testing.T) {
	tests := []struct{ name, sk, pk string }{
		// RFC 7748 §6.1, Alice's and Bob's key pairs.
		{"rfc7748-alice",
			"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
			"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"},
		{"rfc7748-bob",
			"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
			"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"},
		// c-toxcore 0.2.18 tox_self_get_public_key after loading these secret
		// keys (net/crypto/testdata/vectors.txt).
		{"toxcore-zero",
			"0000000000000000000000000000000000000000000000000000000000000000",
			"2fe57da347cd62431528daac5fbb290730fff684afc4cfc2ed90995f58cb3b74"},
		{"toxcore-random",
			"77f26ec1688fbf0e6b28289fd41a927090e4b0b022947e5df7c5c0363e4c5b30",
			"2580f59c06fec24191bfcfd2810fcb7828e6209b5975e8cb546c8c9edc8d9f60"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sk key.SecretKey
			copy(sk[:], unhex(t, tt.sk))
			p := key.PairFromSecret(sk)
			if p.Secret != sk {
				t.Errorf("Secret = %x, want %x", p.Secret, sk)
			}
			if want := pk(t, tt.pk); p.Public != want {
				t.Errorf("Public = %x, want %x", p.Public, want)
			}
		})
	}
}

func TestNewPair(t *testing.T) {
	seed := bytes.Repeat([]byte{0x42}, key.Size)
	p, err := key.NewPair(&fixedReader{b: seed})
	if err != nil {
		t.Fatalf("NewPair: %v", err)
	}
	var sk key.SecretKey
	copy(sk[:], seed)
	if want := key.PairFromSecret(sk); p != want {
		t.Errorf("NewPair(reader) = %+v, want PairFromSecret of the bytes read %+v", p, want)
	}

	if _, err := key.NewPair(&fixedReader{b: seed[:10]}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("NewPair(short reader) error = %v, want io.ErrUnexpectedEOF", err)
	}

	a, err := key.NewPair(nil)
	if err != nil {
		t.Fatalf("NewPair(nil): %v", err)
	}
	b, err := key.NewPair(nil)
	if err != nil {
		t.Fatalf("NewPair(nil): %v", err)
	}
	if a == b || a.Public.IsZero() {
		t.Errorf("NewPair(nil) twice gave %v and %v", a.Public, b.Public)
	}
	if key.PairFromSecret(a.Secret) != a {
		t.Errorf("NewPair(nil) public key does not match its secret key")
	}
}

func TestPublicKeyText(t *testing.T) {
	const lower = "2fe57da347cd62431528daac5fbb290730fff684afc4cfc2ed90995f58cb3b74"
	k := pk(t, lower)
	if got, want := k.String(), strings.ToUpper(lower); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := k.Short(); got != "2FE57DA3" {
		t.Errorf("Short() = %q, want 2FE57DA3", got)
	}
	for _, s := range []string{lower, strings.ToUpper(lower), k.String()} {
		got, err := key.ParsePublicKey(s)
		if err != nil || got != k {
			t.Errorf("ParsePublicKey(%q) = %v, %v; want %v", s, got, err, k)
		}
	}
	if k.IsZero() || !(key.PublicKey{}).IsZero() {
		t.Errorf("IsZero wrong: %v for %v, %v for zero", k.IsZero(), k, (key.PublicKey{}).IsZero())
	}

	bad := []string{
		"",
		lower[:63],
		lower + "0",
		lower[:62] + "zz",
		" " + lower[1:],
	}
	for _, s := range bad {
		if _, err := key.ParsePublicKey(s); !errors.Is(err, key.ErrBadKey) {
			t.Errorf("ParsePublicKey(%q) error = %v, want ErrBadKey", s, err)
		}
	}
}

func TestCommonPrefixBits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var a key.PublicKey
	for i := range a {
		a[i] = byte(r.Uint32())
	}
	if got := key.CommonPrefixBits(&a, &a); got != 255 {
		t.Errorf("CommonPrefixBits(a, a) = %d, want the cap 255", got)
	}
	for bit := 0; bit < 256; bit++ {
		b := a
		b[bit/8] ^= 0x80 >> (bit % 8)
		// Bits after the first difference must not matter.
		for j := bit + 1; j < 256; j++ {
			if r.IntN(2) == 1 {
				b[j/8] ^= 0x80 >> (j % 8)
			}
		}
		if got := key.CommonPrefixBits(&a, &b); got != bit {
			t.Errorf("keys first differing at bit %d: CommonPrefixBits = %d", bit, got)
		}
		if got := key.CommonPrefixBits(&b, &a); got != bit {
			t.Errorf("keys first differing at bit %d: CommonPrefixBits(b, a) = %d", bit, got)
		}
	}
}

func TestDistanceTable(t *testing.T) {
	zero := key.PublicKey{}
	one := key.PublicKey{31: 1}
	two := key.PublicKey{31: 2}
	top := key.PublicKey{0: 0x80}
	tests := []struct {
		name       string
		base, a, b key.PublicKey
		want       int
	}{
		{"equal", zero, one, one, 0},
		{"a is base", one, one, two, -1},
		{"b is base", two, one, two, 1},
		{"last byte", zero, one, two, -1},
		{"last byte reversed", zero, two, one, 1},
		{"first bit dominates", zero, top, two, 1},
		// XOR, not numeric difference: from base 3, 1 is at distance 2
		// and 4 at distance 7, although |3-4| < |3-1|.
		{"xor not subtraction", key.PublicKey{31: 3}, key.PublicKey{31: 1}, key.PublicKey{31: 4}, -1},
	}
	for _, tt := range tests {
		if got := key.Distance(&tt.base, &tt.a, &tt.b); got != tt.want {
			t.Errorf("%s: Distance = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestDistanceModel compares Distance with the XOR metric computed on big
// integers, over random keys that often share long prefixes.
func TestDistanceModel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	randKey := func() key.PublicKey {
		var k key.PublicKey
		for i := range k {
			k[i] = byte(r.Uint32())
		}
		return k
	}
	xor := func(x, y *key.PublicKey) *big.Int {
		var d [key.Size]byte
		for i := range d {
			d[i] = x[i] ^ y[i]
		}
		return new(big.Int).SetBytes(d[:])
	}
	for i := 0; i < 2000; i++ {
		base, a, b := randKey(), randKey(), randKey()
		// Share a random-length prefix so that ties go deep.
		n := r.IntN(key.Size + 1)
		copy(a[:n], base[:n])
		copy(b[:n], base[:n])
		if r.IntN(8) == 0 {
			b = a
		}
		want := xor(&base, &a).Cmp(xor(&base, &b))
		if got := key.Distance(&base, &a, &b); got != want {
			t.Fatalf("Distance(%v, %v, %v) = %d, want %d", base, a, b, got, want)
		}
		if got := key.Distance(&base, &b, &a); got != -want {
			t.Fatalf("Distance not antisymmetric for %v %v %v", base, a, b)
		}
	}
}
