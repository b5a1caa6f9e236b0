package toxtest

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

const (
	// bootstrapdReadyTimeout bounds the wait for a started tox-bootstrapd
	// to answer BOOTSTRAP_INFO (normally a few tens of milliseconds).
	bootstrapdReadyTimeout = 15 * time.Second
	// bootstrapdAttempts: a port found free may be taken before the daemon
	// binds it; then it exits and is started again on another port.
	bootstrapdAttempts = 3
	// BOOTSTRAP_INFO (tox-protocol.md §2): the request is exactly 78 bytes
	// starting 0xf0; the reply is 0xf0 | version u32 big-endian | MOTD.
	bootstrapInfoRequestSize = 78
	bootstrapInfoHeaderSize  = 1 + 4
	bootstrapInfoRetry       = 100 * time.Millisecond
)

var loopback = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// BootstrapInfo is a tox-bootstrapd's answer to BOOTSTRAP_INFO.
type BootstrapInfo struct {
	Version uint32 // e.g. 1000002018 for 0.2.18
	MOTD    string
}

// Bootstrapd is a running tox-bootstrapd on 127.0.0.1: DHT node, onion
// relay and TCP relay on one port, LAN discovery and IPv6 off.
type Bootstrapd struct {
	Addr netip.AddrPort // 127.0.0.1:port, UDP and TCP
	PK   key.PublicKey  // its DHT key, from the keys file
	MOTD string         // as configured
	Info BootstrapInfo  // its BOOTSTRAP_INFO reply
	Dir  string         // config, keys and pid file

	cmd       *exec.Cmd
	log       transcript
	done      chan struct{}
	exitErr   error // set before done is closed
	closeOnce sync.Once
	closeErr  error
}

// StartBootstrapd starts tox-bootstrapd on a free 127.0.0.1 port, waits
// until it answers BOOTSTRAP_INFO, and stops it in t.Cleanup (logging its
// output if the test failed). A missing tox-bootstrapd fails the test.
func StartBootstrapd(t testing.TB) *Bootstrapd {
	t.Helper()
	bin, err := exec.LookPath("tox-bootstrapd")
	if err != nil {
		t.Fatalf("toxtest: tox-bootstrapd not found (%v): install it with apt-get install toxcore-utils", err)
	}
	dir := t.TempDir()
	for attempt := 1; ; attempt++ {
		b, err := startBootstrapd(bin, dir)
		if err == nil {
			t.Cleanup(func() { b.cleanup(t) })
			return b
		}
		if b != nil {
			b.Close() // its error is err's cause, reported below
			b.log.logTail(t, "tox-bootstrapd "+b.Addr.String())
		}
		if !errors.Is(err, ErrExited) || attempt == bootstrapdAttempts {
			t.Fatal(err)
		}
		t.Logf("%v; trying another port", err)
	}
}

// startBootstrapd makes one attempt. An error wrapping ErrExited means the
// daemon quit before answering, likely because its port was taken. On an
// error, a non-nil *Bootstrapd is a started process the caller must Close.
func startBootstrapd(bin, dir string) (*Bootstrapd, error) {
	port, err := freePorts(1)
	if err != nil {
		return nil, err
	}
	b := &Bootstrapd{
		Addr: netip.AddrPortFrom(loopback, port),
		MOTD: fmt.Sprintf("parley toxtest bootstrapd %d", port),
		Dir:  dir,
		done: make(chan struct{}),
	}
	conf := filepath.Join(dir, "tox-bootstrapd.conf")
	if err := os.WriteFile(conf, []byte(b.config()), 0o644); err != nil {
		return nil, err
	}
	b.cmd = exec.Command(bin, "--config="+conf, "--foreground", "--log-backend=stdout")
	b.cmd.SysProcAttr = procAttr()
	out, err := b.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	b.cmd.Stderr = b.cmd.Stdout // one pipe, one reader
	b.log.add("> " + b.cmd.String())
	if err := b.cmd.Start(); err != nil {
		return nil, fmt.Errorf("toxtest: starting tox-bootstrapd: %w", err)
	}
	go b.run(out)

	ctx, cancel := context.WithTimeout(context.Background(), bootstrapdReadyTimeout)
	defer cancel()
	go func() {
		select {
		case <-b.done: // exited: stop waiting for an answer
			cancel()
		case <-ctx.Done():
		}
	}()
	b.Info, err = QueryBootstrapInfo(ctx, b.Addr)
	if err != nil {
		select {
		case <-b.done:
			return b, fmt.Errorf("toxtest: tox-bootstrapd on port %d: %w before answering (%v)", port, ErrExited, b.exitErr)
		default:
			return b, fmt.Errorf("toxtest: tox-bootstrapd on port %d: %w", port, err)
		}
	}
	keys, err := os.ReadFile(filepath.Join(dir, "keys"))
	if err != nil || len(keys) < 2*key.Size {
		return b, fmt.Errorf("toxtest: tox-bootstrapd keys file (%d bytes): %v", len(keys), err)
	}
	copy(b.PK[:], keys[:key.Size]) // the file is pk(32) | sk(32) (tox-protocol.md §13.1)
	return b, nil
}

