package netsim

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"runtime"
	"testing"
	"testing/synctest"
	"time"
)

func mustListen(t *testing.T, l interface {
	Listen(netip.AddrPort) (*Conn, error)
}, addr string) *Conn {
	t.Helper()
	c, err := l.Listen(ap(addr))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustWrite(t *testing.T, c *Conn, b []byte, dst netip.AddrPort) {
	t.Helper()
	if n, err := c.WriteToUDPAddrPort(b, dst); err != nil || n != len(b) {
		t.Fatalf("write: %d, %v", n, err)
	}
}

func mustRead(t *testing.T, c *Conn) ([]byte, netip.AddrPort) {
	t.Helper()
	buf := make([]byte, 2048)
	n, src, err := c.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return buf[:n], src
}

// echo answers one packet on c and returns.
func echo(c *Conn) {
	buf := make([]byte, 2048)
	n, src, err := c.ReadFromUDPAddrPort(buf)
	if err == nil {
		_, _ = c.WriteToUDPAddrPort(buf[:n], src) // the test checks what arrives
	}
}

func TestConnDelayTakesNoWallTime(t *testing.T) {
	wall := time.Now()
	synctest.Test(t, func(t *testing.T) {
		n := NewRealtime(1)
		defer n.Close()
		n.SetDefaultLink(Link{Delay: 5 * time.Second})
		a := mustListen(t, n, "10.0.0.1:1")
		b := mustListen(t, n, "10.0.0.2:2")
		go echo(b)
		start := time.Now()
		mustWrite(t, a, []byte("ping"), b.LocalAddr())
		got, src := mustRead(t, a)
		if string(got) != "ping" || src != b.LocalAddr() {
			t.Errorf("got %q from %v", got, src)
		}
		if rtt := time.Since(start); rtt != 10*time.Second {
			t.Errorf("round trip took %v of bubble time, want exactly 10s", rtt)
		}
	})
	if d := time.Since(wall); d > 2*time.Second {
		t.Errorf("10 s of link delay took %v of wall time", d)
	}
}

func TestConnCloseUnblocksRead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := NewRealtime(1)
		defer n.Close()
		c := mustListen(t, n, "10.0.0.1:1")
		errc := make(chan error)
		go func() {
			_, _, err := c.ReadFromUDPAddrPort(make([]byte, 10))
			errc <- err
		}()
		synctest.Wait() // the reader is blocked
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-errc; !errors.Is(err, net.ErrClosed) {
			t.Errorf("pending read returned %v, want net.ErrClosed", err)
		}
		if _, _, err := c.ReadFromUDPAddrPort(make([]byte, 10)); !errors.Is(err, net.ErrClosed) {
			t.Errorf("read after close: %v", err)
		}
		if _, err := c.WriteToUDPAddrPort([]byte("x"), ap("10.0.0.2:2")); !errors.Is(err, net.ErrClosed) {
			t.Errorf("write after close: %v", err)
		}
		if err := c.Close(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("second close: %v", err)
		}
		// The address is free again.
		mustListen(t, n, "10.0.0.1:1")
	})
}

func TestNetworkCloseClosesConns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := NewRealtime(1)
		n.SetDefaultLink(Link{Delay: time.Hour})
		a := mustListen(t, n, "10.0.0.1:1")
		b := mustListen(t, n, "10.0.0.2:2")
		mustWrite(t, a, []byte("never arrives"), b.LocalAddr())
		errc := make(chan error)
		go func() {
			_, _, err := b.ReadFromUDPAddrPort(make([]byte, 10))
			errc <- err
		}()
		synctest.Wait()
		if err := n.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-errc; !errors.Is(err, net.ErrClosed) {
			t.Errorf("read after network close: %v", err)
		}
		if _, err := n.Listen(ap("10.0.0.3:3")); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Listen on a closed network: %v", err)
		}
	})
}

