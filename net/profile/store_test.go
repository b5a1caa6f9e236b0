package profile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustNotExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s exists (%v)", path, err)
	}
}

func TestSaveLoadPlain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.tox")
	p := smallProfile()
	p.Checksum = false
	if err := Save(path, p, ""); err != nil {
		t.Fatal(err)
	}
	if p.Checksum {
		t.Fatal("Save changed its argument")
	}
	mustNotExist(t, path+BackupSuffix)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
	q, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	want := *p
	want.Checksum = true // Save always writes the trailer
	sameFields(t, q, &want)
	if !bytes.Equal(readBytes(t, path), mustAppend(t, &want)) {
		t.Fatal("file is not the profile's bytes")
	}
}

// TestSaveLoadEncrypted: Save derives a key, LoadWithBackup hands it back,
// and SaveWithKey reuses it (same salt, new nonce).
func TestSaveLoadEncrypted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.tox")
	p := smallProfile()
	k := testKey(t)
	if err := SaveWithKey(path, p, k); err != nil {
		t.Fatal(err)
	}
	first := readBytes(t, path)
	if !IsEncrypted(first) {
		t.Fatal("not encrypted")
	}
	l, err := LoadWithBackup(path, testPass)
	if err != nil {
		t.Fatal(err)
	}
	if l.Path != path || l.Backup() || l.Key == nil || l.Key.Salt() != k.Salt() {
		t.Fatalf("LoadWithBackup = %+v", l)
	}
	sameFields(t, l.Profile, p)
	l.Profile.Name = "second"
	if err := SaveWithKey(path, l.Profile, l.Key); err != nil {
		t.Fatal(err)
	}
	second := readBytes(t, path)
	if s, err := Salt(second); err != nil || s != k.Salt() || bytes.Equal(first[:EncryptionOverhead], second[:EncryptionOverhead]) {
		t.Fatalf("second save: salt %x (%v), same nonce %v", s, err, bytes.Equal(first[:EncryptionOverhead], second[:EncryptionOverhead]))
	}
	if !bytes.Equal(readBytes(t, path+BackupSuffix), first) {
		t.Fatal("backup is not the first save")
	}
	q, err := LoadWithKey(path, l.Key)
	if err != nil || q.Name != "second" {
		t.Fatalf("LoadWithKey: %v", err)
	}
	if _, err := Load(path, ""); !errors.Is(err, ErrEncrypted) {
		t.Fatalf("Load without passphrase: %v", err)
	}
}

// TestSaveWithPassphrase: Save with a passphrase writes what Load opens.
func TestSaveWithPassphrase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.tox")
	if err := Save(path, smallProfile(), testPass); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path, testPass)
	if err != nil {
		t.Fatal(err)
	}
	sameFields(t, q, smallProfile())
}

// TestBackupRotation: each save first copies the previous profile to
// the backup.
func TestBackupRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.tox")
	p := smallProfile()
	var saved [][]byte
	for _, name := range []string{"one", "two", "three"} {
		p.Name = name
		if err := Save(path, p, ""); err != nil {
			t.Fatal(err)
		}
		saved = append(saved, readBytes(t, path))
		if len(saved) > 1 && !bytes.Equal(readBytes(t, path+BackupSuffix), saved[len(saved)-2]) {
			t.Fatalf("after saving %q the backup is not the previous profile", name)
		}
	}
	if fi, err := os.Stat(path + BackupSuffix); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup mode %v, %v", fi.Mode(), err)
	}
}

