package account

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"parley/net/profile"
)

func TestImport(t *testing.T) {
	src := t.TempDir()
	plain, err := Create(src, "qtox user", "")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := Create(src, "secret", "pw")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, err := Import(dir, plain.Path(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	pa, pp := a.Profile(), plain.Profile()
	if a.Name != "qtox user" || pa.Address() != pp.Address() || a.Encrypted() {
		t.Fatalf("imported %q %s (encrypted %v)", a.Name, pa.Address(), a.Encrypted())
	}
	if _, err := Import(dir, plain.Path(), "", ""); !errors.Is(err, ErrExists) {
		t.Errorf("second import = %v, want ErrExists", err)
	}
	if _, err := Import(dir, enc.Path(), "", ""); !errors.Is(err, profile.ErrEncrypted) {
		t.Errorf("encrypted without passphrase = %v", err)
	}
	if _, err := Import(dir, enc.Path(), "", "nope"); !errors.Is(err, profile.ErrWrongPassphrase) {
		t.Errorf("wrong passphrase = %v", err)
	}
	b, err := Import(dir, enc.Path(), "Mine", "pw")
	if err != nil || !b.Encrypted() {
		t.Fatalf("encrypted import: %v", err)
	}
	if _, err := Open(dir, "Mine", "pw"); err != nil {
		t.Errorf("reopening the import: %v", err)
	}
	if _, err := Import(dir, filepath.Join(src, "missing.tox"), "", ""); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file = %v", err)
	}
}
