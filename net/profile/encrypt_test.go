package profile

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
)

// Key derivation costs ~0.15 s (over 1 s under -race), so tests share one.
const testPass = "tëst passphrase"

var (
	testKeyOnce sync.Once
	testKeyVal  *PassKey
	testKeyErr  error
)

// testKey is a PassKey for testPass with salt 0x5a×32.
func testKey(t testing.TB) *PassKey {
	t.Helper()
	testKeyOnce.Do(func() {
		var salt [SaltSize]byte
		copy(salt[:], bytes.Repeat([]byte{0x5a}, SaltSize))
		testKeyVal, testKeyErr = DeriveKey(testPass, salt)
	})
	if testKeyErr != nil {
		t.Fatal(testKeyErr)
	}
	return testKeyVal
}

func TestEncryptRoundTrip(t *testing.T) {
	plain := mustAppend(t, testProfile())
	k := testKey(t)
	a, err := k.Encrypt(plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := k.Encrypt(plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !IsEncrypted(a) || len(a) != len(plain)+EncryptionOverhead || bytes.Equal(a, b) {
		t.Fatalf("two encryptions: %d and %d bytes, equal %v", len(a), len(b), bytes.Equal(a, b))
	}
	if s, err := Salt(a); err != nil || s != k.Salt() {
		t.Fatalf("Salt = %x, %v", s, err)
	}
	for _, enc := range [][]byte{a, b} {
		got, err := k.Decrypt(enc)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("PassKey.Decrypt: %v", err)
		}
	}
	// The passphrase alone opens it too (one more derivation).
	got, err := Decrypt(a, testPass)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Decrypt: %v", err)
	}
	p, k2, err := Decode(b, testPass)
	if err != nil || k2 == nil || k2.Salt() != k.Salt() {
		t.Fatalf("Decode: %v, key %v", err, k2)
	}
	sameFields(t, p, testProfile())
}

// goldenEncrypted is "Tox profile" encrypted with testPass, salt 0x5a×32
// and nonce 0x01..0x18, as testdata/encvector.c computes it with libsodium
// and checks it with libtoxcore's tox_pass_decrypt (the interop test
// TestEncryptVectorFromLibsodium runs it again).
const goldenEncrypted = `
	746f784573617665                                  # "toxEsave"
	5a*32                                             # salt
	0102030405060708090a0b0c0d0e0f101112131415161718  # nonce
	da11bf5bbdbf47ac32f8040127560b96                  # MAC
	8af397571a869823bd67d7                            # "Tox profile"
`

func TestEncryptFixedVector(t *testing.T) {
	k := testKey(t)
	nonce := hx(t, "0102030405060708090a0b0c0d0e0f101112131415161718")
	enc, err := k.Encrypt([]byte("Tox profile"), &fixedReader{b: nonce})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(enc, hx(t, "746f784573617665 5a*32 0102030405060708090a0b0c0d0e0f101112131415161718")) {
		t.Fatalf("header %x", enc[:64])
	}
	got, err := k.Decrypt(enc)
	if err != nil || string(got) != "Tox profile" {
		t.Fatalf("Decrypt = %q, %v", got, err)
	}
	if want := hx(t, goldenEncrypted); !bytes.Equal(enc, want) {
		t.Fatalf("Encrypt:\n got %x\nwant %x", enc, want)
	}
}

func TestDecryptErrors(t *testing.T) {
	k := testKey(t)
	enc, err := k.Encrypt([]byte("x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	other := bytes.Clone(enc)
	other[len(encMagic)] ^= 1 // another salt
	for _, c := range []struct {
		name string
		b    []byte
		want error
	}{
		{"plain", mustAppend(t, testProfile()), ErrNotProfile},
		{"nothing", nil, ErrNotProfile},
		{"magic only", []byte(encMagic), ErrTruncated},
		{"no ciphertext", enc[:EncryptionOverhead], ErrTruncated},
		{"damaged", append(enc[:len(enc)-1:len(enc)-1], enc[len(enc)-1]^1), ErrWrongPassphrase},
		{"another salt", other, ErrWrongPassphrase},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := k.Decrypt(c.b); !errors.Is(err, c.want) {
				t.Fatalf("Decrypt error %v, want %v", err, c.want)
			}
		})
	}
	if _, err := k.Encrypt(nil, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("encrypting nothing: %v", err)
	}
	if _, err := k.Encrypt([]byte("x"), &fixedReader{}); err == nil {
		t.Error("Encrypt without randomness succeeded")
	}
	if !strings.Contains(ErrWrongPassphrase.Error(), "wrong passphrase or damaged file") {
		t.Errorf("message %q", ErrWrongPassphrase)
	}
}

func TestDecodeErrors(t *testing.T) {
	k := testKey(t)
	plain := mustAppend(t, testProfile())
	enc, err := k.Encrypt(plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Decode(enc, ""); !errors.Is(err, ErrEncrypted) {
		t.Errorf("Decode without passphrase: %v", err)
	}
	if _, err := DecodeWithKey(enc, nil); !errors.Is(err, ErrEncrypted) {
		t.Errorf("DecodeWithKey without key: %v", err)
	}
	if _, _, err := Decode(enc, testPass+"x"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Decode with a wrong passphrase: %v", err)
	}
	p, k2, err := Decode(plain, "unused")
	if err != nil || k2 != nil {
		t.Errorf("Decode(plain) = %v, key %v", err, k2)
	}
	sameFields(t, p, testProfile())
	// A valid encryption of something that is not a profile.
	junk, err := k.Encrypt([]byte("not a profile"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeWithKey(junk, k); !errors.Is(err, ErrNotProfile) {
		t.Errorf("DecodeWithKey(junk): %v", err)
	}
}
