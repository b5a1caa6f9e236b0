package toxtest

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

// peerSources are toxpeer's C files. They are embedded so that tests in any
// package (whose working directory is their own) can build the peer.
//
//go:embed testdata/toxpeer*.c testdata/toxpeer*.h
var peerSources embed.FS

var peerBinary struct {
	sync.Mutex
	path string
}

// PeerBinary builds toxpeer (every testdata/toxpeer*.c) with BuildC and
// returns its path. StartPeer calls it; it is exported for tests that want
// to run the binary themselves.
func PeerBinary(t testing.TB) string {
	t.Helper()
	peerBinary.Lock()
	defer peerBinary.Unlock()
	if peerBinary.path != "" {
		return peerBinary.path
	}
	// The sources are written out on every first call in a process; BuildC
	// keys its cache on their contents, so this rarely compiles.
	dir := t.TempDir()
	names, err := fs.Glob(peerSources, "testdata/toxpeer*")
	if err != nil {
		t.Fatal(err)
	}
	var cfiles []string
	for _, n := range names {
		data, err := peerSources.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.Base(n))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(p) == ".c" && filepath.Base(p) != "toxpeer.c" {
			cfiles = append(cfiles, p)
		}
	}
	sort.Strings(cfiles)
	peerBinary.path = BuildC(t, "toxpeer", filepath.Join(dir, "toxpeer.c"), cfiles...)
	return peerBinary.path
}
