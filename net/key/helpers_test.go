package key_test

import (
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"parley/net/key"
)

// unhex decodes s (spaces allowed, for readability) or fails the test.
func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		tb.Fatalf("bad hex in test table %q: %v", s, err)
	}
	return b
}

func pk(tb testing.TB, s string) key.PublicKey {
	tb.Helper()
	var k key.PublicKey
	if n := copy(k[:], unhex(tb, s)); n != key.Size {
		tb.Fatalf("test key %q has %d bytes", s, n)
	}
	return k
}

func nonce(tb testing.TB, s string) key.Nonce {
	tb.Helper()
	var n key.Nonce
	b := unhex(tb, s)
	if len(b) != key.NonceSize {
		tb.Fatalf("test nonce %q has %d bytes", s, len(b))
	}
	copy(n[:], b)
	return n
}

// fixedReader returns its bytes and then io.EOF.
type fixedReader struct{ b []byte }

func (r *fixedReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
