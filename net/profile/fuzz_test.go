package profile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: garbage never panics and only gives this package's errors;
// whatever parses appends to exactly the same bytes and parses again to
// the same profile. Seeded with the goldens and libtoxcore's file; the
// corpus in testdata/fuzz/FuzzParse holds a few more.
func FuzzParse(f *testing.F) {
	for _, g := range goldens {
		b := hx(f, g.hex)
		f.Add(b)
		f.Add(b[:len(b)-3])
	}
	if b, err := os.ReadFile(filepath.Join(vectorDir, vectorPlain)); err == nil {
		f.Add(b)
	} else {
		f.Fatal(err)
	}
	f.Add([]byte{})
	f.Add([]byte(encMagic))
	f.Add(build(keysSection(), section(TypeDHT, []byte{0x0d, 0, 0x59, 1}), section(99, nil)))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(b)
		if err != nil {
			if !clearError(err) {
				t.Fatalf("Parse(%x): error %v wraps no sentinel", b, err)
			}
			if p != nil {
				t.Fatal("Parse returned a profile with its error")
			}
			return
		}
		out, err := p.AppendBinary(nil)
		if err != nil {
			t.Fatalf("parsed profile does not append: %v", err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("round trip changed the bytes:\n in %x\nout %x", b, out)
		}
		q, err := Parse(out)
		if err != nil {
			t.Fatalf("appended profile does not parse: %v", err)
		}
		sameFields(t, q, p)
		// A fresh encoding of the same fields parses to them too.
		p.layout, p.pad = nil, 0
		fresh, err := p.AppendBinary(nil)
		if err != nil {
			t.Fatalf("fresh encoding: %v", err)
		}
		r, err := Parse(fresh)
		if err != nil {
			t.Fatalf("fresh encoding does not parse: %v", err)
		}
		sameFields(t, r, q)
	})
}
