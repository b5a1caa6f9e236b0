package crypto_test

import (
	"bytes"
	"errors"
	"testing"

	"parley/net/crypto"
	"parley/net/key"
)

// pair returns a deterministic key pair whose secret key is 32 copies of b.
func pair(b byte) key.Pair {
	var sk key.SecretKey
	for i := range sk {
		sk[i] = b
	}
	return key.PairFromSecret(sk)
}

func testNonce(b byte) key.Nonce {
	var n key.Nonce
	for i := range n {
		n[i] = b + byte(i)
	}
	return n
}

var msgSizes = []int{0, 1, 15, 16, 17, 32, 100, 1024, 1400}

func message(n int) []byte {
	m := make([]byte, n)
	for i := range m {
		m[i] = byte(i*7 + 3)
	}
	return m
}

func TestOverhead(t *testing.T) {
	if crypto.Overhead != 16 {
		t.Fatalf("Overhead = %d, want the 16-byte Poly1305 MAC", crypto.Overhead)
	}
}

func TestBoxRoundTrip(t *testing.T) {
	alice, bob := pair(1), pair(2)
	n := testNonce(9)
	for _, size := range msgSizes {
		msg := message(size)
		sealed := crypto.Seal(nil, msg, &n, &bob.Public, &alice.Secret)
		if len(sealed) != size+crypto.Overhead {
			t.Fatalf("Seal(%d bytes) gave %d bytes, want %d", size, len(sealed), size+crypto.Overhead)
		}
		got, err := crypto.Open(nil, sealed, &n, &alice.Public, &bob.Secret)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("Open(Seal(%d bytes)) = %x, %v", size, got, err)
		}
		// Both sides' precomputed keys are the same key, and the box is
		// the secretbox under it (tox-protocol.md conventions).
		kA := crypto.Precompute(&bob.Public, &alice.Secret)
		kB := crypto.Precompute(&alice.Public, &bob.Secret)
		if kA != kB {
			t.Fatalf("Precompute differs between the two sides: %x, %x", kA, kB)
		}
		if s := crypto.SealShared(nil, msg, &n, &kA); !bytes.Equal(s, sealed) {
			t.Fatalf("SealShared(Precompute) = %x, Seal = %x", s, sealed)
		}
		if got, err := crypto.OpenShared(nil, sealed, &n, &kB); err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("OpenShared of a box = %x, %v", got, err)
		}
	}
}

func TestSealAppends(t *testing.T) {
	alice, bob := pair(1), pair(2)
	n := testNonce(0)
	msg := message(40)
	prefix := []byte("header")
	sealed := crypto.Seal(append([]byte(nil), prefix...), msg, &n, &bob.Public, &alice.Secret)
	if !bytes.HasPrefix(sealed, prefix) {
		t.Fatalf("Seal did not keep the prefix: %x", sealed)
	}
	opened, err := crypto.Open(append([]byte(nil), prefix...), sealed[len(prefix):], &n, &alice.Public, &bob.Secret)
	if err != nil || !bytes.Equal(opened, append(append([]byte(nil), prefix...), msg...)) {
		t.Fatalf("Open(prefix) = %x, %v", opened, err)
	}

	k := crypto.Precompute(&bob.Public, &alice.Secret)
	s := crypto.SealShared(append([]byte(nil), prefix...), msg, &n, &k)
	if !bytes.HasPrefix(s, prefix) || !bytes.Equal(s[len(prefix):], sealed[len(prefix):]) {
		t.Fatalf("SealShared(prefix) = %x", s)
	}
}

// TestOpenRejects flips every bit of a sealed message in turn and tries
// wrong keys, nonces and lengths: each must give ErrDecrypt.
func TestOpenRejects(t *testing.T) {
	alice, bob, eve := pair(1), pair(2), pair(3)
	n := testNonce(5)
	msg := message(33)
	sealed := crypto.Seal(nil, msg, &n, &bob.Public, &alice.Secret)
	k := crypto.Precompute(&alice.Public, &bob.Secret)

	for i := range sealed {
		for bit := 0; bit < 8; bit++ {
			bad := append([]byte(nil), sealed...)
			bad[i] ^= 1 << bit
			if got, err := crypto.Open(nil, bad, &n, &alice.Public, &bob.Secret); !errors.Is(err, crypto.ErrDecrypt) || got != nil {
				t.Fatalf("Open with byte %d bit %d flipped = %x, %v; want ErrDecrypt", i, bit, got, err)
			}
			if _, err := crypto.OpenShared(nil, bad, &n, &k); !errors.Is(err, crypto.ErrDecrypt) {
				t.Fatalf("OpenShared with byte %d bit %d flipped: %v, want ErrDecrypt", i, bit, err)
			}
		}
	}

	wrongNonce := n
	wrongNonce.Increment()
	kEve := crypto.Precompute(&alice.Public, &eve.Secret)
	cases := map[string]func() error{
		"wrong nonce": func() error { _, err := crypto.Open(nil, sealed, &wrongNonce, &alice.Public, &bob.Secret); return err },
		"wrong receiver": func() error {
			_, err := crypto.Open(nil, sealed, &n, &alice.Public, &eve.Secret)
			return err
		},
		"wrong sender": func() error { _, err := crypto.Open(nil, sealed, &n, &eve.Public, &bob.Secret); return err },
		"wrong shared key": func() error {
			_, err := crypto.OpenShared(nil, sealed, &n, &kEve)
			return err
		},
		"shared wrong nonce": func() error { _, err := crypto.OpenShared(nil, sealed, &wrongNonce, &k); return err },
		"truncated": func() error {
			_, err := crypto.Open(nil, sealed[:len(sealed)-1], &n, &alice.Public, &bob.Secret)
			return err
		},
		"extended": func() error {
			_, err := crypto.Open(nil, append(sealed, 0), &n, &alice.Public, &bob.Secret)
			return err
		},
		"MAC only": func() error {
			_, err := crypto.Open(nil, sealed[:crypto.Overhead], &n, &alice.Public, &bob.Secret)
			return err
		},
		"shorter than MAC": func() error { _, err := crypto.OpenShared(nil, sealed[:crypto.Overhead-1], &n, &k); return err },
		"empty":            func() error { _, err := crypto.Open(nil, nil, &n, &alice.Public, &bob.Secret); return err },
		"empty shared":     func() error { _, err := crypto.OpenShared(nil, []byte{}, &n, &k); return err },
	}
	for name, open := range cases {
		if err := open(); !errors.Is(err, crypto.ErrDecrypt) {
			t.Errorf("%s: error = %v, want ErrDecrypt", name, err)
		}
	}
}

func TestSecretboxRoundTrip(t *testing.T) {
	var k crypto.SharedKey
	for i := range k {
		k[i] = byte(200 - i)
	}
	n := testNonce(77)
	for _, size := range msgSizes {
		msg := message(size)
		sealed := crypto.SealShared(nil, msg, &n, &k)
		if len(sealed) != size+crypto.Overhead {
			t.Fatalf("SealShared(%d bytes) gave %d bytes", size, len(sealed))
		}
		got, err := crypto.OpenShared(nil, sealed, &n, &k)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("OpenShared(SealShared(%d bytes)) = %x, %v", size, got, err)
		}
	}
	// A different nonce gives an unrelated ciphertext.
	n2 := n
	n2.Increment()
	a := crypto.SealShared(nil, message(64), &n, &k)
	b := crypto.SealShared(nil, message(64), &n2, &k)
	if bytes.Equal(a[crypto.Overhead:], b[crypto.Overhead:]) {
		t.Fatalf("two nonces gave the same ciphertext")
	}
}
