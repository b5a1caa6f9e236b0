//go:build interop

package toxtest_test

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"parley/net/toxtest"
)

func TestBootstrapdAnswersInfo(t *testing.T) {
	t.Parallel()
	bs := toxtest.StartBootstrapd(t)
	if bs.PK.IsZero() {
		t.Error("bootstrapd public key is zero")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	info, err := toxtest.QueryBootstrapInfo(ctx, bs.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if info.MOTD != bs.MOTD {
		t.Errorf("MOTD %q, want %q", info.MOTD, bs.MOTD)
	}
	if info.Version != 1000002018 {
		t.Errorf("version %d, want 1000002018 (0.2.18)", info.Version)
	}
	// The keys file and the log agree on the key.
	if !slices.ContainsFunc(bs.Transcript(), func(l string) bool {
		return strings.Contains(l, "Public Key: "+bs.PK.String())
	}) {
		t.Errorf("log does not say Public Key: %v", bs.PK)
	}
	// The TCP relay listens on the same port.
	c, err := net.DialTimeout("tcp", bs.Addr.String(), 5*time.Second)
	if err != nil {
		t.Errorf("TCP relay: %v", err)
	} else {
		c.Close()
	}
	if err := bs.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case <-bs.Done():
	default:
		t.Error("Done not closed after Close")
	}
}
