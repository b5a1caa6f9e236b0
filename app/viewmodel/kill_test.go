package viewmodel

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"parley/app/account"
	"parley/app/store"
	"parley/net/friend"
	"parley/net/key"
	"parley/net/profile"
	"parley/net/tox"
	"parley/net/transport"
	"parley/net/wire"
)

// The kill -9 test: a child process (this test binary, running
// TestKillChild) runs the real view model and store over a real tox.Node
// and prints "SHOWN <row id> <text>" for each message as the chat shows it.
// The parent sends a burst of messages from another node, SIGKILLs the
// child mid-burst, reopens the history and finds every shown message.
const (
	killEnv   = "PARLEY_KILL_CHILD"
	killBurst = 1000 // messages in the burst
	killAfter = 60   // shown messages before the SIGKILL
)

func TestKillChild(t *testing.T) {
	spec := os.Getenv(killEnv)
	if spec == "" {
		return // only meaningful as the child of TestKill9DuringBurst
	}
	// spec: dir name bootPK bootAddr senderPK
	f := strings.Fields(spec)
	if len(f) != 5 {
		t.Fatalf("bad %s %q", killEnv, spec)
	}
	bootPK, err := key.ParsePublicKey(f[2])
	if err != nil {
		t.Fatal(err)
	}
	sender, err := key.ParsePublicKey(f[4])
	if err != nil {
		t.Fatal(err)
	}
	acct, err := account.Open(f[0], f[1], "")
	if err != nil {
		t.Fatal(err)
	}
	lo := transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")}
	n, err := startNode(acct.Profile(), []wire.Node{{PK: bootPK, Addr: netip.MustParseAddrPort(f[3])}}, lo, true, "")
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(acct.HistoryPath())
	if err != nil {
		t.Fatal(err)
	}
	q := NewQueue()
	vm := New(n, acct, st, Options{Do: q.Do})
	defer vm.Close()
	printed, ready := 0, false
	vm.OnChange = func(c Change) {
		if fr, ok := vm.Friend(sender); ok && fr.Online && !ready {
			ready = true
			fmt.Println("READY")
		}
		_, msgs, _ := vm.Chat()
		for ; printed < len(msgs); printed++ {
			fmt.Printf("SHOWN %d %s\n", msgs[printed].ID, msgs[printed].Text)
		}
	}
	vm.OnError = func(err error) { fmt.Println("ERROR", err) }
	vm.Start()
	vm.OpenChat(sender)
	q.RunUntil(func() bool { return false }, 60*time.Second) // runs until killed
	t.Fatal("the parent never killed the child")
}

func TestKill9DuringBurst(t *testing.T) {
	lo := transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")}
	relay, err := tox.Start(tox.Config{RelayOnly: true, Listen: lo, LANDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	defer relay.Close()

	dir := t.TempDir()
	acct, err := account.Create(dir, "victim", "")
	if err != nil {
		t.Fatal(err)
	}
	senderKeys, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := acct.Update(func(p *profile.Profile) {
		p.Friends = append(p.Friends, profile.Friend{PublicKey: senderKeys.Public, Status: profile.FriendConfirmed})
	}); err != nil {
		t.Fatal(err)
	}
	victim := acct.Profile().Keys.Public
	sender, err := tox.Start(tox.Config{Listen: lo, Self: senderKeys, Friends: []key.PublicKey{victim},
		Bootstrap: []wire.Node{{PK: relay.DHTPublicKey(), Addr: relay.LocalAddr()}}})
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	events, unsub := sender.Subscribe()
	defer unsub()

	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$")
	cmd.Env = append(os.Environ(), killEnv+"="+strings.Join([]string{dir, "victim",
		relay.DHTPublicKey().String(), relay.LocalAddr().String(), senderKeys.Public.String()}, " "))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	lines := make(chan string, killBurst+100)
	go func() { // exits at EOF, when the child is dead
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()

	deadline := time.NewTimer(40 * time.Second)
	defer deadline.Stop()
	// Both sides online.
	senderOnline, childReady := false, false
	for !senderOnline || !childReady {
		select {
		case ev := <-events:
			if fe, ok := ev.(tox.FriendEvent); ok {
				if on, ok := fe.Event.(tox.FriendOnline); ok && on.Friend == victim {
					senderOnline = true
				}
			}
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the child exited before it was ready")
			}
			if l == "READY" {
				childReady = true
			}
		case <-deadline.C:
			t.Fatalf("not connected (sender sees victim online %v, child ready %v)", senderOnline, childReady)
		}
	}

	// The burst, on its own goroutine; it stops at the first error it
	// cannot wait out (the child's death ends the link).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	burstDone := make(chan int, 1)
	go func() {
		sent := 0
		defer func() { burstDone <- sent }()
		for sent < killBurst {
			_, err := sender.SendMessage(ctx, victim, tox.MessageNormal, "burst-"+strconv.Itoa(sent))
			switch {
			case err == nil:
				sent++
			case errors.Is(err, friend.ErrSend): // the send window is full: wait for a receipt
				if !waitReceipt(ctx, events) {
					return
				}
			default:
				return
			}
		}
	}()

	shown := map[int64]string{}
	for len(shown) < killAfter {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the child died after showing %d messages", len(shown))
			}
			if id, text, ok := parseShown(t, l); ok {
				shown[id] = text
			}
		case <-deadline.C:
			t.Fatalf("only %d messages shown", len(shown))
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	killed = true
	for l := range lines { // what the child printed before it died
		if id, text, ok := parseShown(t, l); ok {
			shown[id] = text
		}
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != -1 {
		t.Fatalf("child exit = %v, want killed by a signal", err)
	}
	cancel()
	sent := <-burstDone
	if len(shown) >= killBurst {
		t.Fatalf("the child showed all %d messages before the kill: not mid-burst", len(shown))
	}

	st, err := store.Open(acct.HistoryPath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	kept, err := st.Page(senderKeys.Public, 0, killBurst+10)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]string{}
	for _, m := range kept {
		byID[m.ID] = m.Text
	}
	for id, text := range shown {
		if byID[id] != text {
			t.Errorf("shown message %d %q is %q in the history after kill -9", id, text, byID[id])
		}
	}
	t.Logf("burst: %d sent, %d shown before SIGKILL, %d in the history after", sent, len(shown), len(kept))
}

func waitReceipt(ctx context.Context, events <-chan tox.Event) bool {
	t := time.NewTimer(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case ev := <-events:
			if fe, ok := ev.(tox.FriendEvent); ok {
				switch fe.Event.(type) {
				case tox.Receipt:
					return true
				case tox.FriendOffline:
					return false
				}
			}
		case <-ctx.Done():
			return false
		case <-t.C:
			return false
		}
	}
}

func parseShown(t *testing.T, l string) (int64, string, bool) {
	t.Helper()
	if strings.HasPrefix(l, "ERROR") {
		t.Errorf("child: %s", l)
	}
	rest, ok := strings.CutPrefix(l, "SHOWN ")
	if !ok {
		return 0, "", false
	}
	idText, text, _ := strings.Cut(rest, " ")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		t.Fatalf("bad line %q", l)
	}
	return id, text, true
}
