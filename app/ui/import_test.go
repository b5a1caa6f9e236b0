package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"parley/app/account"
)

// A .tox file from another client is imported at first run and opened with
// its identity; an encrypted one asks for its passphrase.
func TestImportAtFirstRun(t *testing.T) {
	src := t.TempDir()
	other, err := account.Create(src, "from qTox", "pw")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, t.TempDir())
	if h.w.first.importBtn == nil {
		t.Fatal("no import button")
	}
	h.w.first.importFile(other.Path())
	h.until("the passphrase is asked for", func() bool { return h.w.first.status.Text != "Starting…" })
	if h.w.first.status.Text == "" || h.w.main != nil {
		t.Fatalf("encrypted import without passphrase: %q", h.w.first.status.Text)
	}
	test.Type(h.w.first.pass, "pw")
	h.w.first.importFile(other.Path())
	h.until("the main screen shows", func() bool { return h.w.main != nil })
	p := other.Profile()
	h.until("the imported ID shows", func() bool { return h.w.vm.Self().ID == p.Address() })
}
