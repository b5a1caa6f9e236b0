package toxtest

import (
	"errors"
	"testing"

	"parley/net/wire"
)

func TestParseBootstrapInfo(t *testing.T) {
	// 0xf0 | version 1000002018 (0x3B9AD1E2) big-endian | "local\0"
	golden := []byte{0xf0, 0x3b, 0x9a, 0xd1, 0xe2, 'l', 'o', 'c', 'a', 'l', 0}
	info, err := parseBootstrapInfo(golden)
	if err != nil || info.Version != 1000002018 || info.MOTD != "local" {
		t.Errorf("parseBootstrapInfo = %+v, %v", info, err)
	}
	if _, err := parseBootstrapInfo(golden[:4]); !errors.Is(err, wire.ErrShort) {
		t.Errorf("short: %v, want ErrShort", err)
	}
	bad := append([]byte{0x00}, golden[1:]...)
	if _, err := parseBootstrapInfo(bad); !errors.Is(err, wire.ErrKind) {
		t.Errorf("wrong kind: %v, want ErrKind", err)
	}
}