func TestConnQueueBound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := NewRealtime(1)
		defer n.Close()
		n.SetQueueLen(4)
		n.SetDefaultLink(Link{Delay: time.Millisecond})
		a := mustListen(t, n, "10.0.0.1:1")
		b := mustListen(t, n, "10.0.0.2:2")
		for i := range 10 {
			mustWrite(t, a, []byte{byte(i)}, b.LocalAddr())
		}
		time.Sleep(time.Second) // bubble time: every packet has arrived
		if b.Dropped() != 6 || n.Stats().QueueDrop != 6 {
			t.Errorf("Dropped = %d, stats %+v; want 6", b.Dropped(), n.Stats())
		}
		for i := range 4 {
			if got, _ := mustRead(t, b); !bytes.Equal(got, []byte{byte(i)}) {
				t.Errorf("packet %d: %v", i, got)
			}
		}
		checkBalance(t, n.Stats())
	})
}

func TestConnReadTruncatesAndWriteErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := NewRealtime(1)
		defer n.Close()
		a := mustListen(t, n, "10.0.0.1:1")
		b := mustListen(t, n, "10.0.0.2:2")
		mustWrite(t, a, []byte("hello world"), b.LocalAddr())
		buf := make([]byte, 5)
		if k, _, err := b.ReadFromUDPAddrPort(buf); err != nil || string(buf[:k]) != "hello" {
			t.Errorf("short read: %q, %v", buf[:k], err)
		}
		if _, err := a.WriteToUDPAddrPort(make([]byte, MaxDatagram+1), b.LocalAddr()); !errors.Is(err, ErrMessageTooLong) {
			t.Errorf("oversize write: %v", err)
		}
		if _, err := a.WriteToUDPAddrPort([]byte("x"), netip.AddrPort{}); !errors.Is(err, ErrInvalidAddr) {
			t.Errorf("write to the zero address: %v", err)
		}
		if _, err := n.Listen(ap("10.0.0.1:1")); !errors.Is(err, ErrAddrInUse) {
			t.Errorf("double bind: %v", err)
		}
		c, err := n.Listen(ap("10.0.0.1:0"))
		if err != nil || c.LocalAddr().Port() == 0 || c.LocalAddr().Addr() != ip("10.0.0.1") {
			t.Errorf("port-0 bind: %v, %v", c, err)
		}
	})
}

func TestConnBehindNAT(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := NewRealtime(1)
		defer n.Close()
		n.SetDefaultLink(Link{Delay: 30 * time.Millisecond})
		nat, err := n.AddNAT(ip("203.0.113.1"), NATConfig{Filtering: AddressPortDependent, Timeout: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		client := mustListen(t, nat, "192.168.1.2:33445")
		server := mustListen(t, n, "198.51.100.1:33445")
		stranger := mustListen(t, n, "198.51.100.2:33445")

		mustWrite(t, client, []byte("hi"), server.LocalAddr())
		_, mapped := mustRead(t, server)
		if mapped.Addr() != nat.Public() {
			t.Fatalf("server saw %v", mapped)
		}
		mustWrite(t, stranger, []byte("spam"), mapped)
		mustWrite(t, server, []byte("reply"), mapped)
		if got, src := mustRead(t, client); string(got) != "reply" || src != server.LocalAddr() {
			t.Errorf("client got %q from %v", got, src)
		}
		if s := n.Stats(); s.NATFiltered != 1 {
			t.Errorf("stats %+v, want the stranger's packet filtered", s)
		}
		// Silence for the timeout closes the mapping.
		time.Sleep(31 * time.Second)
		mustWrite(t, server, []byte("late"), mapped)
		time.Sleep(time.Second)
		if s := n.Stats(); s.NATFiltered != 2 {
			t.Errorf("stats %+v, want the late reply filtered", s)
		}
	})
}

