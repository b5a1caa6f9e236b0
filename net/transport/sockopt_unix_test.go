//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package transport

import (
	"syscall"
	"testing"
)

func TestBroadcastEnabled(t *testing.T) {
	for _, cfg := range []Config{
		{BindAddr: mustAddr("127.0.0.1"), Ephemeral: true},
		{IPv6: true, Ephemeral: true},
	} {
		var logs []string
		cfg.Logf = func(f string, args ...any) { logs = append(logs, f) }
		c, err := Listen(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := c.(*udpConn).c.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		var v int
		var gerr error
		if err := rc.Control(func(fd uintptr) {
			v, gerr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_BROADCAST)
		}); err != nil {
			t.Fatal(err)
		}
		if gerr != nil || v == 0 {
			t.Errorf("%v: SO_BROADCAST = %d, %v", c.LocalAddr(), v, gerr)
		}
		t.Logf("%v: notes %q", c.LocalAddr(), logs)
		c.Close()
	}
}
