//go:build interop

package toxtest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"parley/net/key"
	"parley/net/toxtest"
)

// encryptedMagic starts every toxencryptsave file (tox-protocol.md §12.2).
var encryptedMagic = []byte("toxEsave")

func TestProfileSaveLoad(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, pass string }{
		{"plain", ""},
		{"encrypted", "correct horse 🐎 battery"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "profile.tox")
			const name = "Ünïcødé ✓"
			a := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "saver-" + tc.name})
			a.MustDo("set_nospam", "DEADBEEF")
			a.MustDo("set_name", toxtest.Hex(name))
			a.MustDo("set_status_message", toxtest.Hex("saved & restored"))
			a.Save(path, tc.pass)
			want := a.MustDo("address")[0]

			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if enc := bytes.HasPrefix(data, encryptedMagic); enc != (tc.pass != "") {
				t.Errorf("file encrypted = %v, want %v", enc, tc.pass != "")
			}

			b := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "loader-" + tc.name, Savedata: path, Pass: tc.pass})
			if b.Address.String() != want || b.Address.Nospam.Uint32() != 0xDEADBEEF {
				t.Errorf("loaded address %v, saved %s", b.Address, want)
			}
			if got := b.MustDo("name"); got[0] != toxtest.Hex(name) {
				t.Errorf("loaded name %q", got)
			}
			if got := b.MustDo("status_message"); got[0] != toxtest.Hex("saved & restored") {
				t.Errorf("loaded status message %q", got)
			}
			if b.DHTID == a.DHTID {
				t.Error("DHT key survived a restart; toxcore makes a new one each start (tox-protocol.md §13.3)")
			}
		})
	}
	t.Run("secret key", func(t *testing.T) {
		t.Parallel()
		pair, err := key.NewPair(nil)
		if err != nil {
			t.Fatal(err)
		}
		p := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "from-secret", SecretKey: &pair.Secret})
		if p.PublicKey != pair.Public {
			t.Errorf("public key %v, want %v derived from the secret key", p.PublicKey, pair.Public)
		}
	})
}
