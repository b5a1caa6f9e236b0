package toxtest

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// cacheVersion changes when the way binaries are built changes, so old
// cache entries are not reused.
const cacheVersion = "toxtest-build-v1"

// baseCFlags are the compiler flags of every build (test-env.md §5).
var baseCFlags = []string{"-O1", "-Wall"}

// toolchain is what BuildC needs from the machine, looked up once.
var toolchain struct {
	once    sync.Once
	err     error
	gcc     string
	version string   // gcc -dumpfullversion
	flags   []string // pkg-config --cflags --libs toxcore
}

// buildMu serialises compiles in this process; across processes the cache
// is safe because each binary is written under a temporary name and renamed.
var buildMu sync.Mutex

func findToolchain() error {
	toolchain.once.Do(func() {
		gcc, err := exec.LookPath("gcc")
		if err != nil {
			toolchain.err = fmt.Errorf("toxtest: gcc not found (%v): install it with apt-get install gcc", err)
			return
		}
		pc, err := exec.LookPath("pkg-config")
		if err != nil {
			toolchain.err = fmt.Errorf("toxtest: pkg-config not found (%v): install it with apt-get install pkg-config", err)
			return
		}
		out, err := exec.Command(pc, "--cflags", "--libs", "toxcore").CombinedOutput()
		if err != nil {
			toolchain.err = fmt.Errorf("toxtest: pkg-config cannot find toxcore (%v: %s): install it with apt-get install libtoxcore-dev",
				err, bytes.TrimSpace(out))
			return
		}
		ver, err := exec.Command(gcc, "-dumpfullversion").Output()
		if err != nil {
			toolchain.err = fmt.Errorf("toxtest: %s -dumpfullversion: %v", gcc, err)
			return
		}
		toolchain.gcc = gcc
		toolchain.version = strings.TrimSpace(string(ver))
		toolchain.flags = strings.Fields(string(out))
	})
	return toolchain.err
}

// BuildC compiles the C program src (a path, normally in the calling
// package's testdata/) with gcc -O1 -Wall and $(pkg-config --cflags --libs
// toxcore), and returns the path of the binary. extraArgs go to gcc after
// src; they may name further .c files. The binary is cached under the user
// cache directory, keyed by the contents of src, of the .h files next to it
// and of every extraArg that names a file, and by the flags and gcc version,
// so a second run does not compile again. A missing gcc, pkg-config or
// libtoxcore-dev, or a compile error, fails the test.
func BuildC(t testing.TB, name, src string, extraArgs ...string) string {
	t.Helper()
	if err := findToolchain(); err != nil {
		t.Fatal(err)
	}
	buildKey, err := hashBuild(name, src, extraArgs)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cacheDir()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, name+"-"+buildKey[:20])
	buildMu.Lock()
	defer buildMu.Unlock()
	if fi, err := os.Stat(bin); err == nil && fi.Mode().IsRegular() {
		return bin
	}
	var suffix [8]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		t.Fatal(err)
	}
	tmp := bin + ".tmp-" + hex.EncodeToString(suffix[:])
	args := append(append([]string(nil), baseCFlags...), "-o", tmp, src)
	args = append(append(args, extraArgs...), toolchain.flags...)
	out, err := exec.Command(toolchain.gcc, args...).CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		t.Fatalf("toxtest: compiling %s failed: %v\ngcc %s\n%s", src, err, strings.Join(args, " "), out)
	}
	if len(out) > 0 {
		t.Logf("toxtest: gcc output for %s:\n%s", src, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		t.Fatalf("toxtest: %v", err)
	}
	return bin
}

// hashBuild returns the hex cache key of a build. File paths do not enter
// it, only base names and contents, so a copy of the same sources in another
// directory hits the same entry.
func hashBuild(name, src string, extraArgs []string) (string, error) {
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s\n", len(s), s) }
	file := func(path string) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("toxtest: build %s: %w", name, err)
		}
		field("file " + filepath.Base(path))
		field(string(data))
		return nil
	}
	field(cacheVersion)
	field(name)
	field(toolchain.version)
	field(strings.Join(baseCFlags, " "))
	field(strings.Join(toolchain.flags, " "))
	if err := file(src); err != nil {
		return "", err
	}
	headers, err := filepath.Glob(filepath.Join(filepath.Dir(src), "*.h"))
	if err != nil {
		return "", fmt.Errorf("toxtest: build %s: %w", name, err)
	}
	for _, hdr := range headers {
		if err := file(hdr); err != nil {
			return "", err
		}
	}
	for _, a := range extraArgs {
		if fi, err := os.Stat(a); err == nil && fi.Mode().IsRegular() {
			if err := file(a); err != nil {
				return "", err
			}
			continue
		}
		field("arg " + a)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// cacheDir is where built binaries live: $XDG_CACHE_HOME/parley-toxtest or
// its platform equivalent, else a directory under the system temp dir.
func cacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "parley-toxtest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("toxtest: cache directory: %w", err)
	}
	return dir, nil
}
