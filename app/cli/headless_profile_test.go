package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/net/profile"
)

const passVar = "PARLEY_HEADLESS_TEST_PASS"

// An encrypted profile is created with --pass-env and reopened with it;
// the Tox ID and name survive.
func TestHeadlessEncryptedProfile(t *testing.T) {
	t.Setenv(passVar, "correct horse battery staple")
	path := filepath.Join(t.TempDir(), "enc.tox")
	o := headlessOptions{profile: path, passEnv: passVar}
	h := startHL(t, "enc", o)
	if !h.ready.flag("created") {
		t.Fatalf("ready %v", h.ready)
	}
	h.must(map[string]any{"cmd": "name", "name": "Secret Sam"})
	h.quit()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !profile.IsEncrypted(data) || bytes.Contains(data, []byte("Secret Sam")) {
		t.Fatal("the profile is not encrypted")
	}
	p, err := profile.Load(path, "correct horse battery staple")
	if err != nil || p.Name != "Secret Sam" || p.Address().String() != h.ready.str("tox_id") {
		t.Fatalf("loaded %+v, %v", p, err)
	}

	// The same through headlessMain and the flag, with --pass-file.
	passFile := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(passFile, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h2 := startHL(t, "enc2", headlessOptions{profile: path, passFile: passFile})
	if h2.ready.str("tox_id") != h.ready.str("tox_id") || h2.ready.flag("created") {
		t.Fatalf("reopened as %v, was %v", h2.ready, h.ready)
	}
	h2.quit()
}

// A profile that cannot be opened (wrong passphrase, none, damaged, plain
// with a passphrase, only a backup left) is a clear error with exit code
// 3, and no file is written.
func TestHeadlessProfileOpenErrors(t *testing.T) {
	dir := t.TempDir()
	enc := filepath.Join(dir, "enc.tox")
	p, err := profile.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := profile.Save(enc, p, "right"); err != nil {
		t.Fatal(err)
	}
	if err := profile.Save(enc, p, "right"); err != nil { // and a backup
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain.tox")
	if err := profile.Save(plain, p, ""); err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(dir, "damaged.tox")
	b, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	b[20] ^= 0x40
	if err := os.WriteFile(damaged, b, 0o600); err != nil {
		t.Fatal(err)
	}
	orphan := filepath.Join(dir, "gone.tox")
	if err := os.WriteFile(orphan+profile.BackupSuffix, b, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(passVar, "wrong")
	t.Setenv(passVar+"_RIGHT", "right")
	tests := []struct {
		name, path, passEnv string
		want                string // a word the message must hold
	}{
		{"wrong passphrase", enc, passVar, "wrong passphrase"},
		{"no passphrase", enc, "", "encrypted"},
		{"damaged", damaged, "", "damaged"},
		{"plain with a passphrase", plain, passVar + "_RIGHT", "not encrypted"},
		{"backup only", orphan, "", "backup"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, dir)
			args := []string{"--profile", tc.path, "--lan=false"}
			if tc.passEnv != "" {
				args = append(args, "--pass-env", tc.passEnv)
			}
			var stdout, stderr bytes.Buffer
			code := headlessMain(args, strings.NewReader(""), &stdout, &stderr)
			if code != exitProfile {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitProfile, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("stderr %q does not say %q", stderr.String(), tc.want)
			}
			var ev msg
			if err := json.Unmarshal(stdout.Bytes(), &ev); err != nil || ev.str("event") != "error" || !ev.flag("fatal") {
				t.Fatalf("stdout %q is not one fatal error event (%v)", stdout.String(), err)
			}
			if after := snapshot(t, dir); after != before {
				t.Fatalf("files changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	// The right passphrase opens it, also via runHeadless's error type.
	_, _, err = openProfile(enc, "wrong")
	if !errors.Is(err, errProfileOpen) || !errors.Is(err, profile.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, _, err := openProfile(enc, "right"); err != nil {
		t.Fatal(err)
	}
}

// snapshot describes every file in dir with its content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(e.Name() + ":" + string(data) + ";")
	}
	return b.String()
}

func TestHeadlessFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--profile", "x.tox", "secret"},
		{"--profile", "x.tox", "--pass-file", "f", "--pass-env", "V"},
		{"--profile", "x.tox", "--port", "70000"},
		{"--nope"},
	} {
		var stdout, stderr bytes.Buffer
		if code := headlessMain(args, strings.NewReader(""), &stdout, &stderr); code != exitUsage {
			t.Errorf("%q: exit code %d, want %d", args, code, exitUsage)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := headlessMain([]string{"-h"}, strings.NewReader(""), &stdout, &stderr); code != exitOK || !strings.Contains(stderr.String(), "--pass-env") {
		t.Errorf("-h: exit %d, usage %q", code, stderr.String())
	}
	if _, err := readPassphrase("", "PARLEY_SURELY_UNSET_VAR"); err == nil {
		t.Error("an unset --pass-env variable was accepted")
	}
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readPassphrase(empty, ""); err == nil {
		t.Error("an empty --pass-file was accepted")
	}
}

// export writes a profile net/profile reads back with the same identity,
// plain or encrypted, and refuses to overwrite files.
func TestHeadlessExport(t *testing.T) {
	dir := t.TempDir()
	o := headlessOptions{profile: filepath.Join(dir, "p.tox")}
	h := startHL(t, "x", o)
	h.must(map[string]any{"cmd": "name", "name": "Exporter"})
	other, err := profile.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	h.must(map[string]any{"cmd": "add", "tox_id": other.Address().String(), "message": "hi"})
	plain := filepath.Join(dir, "export.tox")
	r := h.must(map[string]any{"cmd": "export", "path": plain})
	if r.flag("encrypted") || r.str("tox_id") != h.ready.str("tox_id") {
		t.Fatalf("export reply %v", r)
	}
	p, err := profile.Load(plain, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Address().String() != h.ready.str("tox_id") || p.Name != "Exporter" || len(p.Friends) != 1 ||
		p.Friends[0].PublicKey != other.Keys.Public || p.Checksum {
		t.Fatalf("exported %s %q friends %+v checksum %v", p.Address(), p.Name, p.Friends, p.Checksum)
	}
	if r := h.do(map[string]any{"cmd": "export", "path": plain}); r.ok() {
		t.Fatalf("export over an existing file: %v", r)
	}
	if r := h.do(map[string]any{"cmd": "export", "path": o.profile, "overwrite": true}); r.ok() {
		t.Fatalf("export over the running profile: %v", r)
	}
	if r := h.do(map[string]any{"cmd": "export"}); r.ok() {
		t.Fatalf("export without a path: %v", r)
	}
	h.must(map[string]any{"cmd": "export", "path": plain, "passphrase": "for qTox", "overwrite": true})
	if _, err := profile.Load(plain, "wrong"); !errors.Is(err, profile.ErrWrongPassphrase) {
		t.Fatalf("exported with a passphrase, opened with a wrong one: %v", err)
	}
	p, err = profile.Load(plain, "for qTox")
	if err != nil || p.Address().String() != h.ready.str("tox_id") {
		t.Fatalf("encrypted export: %v", err)
	}
}
