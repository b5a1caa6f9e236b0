package toxtest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BuildStatic compiles src against the static libtoxcore.a, for programs
// that call c-toxcore's internal functions (libtoxcore.so exports only the
// public API), and returns the cached binary's path.
func BuildStatic(t testing.TB, name, src string, extraArgs ...string) string {
	t.Helper()
	query := func(args ...string) []string {
		out, err := exec.Command("pkg-config", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("toxtest: pkg-config %s failed (apt-get install libtoxcore-dev pkg-config): %v\n%s",
				strings.Join(args, " "), err, out)
		}
		return strings.Fields(string(out))
	}
	libdir := query("--variable=libdir", "toxcore")
	if len(libdir) != 1 {
		t.Fatalf("toxtest: pkg-config --variable=libdir toxcore gave %q", libdir)
	}
	archive := filepath.Join(libdir[0], "libtoxcore.a")
	if _, err := os.Stat(archive); err != nil {
		t.Fatalf("toxtest: c-toxcore's internal functions need the static library (libtoxcore-dev): %v", err)
	}
	args := append([]string{"-std=c11", "-D_DEFAULT_SOURCE", archive}, extraArgs...)
	// libtoxcore.a's own dependencies (libsodium, libopus, libvpx, pthread).
	for _, f := range query("--static", "--libs", "toxcore") {
		if f != "-ltoxcore" {
			args = append(args, f)
		}
	}
	return BuildC(t, name, src, args...)
}

// GoldenFromC builds src statically (BuildStatic), runs it, and checks its
// output equals goldenFile, the vectors checked in for tests that run
// without libtoxcore; with update it rewrites goldenFile instead. It
// returns the program's output for the caller to compare with Parley.
func GoldenFromC(t testing.TB, name, src, goldenFile string, update bool) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	exe := BuildStatic(t, name, src)
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, exe)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("toxtest: running %s: %v\n%s", src, err, stderr.Bytes())
	}
	if update {
		if err := os.WriteFile(goldenFile, out, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", goldenFile)
		return out
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("reading golden vectors: %v", err)
	}
	if !bytes.Equal(out, want) {
		got, exp := strings.Split(string(out), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(got), len(exp)); i++ {
			var g, e string
			if i < len(got) {
				g = got[i]
			}
			if i < len(exp) {
				e = exp[i]
			}
			if g != e {
				t.Fatalf("%s output differs from %s at line %d (rerun with -update if %s changed on purpose):\n got %q\nwant %q",
					src, goldenFile, i+1, src, g, e)
			}
		}
	}
	return out
}
