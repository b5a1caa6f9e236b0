//go:build interop

package profile

import (
	"bytes"
	"encoding/hex"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"parley/net/key"
	"parley/net/toxtest"
	"parley/net/wire"
)

var updateVectors = flag.Bool("update-vectors", false, "rewrite testdata/libtoxcore with what libtoxcore writes")

// TestLibtoxcoreWritesParleyReads: Parley loads what libtoxcore saved,
// plain and tox_pass_encrypt'ed, and writes it back byte for byte.
func TestLibtoxcoreWritesParleyReads(t *testing.T) {
	sk := testSecret
	peer := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "writer", SecretKey: &sk})
	peer.MustDo("set_nospam", "DEADBEEF")
	peer.MustDo("set_name", toxtest.Hex(vectorName))
	peer.MustDo("set_status_message", toxtest.Hex(vectorStatusMsg))
	peer.MustDo("set_status", "busy")
	peer.FriendAddNoRequest(vectorConfirmed)
	peer.FriendAdd(vectorPending, vectorRequest)
	dir := t.TempDir()
	plainPath, encPath := filepath.Join(dir, vectorPlain), filepath.Join(dir, vectorEncrypted)
	peer.Save(plainPath, "")
	peer.Save(encPath, vectorPass)

	for _, c := range []struct{ path, pass string }{{plainPath, ""}, {encPath, vectorPass}} {
		p, err := Load(c.path, c.pass)
		if err != nil {
			t.Fatalf("Load %s: %v", filepath.Base(c.path), err)
		}
		sameFields(t, p, vectorProfile())
		if got, want := p.Address().String(), peer.MustDo("address")[0]; got != want {
			t.Errorf("%s: address %s, libtoxcore says %s", filepath.Base(c.path), got, want)
		}
	}
	plain := readFile(t, plainPath)
	enc := readFile(t, encPath)
	if got := mustAppend(t, mustParse(t, plain)); !bytes.Equal(got, plain) {
		t.Errorf("a libtoxcore profile did not round-trip byte for byte:\n got %x\nwant %x", got, plain)
	}
	dec, err := Decrypt(enc, vectorPass)
	if err != nil || !bytes.Equal(dec, plain) {
		t.Errorf("the encrypted save is not the plain one encrypted: %v", err)
	}

	if *updateVectors {
		for name, b := range map[string][]byte{vectorPlain: plain, vectorEncrypted: enc} {
			if err := os.WriteFile(filepath.Join(vectorDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	if !bytes.Equal(plain, readVector(t, vectorPlain)) {
		t.Errorf("libtoxcore now writes %s differently from testdata; check, then run with -update-vectors", vectorPlain)
	}
}

// TestParleyWritesLibtoxcoreReads: libtoxcore loads a profile Parley
// saved, plain and encrypted, with the same Tox ID, self info and friends,
// and saves back what Parley wrote.
func TestParleyWritesLibtoxcoreReads(t *testing.T) {
	p, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Nospam = key.Nospam{0x12, 0x34, 0x56, 0x78}
	p.Name, p.StatusMessage, p.Status = "Parley ✓", "written by Parley", StatusAway
	p.Friends = []Friend{
		{Status: FriendConfirmed, PublicKey: repeatPK(0x31), Name: "Alice", StatusMessage: "at work", UserStatus: StatusBusy, LastSeen: 1_700_000_000},
		{Status: FriendConfirmed, PublicKey: repeatPK(0x32)},
		{Status: FriendAdded, PublicKey: repeatPK(0x33), RequestMessage: "hi from Parley", RequestNospam: key.Nospam{9, 8, 7, 6}},
		{Status: FriendRequested, PublicKey: repeatPK(0x34), RequestMessage: "sent already", RequestNospam: key.Nospam{5, 5, 5, 5}},
	}
	// Documentation addresses (RFC 5737): libtoxcore tries them and hears
	// nothing back.
	p.DHTNodes = []wire.Node{node(0x41, "192.0.2.1:33445", false), node(0x42, "192.0.2.2:33446", false)}
	p.TCPRelays = []wire.Node{node(0x43, "192.0.2.3:443", true)}
	p.Other = []Section{{Type: TypeConferences}}

	for _, pass := range []string{"", "Parley's passphrase"} {
		name := map[bool]string{true: "plain", false: "encrypted"}[pass == ""]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "parley.tox")
			if err := Save(path, p, pass); err != nil {
				t.Fatal(err)
			}
			if IsEncrypted(readFile(t, path)) != (pass != "") {
				t.Fatalf("file encrypted = %v", pass != "")
			}
			peer := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "loader-" + name, Savedata: path, Pass: pass})
			checkPeer(t, peer, p)

			// libtoxcore saves what it loaded: the friends come back as
			// libtoxcore keeps them (a pending request is "added" again
			// until it goes out).
			back := filepath.Join(dir, "back.tox")
			peer.Save(back, pass)
			q, err := Load(back, pass)
			if err != nil {
				t.Fatal(err)
			}
			want := *p
			want.Friends = append([]Friend(nil), p.Friends...)
			want.Friends[3].Status = FriendAdded
			want.Checksum = false
			// libtoxcore hands its loaded TCP relays to net_crypto at its
			// first iteration and saves only relays it is connected to.
			want.TCPRelays = q.TCPRelays
			sameFields(t, q, &want)
		})
	}
}

