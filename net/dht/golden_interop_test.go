//go:build interop

package dht

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update", false, "rewrite "+goldenFile+" from the output of testdata/vectors.c")

// buildVectors compiles testdata/vectors.c against the static libtoxcore.a
// (the internal functions it calls are not exported by libtoxcore.so).
func buildVectors(ctx context.Context, t *testing.T) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Fatalf("interop: gcc is needed to build testdata/vectors.c: %v", err)
	}
	pkgConfig, err := exec.LookPath("pkg-config")
	if err != nil {
		t.Fatalf("interop: pkg-config is needed to find libtoxcore: %v", err)
	}
	query := func(args ...string) []string {
		out, err := exec.CommandContext(ctx, pkgConfig, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("interop: pkg-config %s failed (is libtoxcore-dev installed?): %v\n%s",
				strings.Join(args, " "), err, out)
		}
		return strings.Fields(string(out))
	}
	cflags := query("--cflags", "toxcore")
	libdir := query("--variable=libdir", "toxcore")
	if len(libdir) != 1 {
		t.Fatalf("interop: pkg-config --variable=libdir toxcore gave %q", libdir)
	}
	archive := filepath.Join(libdir[0], "libtoxcore.a")
	if _, err := os.Stat(archive); err != nil {
		t.Fatalf("interop: the static library is needed for c-toxcore's internal functions: %v", err)
	}
	var libs []string
	for _, f := range query("--static", "--libs", "toxcore") {
		if f != "-ltoxcore" {
			libs = append(libs, f)
		}
	}
	exe := filepath.Join(t.TempDir(), "vectors")
	args := append([]string{"-std=c11", "-D_DEFAULT_SOURCE", "-O1", "-Wall", "-o", exe, "testdata/vectors.c"}, cflags...)
	args = append(append(args, archive), libs...)
	cmd := exec.CommandContext(ctx, gcc, args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("interop: %s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return exe
}

// TestGoldenFromC rebuilds testdata/vectors.c against c-toxcore 0.2.18,
// checks its packets against Parley, and checks that its output equals the
// checked-in golden file (run with -update to rewrite it).
func TestGoldenFromC(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	exe := buildVectors(ctx, t)
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, exe)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("interop: running vectors: %v\n%s", err, stderr.Bytes())
	}
	vs, err := parseVectors(out)
	if err != nil {
		t.Fatalf("interop: vectors output: %v", err)
	}
	checkVectors(t, vs)
	if *updateGolden {
		if err := os.WriteFile(goldenFile, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("reading golden vectors: %v", err)
	}
	if !bytes.Equal(out, want) {
		t.Fatalf("vectors.c output differs from %s (rerun with -update if vectors.c changed on purpose)", goldenFile)
	}
}
