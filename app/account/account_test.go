package account

import (
	"errors"
	"testing"

	"parley/net/profile"
)

func TestCreateOpenList(t *testing.T) {
	dir := t.TempDir()
	if _, err := Create(dir, " ", ""); !errors.Is(err, ErrNoName) {
		t.Errorf("Create(blank) = %v, want ErrNoName", err)
	}
	if _, err := Create(dir, "../x", ""); !errors.Is(err, ErrBadName) {
		t.Errorf("Create(../x) = %v, want ErrBadName", err)
	}
	plain, err := Create(dir, "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := Create(dir, "bob", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Create(dir, "alice", ""); !errors.Is(err, ErrExists) {
		t.Errorf("Create(alice) again = %v, want ErrExists", err)
	}
	list, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "alice" || list[0].Encrypted || list[1].Name != "bob" || !list[1].Encrypted {
		t.Fatalf("List = %+v", list)
	}
	a, err := Open(dir, "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Profile().Keys != plain.Profile().Keys || a.Profile().Name != "alice" {
		t.Error("reopened plain profile differs")
	}
	if _, err := Open(dir, "bob", ""); !errors.Is(err, profile.ErrEncrypted) {
		t.Errorf("Open(bob, no pass) = %v, want ErrEncrypted", err)
	}
	if _, err := Open(dir, "bob", "wrong"); !errors.Is(err, profile.ErrWrongPassphrase) {
		t.Errorf("Open(bob, wrong) = %v, want ErrWrongPassphrase", err)
	}
	b, err := Open(dir, "bob", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if b.Profile().Keys != enc.Profile().Keys || !b.Encrypted() {
		t.Error("reopened encrypted profile differs")
	}
	if _, err := Open(dir, "carol", ""); !errors.Is(err, ErrNoProfile) {
		t.Errorf("Open(carol) = %v, want ErrNoProfile", err)
	}
}
