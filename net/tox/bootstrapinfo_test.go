package tox

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"parley/net/wire"
)

func TestBootstrapInfoGolden(t *testing.T) {
	b, err := AppendBootstrapInfo(nil, 1000002018, "local")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hex.EncodeToString(b), "f03b9ad1e26c6f63616c"; got != want {
		t.Fatalf("got %s want %s", got, want)
	}
	v, m, err := ParseBootstrapInfo(b)
	if err != nil || v != 1000002018 || m != "local" {
		t.Fatalf("parse: %d %q %v", v, m, err)
	}
	if _, err := AppendBootstrapInfo(nil, 1, strings.Repeat("x", MaxMOTD+1)); !errors.Is(err, wire.ErrLong) {
		t.Fatalf("long MOTD: %v", err)
	}
	for _, bad := range [][]byte{nil, {0xf0, 1}, {0x00, 0, 0, 0, 0}} {
		if _, _, err := ParseBootstrapInfo(bad); err == nil {
			t.Fatalf("%x parsed", bad)
		}
	}
	req := make([]byte, BootstrapInfoRequestSize)
	req[0] = 0xf0
	if !IsBootstrapInfoRequest(req) || IsBootstrapInfoRequest(req[:77]) {
		t.Fatal("request size check")
	}
}

func FuzzParseBootstrapInfo(f *testing.F) {
	b, _ := AppendBootstrapInfo(nil, Version, "Parley bootstrap node")
	f.Add(b)
	f.Add([]byte{0xf0})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, m, err := ParseBootstrapInfo(b)
		if err != nil {
			return
		}
		out, err := AppendBootstrapInfo(nil, v, m)
		if err != nil || string(out) != string(b) {
			t.Fatalf("round trip %x -> %x %v", b, out, err)
		}
	})
}