// TestParleyEditLibtoxcoreReads: a libtoxcore profile edited by Parley
// (name changed, a friend added) still loads in libtoxcore, with the
// untouched sections as they were.
func TestParleyEditLibtoxcoreReads(t *testing.T) {
	p := mustParse(t, readVector(t, vectorPlain))
	p.Name = "edited by Parley"
	p.Friends = append(p.Friends, Friend{Status: FriendConfirmed, PublicKey: repeatPK(0x55), Name: "Bob"})
	path := filepath.Join(t.TempDir(), "edited.tox")
	if err := os.WriteFile(path, mustAppend(t, p), 0o600); err != nil {
		t.Fatal(err)
	}
	peer := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "edited", Savedata: path})
	checkPeer(t, peer, p)
}

// TestEncryptVectorFromLibsodium: the fixed encryption vector is what
// libsodium computes with toxencryptsave's parameters, and libtoxcore opens
// it (testdata/encvector.c checks that).
func TestEncryptVectorFromLibsodium(t *testing.T) {
	bin := toxtest.BuildC(t, "encvector", "testdata/encvector.c", "-lsodium")
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil {
		t.Fatalf("encvector: %v\n%s", err, out)
	}
	got, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "encrypted ")
	if !ok {
		t.Fatalf("encvector printed %q", out)
	}
	if want := hex.EncodeToString(hx(t, goldenEncrypted)); got != want {
		t.Fatalf("libsodium's vector\n%s\ndiffers from goldenEncrypted\n%s", got, want)
	}
}

// checkPeer compares what a libtoxcore peer loaded with p.
func checkPeer(t *testing.T, peer *toxtest.Peer, p *Profile) {
	t.Helper()
	if peer.Address != p.Address() {
		t.Errorf("libtoxcore started with address %v, Parley's is %v", peer.Address, p.Address())
	}
	if got := peer.MustDo("address")[0]; got != p.Address().String() {
		t.Errorf("libtoxcore address %s, Parley's %v", got, p.Address())
	}
	if got := peer.MustDo("name"); got[0] != toxtest.Hex(p.Name) {
		t.Errorf("name %v, want %s", got, toxtest.Hex(p.Name))
	}
	if got := peer.MustDo("status_message"); got[0] != toxtest.Hex(p.StatusMessage) {
		t.Errorf("status message %v, want %s", got, toxtest.Hex(p.StatusMessage))
	}
	if got := peer.MustDo("self_status"); got[1] != statusWord(p.Status) {
		t.Errorf("self status %v, want %s", got, statusWord(p.Status))
	}
	if got := peer.MustDo("friend_list"); len(got) != len(p.Friends) {
		t.Fatalf("libtoxcore has friends %v, want %d", got, len(p.Friends))
	}
	for _, f := range p.Friends {
		n := peer.MustDo("friend_by_pk", f.PublicKey.String())[0]
		info := peer.MustDo("friend_info", n) // <n> <pk> <connection> <status> <hexname> <hexstatusmsg> <typing>
		if info[1] != f.PublicKey.String() {
			t.Errorf("friend %s: pk %s", n, info[1])
		}
		if f.Status != FriendConfirmed {
			continue // libtoxcore keeps no name for a pending request
		}
		if info[3] != statusWord(f.UserStatus) || info[4] != toxtest.Hex(f.Name) || info[5] != toxtest.Hex(f.StatusMessage) {
			t.Errorf("friend %s: %v, want status %s name %q status message %q", f.PublicKey.Short(), strings.Join(info, " "), statusWord(f.UserStatus), f.Name, f.StatusMessage)
		}
	}
}

func statusWord(s UserStatus) string {
	return map[UserStatus]string{StatusNone: "none", StatusAway: "away", StatusBusy: "busy"}[s]
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
