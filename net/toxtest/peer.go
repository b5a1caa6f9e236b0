package toxtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// Bounds on how long the kit waits for a toxpeer.
const (
	// startTimeout covers process start, an encrypted profile's scrypt and
	// tox_new on a busy 2-core machine.
	startTimeout = 30 * time.Second
	// commandTimeout bounds Do: every command is answered within one loop
	// turn (at most tox_iteration_interval, ~50 ms) plus its own work.
	commandTimeout = 10 * time.Second
	// stopTimeout is how long Close waits after "quit" before killing.
	stopTimeout = 5 * time.Second
)

// PeerOptions configure StartPeer. The zero value is an IPv4-only peer with
// UDP on and LAN discovery off, on a free port range, with a new identity.
type PeerOptions struct {
	// Name labels the peer in diagnostics ("toxpeerN" when empty).
	Name string
	// SelfName, when not empty, is set as the Tox self name at start
	// (--name), after any profile is loaded.
	SelfName   string
	IPv6       bool // --ipv6 1
	LAN        bool // --lan 1: LAN discovery (does not work alone on loopback)
	DisableUDP bool // --udp 0: TCP relays only
	// StartPort and EndPort give the UDP port range to bind. When both are
	// zero the kit picks a narrow free range of its own.
	StartPort, EndPort uint16
	// TCPPort, when not zero, makes the peer a TCP relay on that port.
	TCPPort uint16
	// Savedata is a .tox profile to load; Pass decrypts it when it was
	// saved encrypted (toxencryptsave).
	Savedata, Pass string
	// SecretKey, when set, is the peer's long-term secret key.
	SecretKey *key.SecretKey
	// AutoAccept accepts every friend request (event friend_accepted).
	AutoAccept bool
	// LogLevel is the lowest toxcore log level printed as "log" events:
	// trace, debug, info, warning (the default) or error; none for none.
	LogLevel string
	// Bootstrap nodes are added once the peer is ready: bootstrap for UDP
	// nodes, add_tcp_relay for TCP ones.
	Bootstrap []wire.Node
	// ExtraArgs are appended to the command line (flags of later modules).
	ExtraArgs []string
	// Binary runs another build of toxpeer instead of PeerBinary's.
	Binary string
}

// ErrExited means the peer process is gone.
var ErrExited = errors.New("toxtest: peer process exited")

// ErrBadWord means a command or argument was empty or contained white space
// or control characters: encode text with Hex.
var ErrBadWord = errors.New("toxtest: command words must be non-empty and without spaces (hex-encode text)")

// CommandError is an "err <cmd> <REASON> [details]" reply.
type CommandError struct {
	Peer   string
	Cmd    string
	Reason string // a toxcore error name (FRIEND_NOT_CONNECTED...), USAGE, BAD_ARG or UNKNOWN_COMMAND
	Detail []string
}

func (e *CommandError) Error() string {
	s := fmt.Sprintf("toxtest: %s: %s: %s", e.Peer, e.Cmd, e.Reason)
	if len(e.Detail) > 0 {
		s += " (" + strings.Join(e.Detail, " ") + ")"
	}
	return s
}

// Peer is a running toxpeer process: one libtoxcore Tox instance. Do,
// Wait and Close are safe for concurrent use; the Must helpers and the
// typed commands fail the test given to StartPeer, so call them from that
// test's goroutine.
type Peer struct {
	Name      string
	Address   key.ToxID     // tox_self_get_address
	PublicKey key.PublicKey // long-term key
	DHTID     key.PublicKey // DHT key, new at every start
	Port      uint16        // bound UDP port, 0 with DisableUDP
	TCPPort   uint16        // TCP relay port, 0 unless PeerOptions.TCPPort

	t     testing.TB
	cmd   *exec.Cmd
	stdin io.WriteCloser
	log   transcript

	wmu sync.Mutex // orders queueing a reply waiter with writing its command

	mu      sync.Mutex
	events  []Event
	taken   []bool
	first   int // every event before first is taken
	waiters []chan reply
	changed chan struct{} // closed and replaced on every new event and at exit
	exited  bool
	exitErr error

	done      chan struct{} // closed once the process is reaped and its output read
	closeOnce sync.Once
	closeErr  error
}

var peerSeq atomic.Int32

// StartPeer starts a toxpeer, waits for its ready line and, if asked,
// bootstraps it. The peer is stopped in t.Cleanup; if the test failed, the
// tail of its output is logged.
func StartPeer(t testing.TB, opts PeerOptions) *Peer {
	t.Helper()
	bin := opts.Binary
	if bin == "" {
		bin = PeerBinary(t)
	}
	name := opts.Name
	if name == "" {
		name = fmt.Sprintf("toxpeer%d", peerSeq.Add(1))
	}
	args, err := opts.args()
	if err != nil {
		t.Fatal(err)
	}
	p := &Peer{
		Name:    name,
		t:       t,
		cmd:     exec.Command(bin, args...),
		changed: make(chan struct{}),
		done:    make(chan struct{}),
	}
	p.cmd.SysProcAttr = procAttr()
	p.stdin, err = p.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.log.add("> start " + strings.Join(p.cmd.Args, " "))
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("toxtest: starting %s: %v", name, err)
	}
	var readers sync.WaitGroup
	readers.Add(2)
	go func() { defer readers.Done(); p.readStdout(stdout) }()
	go func() { defer readers.Done(); p.readStderr(stderr) }()
	go p.waitExit(&readers)
	t.Cleanup(func() { p.cleanup(t) })

	ready, err := p.Wait(startTimeout, Is("ready"))
	if err != nil {
		if f, ok := p.find("fatal"); ok {
			t.Fatalf("toxtest: %s failed to start: %s", name, f.Line)
		}
		t.Fatalf("toxtest: %s: no ready line: %v", name, err)
	}
	if err := p.parseReady(ready); err != nil {
		t.Fatal(err)
	}
	for _, n := range opts.Bootstrap {
		p.Bootstrap(n)
	}
	return p
}