// TestRealtimeHostsAndTimers runs callback hosts and timers on bubble time.
func TestRealtimeHostsAndTimers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := NewRealtime(1)
		defer n.Close()
		n.SetDefaultLink(Link{Delay: 2 * time.Second})
		start := time.Now()
		var ticks, arrivals []time.Duration
		h, err := n.AddHost(ap("10.0.0.1:1"), func(now time.Time, _ netip.AddrPort, _ []byte) {
			arrivals = append(arrivals, now.Sub(start))
		})
		if err != nil {
			t.Fatal(err)
		}
		c := mustListen(t, n, "10.0.0.2:2")
		tick := n.Every(30*time.Second, func(now time.Time) {
			ticks = append(ticks, now.Sub(start))
			if _, err := c.WriteToUDPAddrPort([]byte("t"), h.Addr()); err != nil {
				t.Error(err)
			}
		})
		time.Sleep(95 * time.Second)
		tick.Stop()
		synctest.Wait()
		want := []time.Duration{30 * time.Second, 60 * time.Second, 90 * time.Second}
		if len(ticks) != 3 || len(arrivals) != 3 {
			t.Fatalf("ticks %v, arrivals %v", ticks, arrivals)
		}
		for i := range want {
			if ticks[i] != want[i] || arrivals[i] != want[i]+2*time.Second {
				t.Errorf("ticks %v, arrivals %v", ticks, arrivals)
			}
		}
	})
}

// TestConnEventMode shows conns also work on an event-mode network, with
// time advanced by the driver.
func TestConnEventMode(t *testing.T) {
	n := New(1, epoch)
	n.SetDefaultLink(Link{Delay: time.Second})
	a := mustListen(t, n, "10.0.0.1:1")
	b := mustListen(t, n, "10.0.0.2:2")
	mustWrite(t, a, []byte("x"), b.LocalAddr())
	n.RunFor(time.Second)
	if got, src := mustRead(t, b); string(got) != "x" || src != a.LocalAddr() {
		t.Errorf("got %q from %v", got, src)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRealtimeWallClock runs a realtime network on the real clock and
// checks that no goroutine outlives it.
func TestRealtimeWallClock(t *testing.T) {
	before := runtime.NumGoroutine()
	n := NewRealtime(1)
	n.SetDefaultLink(Link{Delay: time.Millisecond, Jitter: time.Millisecond})
	a := mustListen(t, n, "10.0.0.1:1")
	b := mustListen(t, n, "10.0.0.2:2")
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 100)
		for {
			k, src, err := b.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			_, _ = b.WriteToUDPAddrPort(buf[:k], src) // a's reads check
		}
	}()
	for i := range 50 {
		mustWrite(t, a, []byte{byte(i)}, b.LocalAddr())
		if got, _ := mustRead(t, a); len(got) != 1 || got[0] != byte(i) {
			t.Fatalf("echo %d: %v", i, got)
		}
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	<-done
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		runtime.Gosched()
	}
}

// TestConcurrentSenders has several goroutines write at once and checks
// every packet arrives exactly once.
func TestConcurrentSenders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := NewRealtime(1)
		defer n.Close()
		n.SetDefaultLink(Link{Delay: 10 * time.Millisecond, Jitter: 10 * time.Millisecond})
		dst := mustListen(t, n, "10.0.0.100:1")
		const senders, each = 8, 100
		for i := range senders {
			c := mustListen(t, n, "10.0.0.1:0")
			go func() {
				for j := range each {
					if _, err := c.WriteToUDPAddrPort([]byte{byte(i), byte(j)}, dst.LocalAddr()); err != nil {
						t.Error(err)
					}
					time.Sleep(time.Millisecond)
				}
			}()
		}
		seen := make(map[[2]byte]bool)
		for range senders * each {
			got, _ := mustRead(t, dst)
			k := [2]byte{got[0], got[1]}
			if seen[k] {
				t.Fatalf("duplicate %v", k)
			}
			seen[k] = true
		}
		if s := n.Stats(); s.Delivered != senders*each || s.InFlight != 0 {
			t.Errorf("stats %+v", s)
		}
	})
}
