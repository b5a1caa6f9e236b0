//go:build interop

package toxtest_test

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/net/toxtest"
)

func TestPeerCommands(t *testing.T) {
	t.Parallel()
	p := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "cmd"})

	help := p.MustDo("help")
	for _, c := range []string{"bootstrap", "friend_add", "send", "save", "quit"} {
		if !slices.Contains(help, c) {
			t.Errorf("help lacks %s: %q", c, help)
		}
	}
	if got := p.MustDo("address"); len(got) != 1 || got[0] != p.Address.String() {
		t.Errorf("address %q, ready said %v", got, p.Address)
	}
	if p.Address.PublicKey != p.PublicKey {
		t.Errorf("address key %v != public key %v", p.Address.PublicKey, p.PublicKey)
	}
	if got := p.MustDo("dht_id"); len(got) != 1 || got[0] != p.DHTID.String() {
		t.Errorf("dht_id %q, ready said %v", got, p.DHTID)
	}
	if got := p.MustDo("port"); len(got) != 2 || got[0] != strconv.Itoa(int(p.Port)) || got[1] != "0" {
		t.Errorf("port %q, ready said %d", got, p.Port)
	}
	if p.Port >= 33445 && p.Port <= 33545 {
		t.Errorf("peer bound %d, inside toxcore's default range", p.Port)
	}
	if got := p.MustDo("self_status"); !slices.Equal(got, []string{"none", "none"}) {
		t.Errorf("self_status %q, want none none (not bootstrapped)", got)
	}

	// Text goes through hex untouched, the empty string included.
	for _, name := range []string{"", "two words\nand a newline", "名前 🦊"} {
		p.MustDo("set_name", toxtest.Hex(name))
		if got := p.MustDo("name"); len(got) != 1 || got[0] != toxtest.Hex(name) {
			t.Errorf("name %q after set_name %q", got, name)
		}
	}
	p.MustDo("set_nospam", "0badf00d")
	if got := p.MustDo("nospam"); len(got) != 1 || got[0] != "0BADF00D" {
		t.Errorf("nospam %q", got)
	}
	if got := p.MustDo("address"); got[0][64:72] != "0BADF00D" {
		t.Errorf("address %s does not carry the new nospam", got[0])
	}

	// Another key with the old checksum: the checksum no longer matches.
	raw := p.Address.Bytes()
	raw[0] ^= 0xff
	badChecksum := toxtest.HexBytes(raw[:])
	for _, tc := range []struct {
		cmd    string
		args   []string
		reason string
	}{
		{"no_such_command", nil, "UNKNOWN_COMMAND"},
		{"send", []string{"0"}, "USAGE"},
		{"send", []string{"0", "normal", "zz"}, "BAD_ARG"},
		{"send", []string{"0", "shout", "41"}, "BAD_ARG"},
		{"send", []string{"7", "normal", "41"}, "FRIEND_NOT_FOUND"},
		{"friend_add", []string{p.Address.String(), toxtest.Hex("me")}, "OWN_KEY"},
		{"friend_add", []string{badChecksum, toxtest.Hex("x")}, "BAD_CHECKSUM"},
		{"bootstrap", []string{"no.such.host.invalid", "33445", p.DHTID.String()}, "BAD_HOST"},
	} {
		_, err := p.Do(tc.cmd, tc.args...)
		var ce *toxtest.CommandError
		if !errors.As(err, &ce) || ce.Reason != tc.reason || ce.Cmd != tc.cmd {
			t.Errorf("%s %q: error %v, want reason %s", tc.cmd, tc.args, err, tc.reason)
		}
	}
	if _, err := p.Do("echo", "two words"); !errors.Is(err, toxtest.ErrBadWord) {
		t.Errorf("a word with a space: %v, want ErrBadWord", err)
	}

	// Replies are matched to commands in order, even from many goroutines.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := "w" + strconv.Itoa(i)
			got, err := p.Do("echo", w, "x")
			if err != nil || !slices.Equal(got, []string{w, "x"}) {
				t.Errorf("echo %s: %q, %v", w, got, err)
			}
		}()
	}
	wg.Wait()

	// Close stops the process; its goroutines end (Done) and it said bye.
	if err := p.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case <-p.Done():
	default:
		t.Error("Done not closed after Close")
	}
	if _, err := p.Wait(time.Second, toxtest.Is("bye")); err != nil {
		t.Errorf("no bye line: %v", err)
	}
	if _, err := p.Do("address"); !errors.Is(err, toxtest.ErrExited) {
		t.Errorf("Do after Close: %v, want ErrExited", err)
	}
	if _, err := p.Wait(time.Second, toxtest.Is("never")); !errors.Is(err, toxtest.ErrExited) {
		t.Errorf("Wait after Close: %v, want ErrExited", err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestPeerStartupFailures runs the binary directly: a failed start prints
// one fatal line and exits 1.
func TestPeerStartupFailures(t *testing.T) {
	t.Parallel()
	bin := toxtest.PeerBinary(t)
	profile := filepath.Join(t.TempDir(), "locked.tox")
	saver := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "locker"})
	saver.Save(profile, "secret")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus", "1"}, "fatal --bogus UNKNOWN_FLAG"},
		{[]string{"--udp", "2"}, "fatal --udp BAD_VALUE"},
		{[]string{"--secret-key", "abcd"}, "fatal --secret-key BAD_VALUE"},
		{[]string{"--savedata", filepath.Join(t.TempDir(), "missing.tox")}, "fatal --savedata READ_FAILED"},
		{[]string{"--savedata", profile}, "fatal --savedata ENCRYPTED_NEEDS_PASS"},
		{[]string{"--savedata", profile, "--pass", "wrong"}, "fatal --savedata FAILED"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, bin, tc.args...).Output()
		cancel()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Errorf("%q: exit %v, want status 1", tc.args, err)
		}
		_, line, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
		if line != tc.want {
			t.Errorf("%q: printed %q, want %q", tc.args, out, tc.want)
		}
	}
}