// args turns the options into toxpeer flags, picking ports if needed.
func (o PeerOptions) args() ([]string, error) {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	start, end := o.StartPort, o.EndPort
	if start == 0 && end == 0 {
		base, err := freePorts(peerPortSpan)
		if err != nil {
			return nil, err
		}
		start, end = base, base+peerPortSpan-1
	}
	level := o.LogLevel
	if level == "" {
		level = "warning"
	}
	a := []string{
		"--ipv6", b(o.IPv6), "--udp", b(!o.DisableUDP), "--lan", b(o.LAN),
		"--start-port", strconv.Itoa(int(start)), "--end-port", strconv.Itoa(int(end)),
		"--log-level", level,
	}
	if o.TCPPort != 0 {
		a = append(a, "--tcp-port", strconv.Itoa(int(o.TCPPort)))
	}
	if o.Savedata != "" {
		a = append(a, "--savedata", o.Savedata)
	}
	if o.Pass != "" {
		a = append(a, "--pass", o.Pass)
	}
	if o.SecretKey != nil {
		a = append(a, "--secret-key", HexBytes(o.SecretKey[:]))
	}
	if o.SelfName != "" {
		a = append(a, "--name", o.SelfName)
	}
	if o.AutoAccept {
		a = append(a, "--auto-accept", "1")
	}
	return append(a, o.ExtraArgs...), nil
}

// parseReady fills the identity from "ready <address> <dhtpk> <udpport> <pk> <tcpport>".
func (p *Peer) parseReady(e Event) error {
	if len(e.Args) < 5 {
		return fmt.Errorf("toxtest: %s: short ready line %q", p.Name, e.Line)
	}
	addr, err := key.ParseToxID(e.Args[0])
	if err != nil {
		return fmt.Errorf("toxtest: %s: ready address: %w", p.Name, err)
	}
	dht, err := e.PublicKey(1)
	if err != nil {
		return fmt.Errorf("toxtest: %s: ready DHT id: %w", p.Name, err)
	}
	port, err := e.Uint(2)
	if err != nil || port > 65535 { // 0 when UDP is off
		return fmt.Errorf("toxtest: %s: ready UDP port %q: %v", p.Name, e.Args[2], err)
	}
	pk, err := e.PublicKey(3)
	if err != nil {
		return fmt.Errorf("toxtest: %s: ready public key: %w", p.Name, err)
	}
	tcp, err := e.Uint(4)
	if err != nil || tcp > 65535 {
		return fmt.Errorf("toxtest: %s: ready TCP port %q: %v", p.Name, e.Args[4], err)
	}
	p.Address, p.DHTID, p.Port, p.PublicKey, p.TCPPort = addr, dht, uint16(port), pk, uint16(tcp)
	return nil
}

// Node is the peer's DHT node on 127.0.0.1, to bootstrap others from it.
func (p *Peer) Node() wire.Node {
	return wire.Node{PK: p.DHTID, Addr: netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), p.Port)}
}

// TCPNode is the peer's TCP relay on 127.0.0.1 (only with PeerOptions.TCPPort).
func (p *Peer) TCPNode() wire.Node {
	return wire.Node{PK: p.DHTID, Addr: netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), p.TCPPort), TCP: true}
}

// Done is closed once the process has exited and all its output is read.
func (p *Peer) Done() <-chan struct{} { return p.done }

// Transcript returns the lines kept so far: the peer's output, its stderr
// prefixed "stderr:", and the commands sent as "<ms> > cmd".
func (p *Peer) Transcript() []string {
	lines, _ := p.log.all()
	return lines
}

// Close asks the peer to quit, kills it if it has not exited within a few
// seconds, and waits for it. It returns the process's exit error, if any.
// Calling it again returns the same result.
func (p *Peer) Close() error {
	p.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		// Sent from a goroutine: a Do stuck writing to a hung peer holds the
		// write lock, and Close must still get to the kill below. The
		// goroutine ends when its reply, ctx or the process's exit comes.
		quitErr := make(chan error, 1)
		go func() {
			_, err := p.DoContext(ctx, "quit")
			quitErr <- err
		}()
		select {
		case <-p.done:
		case <-ctx.Done():
			if err := p.cmd.Process.Kill(); err != nil {
				p.log.add("toxtest: kill: " + err.Error())
			}
			<-p.done
			p.closeErr = fmt.Errorf("toxtest: %s did not exit within %v of quit (%v); killed", p.Name, stopTimeout, <-quitErr)
		}
		p.stdin.Close()
		if p.closeErr != nil {
			return
		}
		<-quitErr // already answered or failed: the process is gone
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.exitErr != nil {
			p.closeErr = fmt.Errorf("toxtest: %s exited: %w", p.Name, p.exitErr)
		}
	})
	return p.closeErr
}

// cleanup stops the peer at the end of the test and reports what went wrong.
func (p *Peer) cleanup(t testing.TB) {
	if err := p.Close(); err != nil {
		if t.Failed() {
			t.Log(err)
		} else {
			t.Error(err)
		}
	}
	if t.Failed() {
		p.log.logTail(t, p.Name)
	}
}

// Signal sends sig to the peer's process: SIGSTOP and SIGCONT freeze and
// thaw it, which is how tests cut a c-toxcore peer off for a while.
func (p *Peer) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }
