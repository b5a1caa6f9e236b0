package profile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"parley/net/key"
)

// The libtoxcore vectors in testdata/libtoxcore were written by
// libtoxcore 0.2.18 through toxpeer (the interop kit) with the state below;
// `go test -tags interop -run TestLibtoxcoreWrites -update-vectors
// ./net/profile` writes them again.
const (
	vectorDir       = "testdata/libtoxcore"
	vectorPlain     = "plain.tox"
	vectorEncrypted = "encrypted.tox" // the same savedata, tox_pass_encrypt'ed
	vectorPass      = "correct horse 🐎 battery"
	vectorName      = "Ünïcødé ✓"
	vectorStatusMsg = "saved & restored"
	vectorRequest   = "hello from libtoxcore"
)

var (
	vectorConfirmed = repeatPK(0x11)                                                       // friend_add_norequest
	vectorPending   = key.ToxID{PublicKey: repeatPK(0x22), Nospam: key.Nospam{1, 2, 3, 4}} // friend_add
)

// vectorProfile is what the vectors hold.
func vectorProfile() *Profile {
	p := testProfile()
	p.Name, p.StatusMessage, p.Status = vectorName, vectorStatusMsg, StatusBusy
	p.Friends = []Friend{
		{Status: FriendConfirmed, PublicKey: vectorConfirmed},
		{Status: FriendAdded, PublicKey: vectorPending.PublicKey, RequestMessage: vectorRequest, RequestNospam: vectorPending.Nospam},
	}
	p.Other = []Section{{Type: TypeConferences}}
	return p
}

func readVector(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLibtoxcoreVectorParses(t *testing.T) {
	b := readVector(t, vectorPlain)
	p := mustParse(t, b)
	sameFields(t, p, vectorProfile())
	// The address toxpeer printed for this identity.
	if got, want := p.Address().String(), testAddress; got != want {
		t.Errorf("address %s, want %s", got, want)
	}
	// libtoxcore pads its savedata with zeros after END: room it reserved
	// for full TCP_RELAY and PATH_NODE sections (8 packed IPv6 nodes each).
	if want := 2 * 8 * 51; p.pad != want {
		t.Errorf("zero padding %d bytes, want %d", p.pad, want)
	}
	if got := mustAppend(t, p); !bytes.Equal(got, b) {
		t.Errorf("round trip changed the libtoxcore file:\n got %x\nwant %x", got, b)
	}
}

// TestLibtoxcoreVectorEdit: changing one field rewrites only its section;
// the sections Parley did not touch keep their bytes.
func TestLibtoxcoreVectorEdit(t *testing.T) {
	b := readVector(t, vectorPlain)
	p := mustParse(t, b)
	p.Name = "renamed"
	got := mustAppend(t, p)
	q := mustParse(t, got)
	want := vectorProfile()
	want.Name = "renamed"
	sameFields(t, q, want)
	old, _, err := walk(b)
	if err != nil {
		t.Fatal(err)
	}
	secs, _, err := walk(got)
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != len(old) {
		t.Fatalf("%d sections, want %d", len(secs), len(old))
	}
	for i := range secs {
		if secs[i].typ != old[i].typ {
			t.Errorf("section %d is %v, was %v", i, secs[i].typ, old[i].typ)
		}
		if secs[i].typ != TypeName && !bytes.Equal(secs[i].data, old[i].data) {
			t.Errorf("untouched section %v changed", secs[i].typ)
		}
	}
	if !bytes.Equal(got[len(got)-p.pad:], make([]byte, p.pad)) {
		t.Error("zero padding not kept")
	}
}

// TestLibtoxcoreVectorDecrypts is the fixed toxencryptsave vector: Parley
// opens what tox_pass_encrypt wrote, and, given the same salt and nonce,
// encrypts to the same bytes.
func TestLibtoxcoreVectorDecrypts(t *testing.T) {
	plain := readVector(t, vectorPlain)
	enc := readVector(t, vectorEncrypted)
	if !IsEncrypted(enc) || len(enc) != len(plain)+EncryptionOverhead {
		t.Fatalf("vector: encrypted %v, %d bytes for %d plain", IsEncrypted(enc), len(enc), len(plain))
	}
	got, err := Decrypt(enc, vectorPass)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, plain) {
		t.Fatal("decrypted vector differs from the plain one")
	}
	// Encrypt reads the salt, then the nonce.
	again, err := Encrypt(plain, vectorPass, &fixedReader{b: bytes.Clone(enc[len(encMagic) : len(encMagic)+SaltSize+nonceSize])})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, enc) {
		t.Fatal("Encrypt with libtoxcore's salt and nonce gives other bytes")
	}
	if _, err := Decrypt(enc, vectorPass+"!"); err != ErrWrongPassphrase {
		t.Errorf("wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
}
