//go:build interop

package dht

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"parley/net/clock"
	"parley/net/key"
	"parley/net/wire"
)

// liveNode is a DHT on a real loopback UDP socket, driven by the test.
type liveNode struct {
	d    *DHT
	conn *net.UDPConn
	addr netip.AddrPort
}

func newLiveNode(t *testing.T) *liveNode {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	keys, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	n := &liveNode{conn: conn, addr: conn.LocalAddr().(*net.UDPAddr).AddrPort()}
	n.d = New(Config{
		Keys: keys,
		Send: func(dst netip.AddrPort, pkt []byte) {
			if _, err := conn.WriteToUDPAddrPort(pkt, dst); err != nil {
				t.Logf("send to %v: %v", dst, err)
			}
		},
		LANDiscovery: true,
	}, wallNow())
	return n
}

// pump reads and handles packets for up to d, ticking as it goes.
func (n *liveNode) pump(t *testing.T, d time.Duration) {
	buf := make([]byte, wire.MaxUDPPacketSize)
	end := wallNow().Add(d)
	for {
		now := wallNow()
		if !now.Before(end) {
			return
		}
		n.d.Tick(now)
		n.conn.SetReadDeadline(now.Add(20 * time.Millisecond))
		m, src, err := n.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			t.Fatal(err)
		}
		if m > 0 && buf[0] <= 0x21 {
			if err := n.d.HandlePacket(wallNow(), src, buf[:m]); err != nil {
				t.Logf("%v from %v: %v", wire.Kind(buf[0]), src, err)
			}
		}
	}
}

// until pumps all nodes in turn until cond holds or the deadline passes.
func until(t *testing.T, nodes []*liveNode, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	end := wallNow().Add(limit)
	for !cond() {
		if wallNow().After(end) {
			t.Fatalf("interop: %s not within %v", what, limit)
		}
		for _, n := range nodes {
			n.pump(t, 50*time.Millisecond)
		}
	}
}

// startBootstrapd runs tox-bootstrapd on a free loopback port with a key
// pair we chose, and returns its address and DHT key.
func startBootstrapd(t *testing.T) (netip.AddrPort, key.PublicKey) {
	t.Helper()
	bin, err := exec.LookPath("tox-bootstrapd")
	if err != nil {
		t.Fatalf("interop: tox-bootstrapd is needed (Debian toxcore-utils): %v", err)
	}
	probe, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	port := probe.LocalAddr().(*net.UDPAddr).Port
	probe.Close()
	keys, err := key.NewPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "bs.keys")
	if err := os.WriteFile(keyFile, append(append([]byte(nil), keys.Public[:]...), keys.Secret[:]...), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`port = %d
keys_file_path = %q
pid_file_path = %q
enable_ipv6 = false
enable_ipv4_fallback = true
enable_lan_discovery = true
enable_tcp_relay = false
enable_motd = false
bootstrap_nodes = ()
`, port, keyFile, filepath.Join(dir, "bs.pid"))
	confFile := filepath.Join(dir, "bs.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	cmd := exec.Command(bin, "--config="+confFile, "--foreground", "--log-backend=stdout")
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatalf("interop: starting tox-bootstrapd: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("tox-bootstrapd log:\n%s", log.String())
		}
	})
	return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)), keys.Public
}

// TestInteropBootstrapd checks the DHT against c-toxcore's tox-bootstrapd
// on loopback: its send-nodes and pings open and parse here, ours there
// (it lists us and hands us out), two Go nodes find each other through
// it, it forwards our 0x20 requests, and it answers LAN discovery.
func TestInteropBootstrapd(t *testing.T) {
	bsAddr, bsPK := startBootstrapd(t)
	a, b := newLiveNode(t), newLiveNode(t)
	nodes := []*liveNode{a, b}

	// bootstrapd may need a moment to bind: bootstrap until it answers.
	until(t, nodes, 10*time.Second, "bootstrapd answering get-nodes", func() bool {
		now := wallNow()
		if !hasNode(a.d.Nodes(now), bsPK) {
			a.d.Bootstrap(now, bsAddr, bsPK)
		}
		if !hasNode(b.d.Nodes(now), bsPK) {
			b.d.Bootstrap(now, bsAddr, bsPK)
		}
		return hasNode(a.d.Nodes(now), bsPK) && hasNode(b.d.Nodes(now), bsPK)
	})
	// bootstrapd pings us back (ping_add) and lists us once we answer; it
	// then returns each of us to the other, and a and b list each other.
	until(t, nodes, 20*time.Second, "a and b finding each other through bootstrapd", func() bool {
		now := wallNow()
		return hasNode(a.d.Nodes(now), b.d.Self()) && hasNode(b.d.Nodes(now), a.d.Self())
	})
	if s := a.d.Stats(); s.Received.PingRequest == 0 {
		t.Fatalf("bootstrapd never pinged a: %+v", s)
	}

	// A lookup for b's key from a, with bootstrapd in the path.
	var found []wire.Node
	a.d.Lookup(wallNow(), b.d.Self(), 4, func(_ time.Time, c []wire.Node) { found = c })
	until(t, nodes, 15*time.Second, "a lookup for b", func() bool { return found != nil })
	if len(found) == 0 || found[0].PK != b.d.Self() || found[0].Addr != b.addr {
		t.Fatalf("lookup for b found %v", found)
	}

	// A 0x20 request for b, sent to bootstrapd, is forwarded to b.
	var got []byte
	b.d.HandleRequest(SubtypeDHTPK, func(_ time.Time, src netip.AddrPort, sender key.PublicKey, data []byte) {
		if src == bsAddr && sender == a.d.Self() {
			got = data
		}
	})
	if err := a.d.SendRequest(wallNow(), bsAddr, b.d.Self(), SubtypeDHTPK, []byte("through c-toxcore")); err != nil {
		t.Fatal(err)
	}
	until(t, nodes, 5*time.Second, "b receiving a request routed by bootstrapd", func() bool { return got != nil })
	if string(got) != "through c-toxcore" {
		t.Fatalf("b got %q", got)
	}

	// LAN discovery from 127.0.0.1 makes bootstrapd bootstrap off a fresh node.
	c := newLiveNode(t)
	if _, err := c.conn.WriteToUDPAddrPort(c.d.LANDiscoveryPacket(), bsAddr); err != nil {
		t.Fatal(err)
	}
	until(t, []*liveNode{c}, 5*time.Second, "bootstrapd answering LAN discovery", func() bool {
		return c.d.Stats().Received.NodesRequest > 0
	})
}

// wallNow is the real time: this test runs against a live process.
func wallNow() time.Time { return clock.Real{}.Now() }
