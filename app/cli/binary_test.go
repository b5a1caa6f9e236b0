package cli

import (
	"bufio"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// parleyBinary returns the parley executable: $PARLEY_BIN when make test
// built it, else a build of this module (cached by the go command).
func parleyBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("PARLEY_BIN"); p != "" {
		return p
	}
	out := filepath.Join(t.TempDir(), "parley")
	cmd := exec.Command("go", "build", "-tags", "nolibopusfile", "-o", out, "parley")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("building parley: %v", err)
	}
	return out
}

// runningNode is a `parley node` process under test.
type runningNode struct {
	cmd  *exec.Cmd
	PK   key.PublicKey
	Port uint16
	mu   sync.Mutex
	log  []string
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done is closed
}

// startNodeProcess runs `parley node args...` and reads its key and port.
func startNodeProcess(t testing.TB, args ...string) *runningNode {
	t.Helper()
	cmd := exec.Command(parleyBinary(t), append([]string{"node"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &runningNode{cmd: cmd, done: make(chan struct{})}
	lines := make(chan string, 16)
	var wg sync.WaitGroup
	wg.Add(2)
	collect := func(rd io.Reader, to chan<- string) {
		defer wg.Done()
		sc := bufio.NewScanner(rd)
		for sc.Scan() {
			r.mu.Lock()
			r.log = append(r.log, sc.Text())
			r.mu.Unlock()
			if to != nil {
				select {
				case to <- sc.Text():
				default:
				}
			}
		}
	}
	go collect(stdout, lines)
	go collect(stderr, nil)
	go func() { wg.Wait(); r.err = cmd.Wait(); close(r.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-r.done
		if t.Failed() {
			t.Logf("parley node output:\n%s", strings.Join(r.Log(), "\n"))
		}
	})
	deadline := time.After(15 * time.Second)
	for r.PK.IsZero() || r.Port == 0 {
		select {
		case l := <-lines:
			if v, ok := strings.CutPrefix(l, "DHT public key: "); ok {
				if r.PK, err = key.ParsePublicKey(v); err != nil {
					t.Fatalf("bad key line %q: %v", l, err)
				}
			}
			if v, ok := strings.CutPrefix(l, "UDP port: "); ok {
				var p int
				for _, c := range v {
					p = p*10 + int(c-'0')
				}
				r.Port = uint16(p)
			}
		case <-r.done:
			t.Fatalf("parley node exited early: %v\n%s", r.err, strings.Join(r.Log(), "\n"))
		case <-deadline:
			t.Fatalf("parley node printed no key and port:\n%s", strings.Join(r.Log(), "\n"))
		}
	}
	return r
}

// Node is the process as a DHT node on 127.0.0.1.
func (r *runningNode) Node() wire.Node {
	return wire.Node{PK: r.PK, Addr: netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), r.Port)}
}

// Log returns every line the process printed so far.
func (r *runningNode) Log() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.log...)
}

// Stop sends sig and waits for a clean exit.
func (r *runningNode) Stop(t testing.TB, sig os.Signal) {
	t.Helper()
	if err := r.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
		if r.err != nil {
			t.Fatalf("parley node exited with %v after %v", r.err, sig)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("parley node did not exit within 10 s of %v", sig)
	}
}
