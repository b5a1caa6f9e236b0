//go:build interop

package crypto_test

import (
	"flag"
	"testing"

	"parley/net/toxtest"
)

var updateGolden = flag.Bool("update", false, "rewrite "+goldenFile+" from the output of testdata/vectors.c")

// TestGoldenFromC builds testdata/vectors.c against c-toxcore 0.2.18's
// static library, compares every vector it prints with Parley, and checks
// that its output equals the checked-in golden file (run with -update to
// rewrite it).
func TestGoldenFromC(t *testing.T) {
	out := toxtest.GoldenFromC(t, "crypto-vectors", "testdata/vectors.c", goldenFile, *updateGolden)
	vs, err := parseVectors(out)
	if err != nil {
		t.Fatalf("interop: vectors output: %v", err)
	}
	checkVectors(t, vs)
}
