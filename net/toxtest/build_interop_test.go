//go:build interop

package toxtest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"parley/net/toxtest"
)

func TestBuildCCachesBinaries(t *testing.T) {
	t.Parallel()
	bin := toxtest.BuildC(t, "toxversion", "testdata/toxversion.c")
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	if v := strings.TrimSpace(string(out)); v != "0.2.18" {
		t.Errorf("libtoxcore version %q, want 0.2.18 (tox-protocol.md §13)", v)
	}
	before, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	if again := toxtest.BuildC(t, "toxversion", "testdata/toxversion.c"); again != bin {
		t.Errorf("second build went to %s, want the cached %s", again, bin)
	}
	after, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("second build rewrote the cached binary")
	}
	if other := toxtest.BuildC(t, "toxversion", "testdata/toxversion.c", "-DTOXTEST_FLAG=1"); other == bin {
		t.Error("a build with other flags reused the cached binary")
	}
}