// config is a tox-bootstrapd config for loopback tests (tox-protocol.md §13.1).
func (b *Bootstrapd) config() string {
	port := b.Addr.Port()
	return fmt.Sprintf(`port = %d
keys_file_path = %q
pid_file_path = %q
enable_ipv6 = false
enable_ipv4_fallback = true
enable_lan_discovery = false
enable_tcp_relay = true
tcp_relay_ports = [%d]
enable_motd = true
motd = %q
bootstrap_nodes = ()
`, port, filepath.Join(b.Dir, "keys"), filepath.Join(b.Dir, "tox-bootstrapd.pid"), port, b.MOTD)
}

// run keeps the log and reaps the process.
func (b *Bootstrapd) run(out io.Reader) {
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		b.log.add(sc.Text())
	}
	io.Copy(io.Discard, out)
	b.exitErr = b.cmd.Wait()
	close(b.done)
}

// Node is the daemon as a UDP DHT bootstrap node.
func (b *Bootstrapd) Node() wire.Node { return wire.Node{PK: b.PK, Addr: b.Addr} }

// TCPNode is the daemon as a TCP relay.
func (b *Bootstrapd) TCPNode() wire.Node { return wire.Node{PK: b.PK, Addr: b.Addr, TCP: true} }

// Done is closed once the daemon has exited and its output is read.
func (b *Bootstrapd) Done() <-chan struct{} { return b.done }

// Transcript returns the daemon's log lines kept so far.
func (b *Bootstrapd) Transcript() []string {
	lines, _ := b.log.all()
	return lines
}

// Close stops the daemon with SIGTERM, kills it if it has not exited within
// a few seconds, and waits for it. Calling it again returns the same result.
func (b *Bootstrapd) Close() error {
	b.closeOnce.Do(func() {
		select {
		case <-b.done:
			if b.exitErr != nil {
				b.closeErr = fmt.Errorf("toxtest: tox-bootstrapd exited early: %w", b.exitErr)
			}
			return
		default:
		}
		if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			b.log.add("toxtest: SIGTERM: " + err.Error())
		}
		timer := time.NewTimer(stopTimeout)
		defer timer.Stop()
		select {
		case <-b.done:
		case <-timer.C:
			if err := b.cmd.Process.Kill(); err != nil {
				b.log.add("toxtest: kill: " + err.Error())
			}
			<-b.done
			b.closeErr = fmt.Errorf("toxtest: tox-bootstrapd ignored SIGTERM for %v; killed", stopTimeout)
		}
	})
	return b.closeErr
}

func (b *Bootstrapd) cleanup(t testing.TB) {
	if err := b.Close(); err != nil {
		if t.Failed() {
			t.Log(err)
		} else {
			t.Error(err)
		}
	}
	if t.Failed() {
		b.log.logTail(t, "tox-bootstrapd "+b.Addr.String())
	}
}

// QueryBootstrapInfo sends BOOTSTRAP_INFO requests to addr every 100 ms
// until one is answered or ctx ends.
func QueryBootstrapInfo(ctx context.Context, addr netip.AddrPort) (BootstrapInfo, error) {
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 0)))
	if err != nil {
		return BootstrapInfo{}, fmt.Errorf("toxtest: bootstrap info: %w", err)
	}
	defer conn.Close()
	req := make([]byte, bootstrapInfoRequestSize)
	req[0] = byte(wire.KindBootstrapInfo)
	buf := make([]byte, wire.MaxUDPPacketSize)
	for {
		if _, err := conn.WriteToUDPAddrPort(req, addr); err != nil {
			return BootstrapInfo{}, fmt.Errorf("toxtest: bootstrap info to %v: %w", addr, err)
		}
		deadline := time.Now().Add(bootstrapInfoRetry)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		if err := conn.SetReadDeadline(deadline); err != nil {
			return BootstrapInfo{}, err
		}
		for {
			n, from, err := conn.ReadFromUDPAddrPort(buf)
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					break
				}
				return BootstrapInfo{}, fmt.Errorf("toxtest: bootstrap info from %v: %w", addr, err)
			}
			if from != addr {
				continue
			}
			if info, err := parseBootstrapInfo(buf[:n]); err == nil {
				return info, nil
			}
		}
		if err := ctx.Err(); err != nil {
			return BootstrapInfo{}, fmt.Errorf("toxtest: no bootstrap info from %v: %w", addr, err)
		}
	}
}

// parseBootstrapInfo parses 0xf0 | version u32 | MOTD (NUL-terminated by
// tox-bootstrapd; the NUL is dropped).
func parseBootstrapInfo(b []byte) (BootstrapInfo, error) {
	if len(b) < bootstrapInfoHeaderSize {
		return BootstrapInfo{}, fmt.Errorf("toxtest: bootstrap info: %w (%d bytes)", wire.ErrShort, len(b))
	}
	if b[0] != byte(wire.KindBootstrapInfo) {
		return BootstrapInfo{}, fmt.Errorf("toxtest: bootstrap info: %w (0x%02x)", wire.ErrKind, b[0])
	}
	motd := b[bootstrapInfoHeaderSize:]
	for len(motd) > 0 && motd[len(motd)-1] == 0 {
		motd = motd[:len(motd)-1]
	}
	return BootstrapInfo{Version: binary.BigEndian.Uint32(b[1:5]), MOTD: string(motd)}, nil
}

// PID returns the tox-bootstrapd process id (for resource measurements).
func (b *Bootstrapd) PID() int { return b.cmd.Process.Pid }
