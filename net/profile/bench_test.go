package profile

import (
	"path/filepath"
	"testing"
)

func BenchmarkDeriveKey(b *testing.B) {
	var salt [SaltSize]byte
	for b.Loop() {
		if _, err := DeriveKey("passphrase", salt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseLibtoxcore(b *testing.B) {
	data := readVector(b, vectorPlain)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendLibtoxcore(b *testing.B) {
	p := mustParse(b, readVector(b, vectorPlain))
	buf := make([]byte, 0, 8192)
	for b.Loop() {
		if _, err := p.AppendBinary(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveWithKey: one encrypted save with a reused key: backup
// copy, two atomic writes with fsync.
func BenchmarkSaveWithKey(b *testing.B) {
	k := testKey(b)
	p := smallProfile()
	path := filepath.Join(b.TempDir(), "p.tox")
	for b.Loop() {
		if err := SaveWithKey(path, p, k); err != nil {
			b.Fatal(err)
		}
	}
}