// TestBackupKeepsLastGood: a damaged profile is never copied over the
// backup, and LoadWithBackup offers the backup with the reason.
func TestBackupKeepsLastGood(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.tox")
	p := smallProfile()
	p.Name = "good"
	if err := Save(path, p, ""); err != nil {
		t.Fatal(err)
	}
	good := readBytes(t, path)
	p.Name = "newer"
	if err := Save(path, p, ""); err != nil {
		t.Fatal(err)
	}
	// The newer profile gets damaged on disk.
	bad := readBytes(t, path)
	bad[20] ^= 1
	writeOld(t, path, bad)
	before := stateOf(t, path)

	l, err := LoadWithBackup(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if !l.Backup() || l.Path != path+BackupSuffix || !errors.Is(l.MainErr, ErrCorrupt) || l.Profile.Name != "good" || l.Key != nil {
		t.Fatalf("LoadWithBackup = %+v", l)
	}
	sameState(t, path, before)
	if !bytes.Equal(readBytes(t, path+BackupSuffix), good) {
		t.Fatal("loading changed the backup")
	}

	// The user takes the backup: saving it keeps the backup, since the
	// damaged file is not worth keeping.
	if err := Save(path, l.Profile, ""); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readBytes(t, path+BackupSuffix), good) {
		t.Fatal("a damaged profile was copied over the backup")
	}
	if q, err := Load(path, ""); err != nil || q.Name != "good" {
		t.Fatalf("Load after restoring: %v", err)
	}
}

// TestBackupEncrypted: with the key that wrote it, a damaged encrypted
// profile is recognised and not backed up; a good one is.
func TestBackupEncrypted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.tox")
	k := testKey(t)
	p := smallProfile()
	if err := SaveWithKey(path, p, k); err != nil {
		t.Fatal(err)
	}
	first := readBytes(t, path)
	if err := SaveWithKey(path, p, k); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readBytes(t, path+BackupSuffix), first) {
		t.Fatal("good encrypted profile not backed up")
	}
	bad := readBytes(t, path)
	bad[len(bad)-1] ^= 1
	writeOld(t, path, bad)
	if err := SaveWithKey(path, p, k); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readBytes(t, path+BackupSuffix), first) {
		t.Fatal("damaged encrypted profile was backed up")
	}
}

func TestLoadWithBackupErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.tox")

	// Nothing there: the caller may create a profile.
	if _, err := LoadWithBackup(path, ""); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("no files: %v", err)
	}
	// A damaged profile and no backup: damaged, and never "not exist",
	// or a caller would create a new profile over it.
	writeOld(t, path, []byte("garbage, not a profile"))
	_, err := LoadWithBackup(path, "")
	if !errors.Is(err, ErrNotProfile) || errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("damaged, no backup: %v", err)
	}
	// Both damaged: the profile's error, the backup's in the text only.
	writeOld(t, path+BackupSuffix, mustAppend(t, smallProfile())[:50])
	_, err = LoadWithBackup(path, "")
	if !errors.Is(err, ErrNotProfile) || errors.Is(err, ErrTruncated) {
		t.Fatalf("both damaged: %v", err)
	}
	// An encrypted profile without a passphrase: ask for one; a plain
	// backup (say, from before encryption) is not offered.
	enc, err := testKey(t).Encrypt(mustAppend(t, smallProfile()), nil)
	if err != nil {
		t.Fatal(err)
	}
	writeOld(t, path, enc)
	writeOld(t, path+BackupSuffix, mustAppend(t, smallProfile()))
	if l, err := LoadWithBackup(path, ""); !errors.Is(err, ErrEncrypted) || l.Profile != nil {
		t.Fatalf("encrypted, no passphrase: %+v, %v", l, err)
	}
	// Only the backup: offered, with the reason.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	writeOld(t, path+BackupSuffix, mustAppend(t, smallProfile()))
	l, err := LoadWithBackup(path, "")
	if err != nil || !l.Backup() || !errors.Is(l.MainErr, fs.ErrNotExist) {
		t.Fatalf("backup only: %+v, %v", l, err)
	}
}

// TestSaveInvalidWritesNothing: a profile that cannot be encoded leaves
// the files alone.
func TestSaveInvalidWritesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.tox")
	p := smallProfile()
	if err := Save(path, p, ""); err != nil {
		t.Fatal(err)
	}
	writeOld(t, path, readBytes(t, path))
	before := stateOf(t, path)
	p.Name = string(make([]byte, 200))
	if err := Save(path, p, ""); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Save: %v", err)
	}
	sameState(t, path, before)
	mustNotExist(t, path+BackupSuffix)
	if err := Save(filepath.Join(dir, "missing", "p.tox"), smallProfile(), ""); err == nil {
		t.Fatal("Save into a missing directory succeeded")
	}
}
