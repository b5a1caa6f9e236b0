package profile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// smallProfile is a Parley-written profile with a bit of everything.
func smallProfile() *Profile {
	p := testProfile()
	p.Name, p.StatusMessage, p.Status = "Parley", "hi", StatusAway
	p.Friends = []Friend{{Status: FriendConfirmed, PublicKey: repeatPK(0x11), Name: "Al", LastSeen: 1_700_000_000}}
	p.DHTNodes = []wire.Node{node(0x41, "192.0.2.1:33445", false)}
	p.Checksum = true
	return p
}

// clearError reports whether err is one of the errors a damaged profile
// may give.
func clearError(err error) bool {
	for _, s := range []error{ErrNotProfile, ErrTruncated, ErrCorrupt, ErrKeyMismatch, ErrWrongPassphrase, ErrEncrypted} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// damaged calls f with every single-byte change of b (each byte xor 0x01
// and xor 0xff) and its offset.
func damaged(b []byte, f func(off int, d []byte)) {
	damagedAt(b, func(int) bool { return true }, []byte{0x01, 0xff}, f)
}

// damagedAt is damaged for the offsets where pick is true and the given
// xor masks.
func damagedAt(b []byte, pick func(off int) bool, masks []byte, f func(off int, d []byte)) {
	d := bytes.Clone(b)
	for i := range d {
		if !pick(i) {
			continue
		}
		for _, x := range masks {
			d[i] ^= x
			f(i, d)
			d[i] ^= x
		}
	}
}

// sampled picks the first and last 64 bytes of an n-byte file and every
// 37th byte between: the file tests below write the file for each change,
// and Load's path does not depend on which byte it is (the Parse tests
// above try every byte).
func sampled(n int) func(off int) bool {
	return func(off int) bool { return off < 64 || off >= n-64 || off%37 == 0 }
}

// TestFlippedBytePlain: every flipped byte of a profile Parley wrote (with
// its checksum) gives a clear error.
func TestFlippedBytePlain(t *testing.T) {
	b := mustAppend(t, smallProfile())
	damaged(b, func(off int, d []byte) {
		if p, err := Parse(d); err == nil || !clearError(err) {
			t.Fatalf("byte %d of %d changed to %#02x: Parse = %v, %v", off, len(b), d[off], p != nil, err)
		}
	})
}

// TestFlippedByteNoChecksum: without the checksum (a libtoxcore file) a
// flipped byte may go unnoticed, but never panics, and what parses writes
// back the damaged bytes exactly: Parley does not quietly change them.
func TestFlippedByteNoChecksum(t *testing.T) {
	b := readVector(t, vectorPlain)
	b = b[:len(b)-816+8] // most of the zero padding would only cost time
	var errs, ok int
	// Every byte of the headers and small sections; one in 5 of the two
	// 2216-byte friend records, mostly zeros, to keep -race quick.
	secs, _, err := walk(b)
	if err != nil || secs[2].typ != TypeFriends {
		t.Fatalf("vector sections %v, %v", secs, err)
	}
	fr := secs[2]
	friends := func(off int) bool { return off >= fr.off && off < fr.off+len(fr.data) }
	pick := func(off int) bool { return !friends(off) || off%5 == 0 }
	damagedAt(b, pick, []byte{0xff}, func(off int, d []byte) {
		p, err := Parse(d)
		if err != nil {
			if !clearError(err) {
				t.Fatalf("byte %d: unclear error %v", off, err)
			}
			errs++
			return
		}
		ok++
		if got := mustAppend(t, p); !bytes.Equal(got, d) {
			t.Fatalf("byte %d: damaged file parsed, but appends to other bytes", off)
		}
	})
	t.Logf("%d changes rejected, %d parsed (texts, keys of friends, nospam...)", errs, ok)
}

// TestFlippedByteEncrypted: every flipped byte of an encrypted profile
// gives a clear error: the magic, then the authenticator.
func TestFlippedByteEncrypted(t *testing.T) {
	k := testKey(t)
	enc, err := k.Encrypt(mustAppend(t, smallProfile()), nil)
	if err != nil {
		t.Fatal(err)
	}
	damaged(enc, func(off int, d []byte) {
		_, err := DecodeWithKey(d, k)
		want := ErrWrongPassphrase
		if off < len(encMagic) {
			want = ErrNotProfile // no longer an encrypted profile
		}
		if !errors.Is(err, want) {
			t.Fatalf("byte %d changed: %v, want %v", off, err, want)
		}
	})
}

// TestTruncated: a profile cut at any length gives a clear error; cut
// exactly before its checksum trailer, it is complete and loads as is.
func TestTruncated(t *testing.T) {
	p := smallProfile()
	b := mustAppend(t, p)
	for n := range len(b) {
		q, err := Parse(b[:n])
		if n == len(b)-checksumSize {
			if err != nil {
				t.Fatalf("cut before the checksum: %v", err)
			}
			want := *p
			want.Checksum = false
			sameFields(t, q, &want)
			continue
		}
		if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrNotProfile) {
			t.Fatalf("cut to %d of %d bytes: %v", n, len(b), err)
		}
	}
	k := testKey(t)
	enc, err := k.Encrypt(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(enc) {
		_, err := DecodeWithKey(enc[:n], k)
		want := ErrTruncated
		if n > EncryptionOverhead {
			want = ErrWrongPassphrase // cannot be told from damage
		}
		if !errors.Is(err, want) {
			t.Fatalf("encrypted profile cut to %d of %d bytes: %v, want %v", n, len(enc), err, want)
		}
	}
}

// fileState is what Load must not change.
type fileState struct {
	data    []byte
	mtime   time.Time
	entries []string
}

func stateOf(t *testing.T, path string) fileState {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return fileState{data, fi.ModTime(), names}
}

func sameState(t *testing.T, path string, before fileState) {
	t.Helper()
	after := stateOf(t, path)
	if !bytes.Equal(after.data, before.data) || !after.mtime.Equal(before.mtime) {
		t.Fatalf("%s changed (mtime %v -> %v)", path, before.mtime, after.mtime)
	}
	if len(after.entries) != len(before.entries) {
		t.Fatalf("directory was %v, now %v", before.entries, after.entries)
	}
}

// writeOld writes data to path with an old mtime, so that any write shows.
func writeOld(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

// TestLoadDamagedLeavesFile: loading a damaged, cut or wrongly keyed
// profile fails clearly and writes nothing: same bytes, same mtime, no new
// file (a backup included).
func TestLoadDamagedLeavesFile(t *testing.T) {
	plain := mustAppend(t, smallProfile())
	k := testKey(t)
	enc, err := k.Encrypt(plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "p.tox")
	try := func(what string, data []byte, load func() error) {
		t.Helper()
		writeOld(t, path, data)
		before := stateOf(t, path)
		if err := load(); !clearError(err) {
			t.Fatalf("%s: Load error %v", what, err)
		}
		sameState(t, path, before)
	}
	damagedAt(plain, sampled(len(plain)), []byte{0xff}, func(off int, d []byte) {
		try("plain, flipped byte", d, func() error { _, err := Load(path, ""); return err })
	})
	damagedAt(enc, sampled(len(enc)), []byte{0xff}, func(off int, d []byte) {
		try("encrypted, flipped byte", d, func() error { _, err := LoadWithKey(path, k); return err })
	})
	for n := 0; n < len(plain)-checksumSize; n += 97 {
		try("plain, cut", plain[:n], func() error { _, err := Load(path, ""); return err })
	}
	for n := 0; n < len(enc); n += 97 {
		try("encrypted, cut", enc[:n], func() error { _, err := LoadWithKey(path, k); return err })
	}
	// Through the passphrase (each costs a key derivation).
	try("wrong passphrase", enc, func() error { _, err := Load(path, "wrong"); return err })
	try("no passphrase", enc, func() error { _, err := Load(path, ""); return err })
	salted := bytes.Clone(enc)
	salted[len(encMagic)+3] ^= 0x10
	try("damaged salt", salted, func() error { _, err := Load(path, testPass); return err })
	try("LoadWithBackup, no backup", salted, func() error { _, err := LoadWithBackup(path, testPass); return err })
}

// TestKeyMismatchFile: a profile whose keys do not match is refused.
func TestKeyMismatchFile(t *testing.T) {
	p := testProfile()
	p.Keys.Public = key.PublicKey(bytes.Repeat([]byte{7}, 32))
	b := build(section(TypeNospamKeys, append(append(append([]byte{}, p.Nospam[:]...), p.Keys.Public[:]...), p.Keys.Secret[:]...)))
	if _, err := Parse(b); !errors.Is(err, ErrKeyMismatch) {
		t.Fatalf("Parse: %v", err)
	}
}
