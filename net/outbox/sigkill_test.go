package outbox

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/profile"
)

// killChildEnv makes the test binary run killChild instead of the tests.
const killChildEnv = "PARLEY_OUTBOX_KILL_CHILD"

// Kills is how many times TestSIGKILL kills the writer (the acceptance
// asks for at least 200).
const Kills = 200

func TestMain(m *testing.M) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(dir)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// killChild writes until it is killed: it enqueues messages, printing
// "Q <id> <i>" after each Enqueue returned, receipts every fourth one
// (printing "A <id>" just before, since from then on it may be gone), and saves the profile
// between them. A small compaction threshold makes compactions frequent.
func killChild(dir string) {
	o, err := Open(filepath.Join(dir, "outbox"), Options{CompactMinRecords: 48})
	if err != nil {
		fmt.Println("E", err)
		os.Exit(2)
	}
	prof, err := profile.New(nil)
	if err != nil {
		fmt.Println("E", err)
		os.Exit(2)
	}
	to := key.PublicKey{1}
	sid := friend.MessageID(1)
	fmt.Println("R")
	for i := 0; ; i++ {
		text := fmt.Sprintf("msg %d %s", i, strings.Repeat("x", i%300))
		id, err := o.Enqueue(time.Unix(int64(i), 0), to, friend.MessageNormal, text)
		if err != nil {
			fmt.Println("E", err)
			os.Exit(2)
		}
		fmt.Printf("Q %d %d\n", id, i)
		if id%4 == 0 {
			fmt.Printf("A %d\n", id) // from here on it may be receipted and compacted away
			if err := o.MarkSent(id, 0, sid); err != nil {
				fmt.Println("E", err)
				os.Exit(2)
			}
			if _, _, err := o.Receipt(sid); err != nil {
				fmt.Println("E", err)
				os.Exit(2)
			}
			sid++
		}
		prof.Name = fmt.Sprint("name ", i)
		if err := profile.Save(filepath.Join(dir, "profile.tox"), prof, ""); err != nil {
			fmt.Println("E", err)
			os.Exit(2)
		}
	}
}

// TestSIGKILL kills a writing process at random moments and checks after
// every kill that the outbox opens with every message reported as stored,
// in order, and that the profile loads.
func TestSIGKILL(t *testing.T) {
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	stored := map[ID]bool{} // true: receipted (may be compacted away)
	var order []ID
	profiles, backups := 0, 0
	start := time.Now()
	for kill := 0; kill < Kills; kill++ {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		if l := <-lines; l != "R" {
			t.Fatalf("child: %q", l)
		}
		timer := time.NewTimer(time.Duration(rng.IntN(40000)) * time.Microsecond)
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				record(t, l, stored, &order)
			case <-timer.C:
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				for l := range lines {
					record(t, l, stored, &order)
				}
				break read
			}
		}
		timer.Stop()
		if err := cmd.Wait(); err == nil {
			t.Fatal("child exited by itself")
		}
		o, err := Open(filepath.Join(dir, "outbox"), Options{})
		if err != nil {
			t.Fatalf("kill %d: outbox does not open: %v", kill, err)
		}
		check(t, kill, o, stored, order)
		o.Close()
		if _, err := os.Stat(filepath.Join(dir, "profile.tox")); err == nil {
			l, err := profile.LoadWithBackup(filepath.Join(dir, "profile.tox"), "")
			if err != nil {
				t.Fatalf("kill %d: profile does not load: %v", kill, err)
			}
			profiles++
			if l.Backup() {
				backups++
			}
		}
	}
	t.Logf("%d kills in %v: %d messages stored, %d profile loads (%d from the backup)",
		Kills, time.Since(start).Round(time.Millisecond), len(order), profiles, backups)
	if len(order) < Kills {
		t.Fatalf("only %d messages stored in %d runs", len(order), Kills)
	}
}

func record(t *testing.T, l string, stored map[ID]bool, order *[]ID) {
	t.Helper()
	f := strings.Fields(l)
	if len(f) < 2 {
		t.Fatalf("child: %q", l)
	}
	n, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil || f[0] == "E" {
		t.Fatalf("child: %q", l)
	}
	switch f[0] {
	case "Q":
		if _, dup := stored[ID(n)]; dup {
			t.Fatalf("id %d reported twice", n)
		}
		stored[ID(n)] = false
		*order = append(*order, ID(n))
	case "A":
		stored[ID(n)] = true
	}
}

// check: every stored, unreceipted message is in the outbox, in id order,
// and ids grow with the order they were stored in.
func check(t *testing.T, kill int, o *Outbox, stored map[ID]bool, order []ID) {
	t.Helper()
	have := map[ID]bool{}
	var prev ID
	for _, e := range o.List(key.PublicKey{}) {
		if e.ID <= prev {
			t.Fatalf("kill %d: id %d after %d", kill, e.ID, prev)
		}
		prev = e.ID
		have[e.ID] = true
	}
	for i, id := range order {
		if i > 0 && id <= order[i-1] {
			t.Fatalf("kill %d: id %d stored after %d", kill, id, order[i-1])
		}
		if !stored[id] && !have[id] {
			t.Fatalf("kill %d: message %d was reported as stored and is gone", kill, id)
		}
	}
}
