//go:build interop

package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"parley/net/profile"
	"parley/net/toxtest"
	"parley/net/wire"
)

const interopTimeout = 90 * time.Second

// A libtoxcore peer adds the headless client's Tox ID through the onion;
// the headless client accepts over JSON; a message goes each way with
// receipts and c-toxcore's name arrives. The profile the headless client
// exports loads in libtoxcore with the same address, plain and encrypted.
func TestInteropHeadlessWithToxcore(t *testing.T) {
	t.Parallel()
	bs := toxtest.StartBootstrapd(t)
	c := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c", SelfName: "toxcore ✓", Bootstrap: []wire.Node{bs.Node()}})
	dir := t.TempDir()
	h := startHL(t, "h", headlessOptions{profile: filepath.Join(dir, "h.tox"), bootstrap: []string{bootstrapArg(bs.Node())}})
	hID := h.toxID()
	start := time.Now()

	cf := c.FriendAdd(hID, "hello headless ✓")
	f := toxtest.FriendArg(cf)
	req := h.waitEvent(interopTimeout, "friend_request", eventFrom(c.PublicKey))
	if req.str("message") != "hello headless ✓" {
		t.Fatalf("request %v", req)
	}
	t.Logf("request arrived after %v", time.Since(start))
	h.must(map[string]any{"cmd": "accept", "public_key": c.PublicKey.String()})
	h.waitEvent(interopTimeout, "friend_online", eventFrom(c.PublicKey))
	c.MustWait(interopTimeout, func(e toxtest.Event) bool {
		return e.Name == "friend_connection" && e.Arg(0) == f && e.Arg(1) != "none"
	})
	t.Logf("friend-connected after %v", time.Since(start))

	mark := c.Mark()
	r := h.must(map[string]any{"cmd": "send", "public_key": c.PublicKey.String(), "text": "hi c-toxcore, Grüße 👋"})
	var ids []json.Number
	if err := json.Unmarshal([]byte(mustJSON(t, r["message_ids"])), &ids); err != nil || len(ids) != 1 {
		t.Fatalf("send reply %v", r)
	}
	c.MustWait(interopTimeout, toxtest.Since(mark, toxtest.Is("message", f, "normal", toxtest.Hex("hi c-toxcore, Grüße 👋"))))
	h.waitEvent(interopTimeout, "receipt", func(m msg) bool { return m["message_id"] == ids[0] })

	c.SendAction(cf, "waves at headless")
	m := h.waitEvent(interopTimeout, "message", eventFrom(c.PublicKey))
	if m.str("text") != "waves at headless" || !m.flag("action") {
		t.Fatalf("message %v", m)
	}
	h.waitEvent(interopTimeout, "name", func(m msg) bool { return m.str("name") == "toxcore ✓" })

	h.must(map[string]any{"cmd": "name", "name": "headless bot"})
	plain, enc := filepath.Join(dir, "export.tox"), filepath.Join(dir, "export-enc.tox")
	h.must(map[string]any{"cmd": "export", "path": plain})
	h.must(map[string]any{"cmd": "export", "path": enc, "passphrase": "for toxcore"})
	h.quit() // one identity on the network at a time

	for _, x := range []struct{ path, pass string }{{plain, ""}, {enc, "for toxcore"}} {
		p := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "exported", Savedata: x.path, Pass: x.pass})
		if p.Address != hID {
			t.Fatalf("libtoxcore loaded %s (pass %q) as %s, want %s", x.path, x.pass, p.Address, hID)
		}
		got := p.MustDo("friend_list")
		if len(got) != 1 {
			t.Fatalf("libtoxcore sees friends %q in the export, want c-toxcore alone", got)
		}
		if info := p.MustDo("friend_info", got[0]); len(info) < 2 || !strings.EqualFold(info[1], c.PublicKey.String()) {
			t.Fatalf("libtoxcore's friend in the export: %q, want %s", info, c.PublicKey)
		}
		if name := p.MustDo("name"); len(name) != 1 || !strings.EqualFold(name[0], toxtest.Hex("headless bot")) {
			t.Fatalf("libtoxcore sees name %q in the export", name)
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// The parley binary: `parley headless` prints its ready line, answers on
// real stdin/stdout, saves and exits 0 on SIGTERM, and exits 3 without
// touching the file when the passphrase is wrong.
func TestInteropHeadlessBinary(t *testing.T) {
	t.Parallel()
	bin := parleyBinary(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "bin.tox")
	env := append(os.Environ(), "LANG=en_US.UTF-8", "HL_PASS=open sesame", "HL_WRONG=closed")
	port := toxtest.FreePort(t)

	cmd := exec.Command(bin, "headless", "--profile", path, "--pass-env", "HL_PASS", "--lan=false", "--port", itoa(port))
	cmd.Env = env
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	lines := make(chan msg, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var m msg
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				m = msg{"unparseable": sc.Text()}
			}
			lines <- m
		}
		close(lines)
	}()
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if t.Failed() {
			t.Logf("stderr:\n%s", stderr.String())
		}
	})
	next := func(what string) msg {
		t.Helper()
		select {
		case m, ok := <-lines:
			if !ok {
				t.Fatalf("stdout ended before %s", what)
			}
			return m
		case <-time.After(20 * time.Second):
			t.Fatalf("no %s within 20 s", what)
		}
		return nil
	}
	ready := next("ready")
	if ready.str("event") != "ready" || ready["port"] != float64(port) || !ready.flag("created") {
		t.Fatalf("first line %v, want ready on port %d", ready, port)
	}
	if _, err := stdin.Write([]byte(`{"cmd":"name","name":"from the binary","id":1}` + "\n")); err != nil {
		t.Fatal(err)
	}
	for {
		if r := next("name reply"); r.str("reply") == "name" {
			if !r.ok() || r["id"] != float64(1) {
				t.Fatalf("reply %v", r)
			}
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit within 15 s of SIGTERM")
	}
	p, err := profile.Load(path, "open sesame")
	if err != nil || p.Name != "from the binary" || p.Address().String() != ready.str("tox_id") {
		t.Fatalf("saved profile %+v, %v", p, err)
	}

	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wrong := exec.Command(bin, "headless", "--profile", path, "--pass-env", "HL_WRONG", "--lan=false", "--port", itoa(port))
	wrong.Env = env
	out, err := wrong.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitProfile {
		t.Fatalf("wrong passphrase: %v, want exit code %d; stdout %s", err, exitProfile, out)
	}
	if !strings.Contains(string(ee.Stderr), "wrong passphrase") || !strings.Contains(string(out), `"fatal":true`) {
		t.Fatalf("wrong passphrase: stderr %q stdout %q", ee.Stderr, out)
	}
	after, err := os.ReadFile(path)
	if err != nil || string(after) != string(before) {
		t.Fatalf("the profile changed after a wrong passphrase (%v)", err)
	}
}

func itoa(n uint16) string { return strconv.Itoa(int(n)) }
