package tox

import (
	"encoding/hex"
	"errors"
	"testing"

	"parley/net/outbox"
	"parley/net/wire"
)

func TestMsgIDHintGolden(t *testing.T) {
	h := MsgIDHint{MsgID: outbox.MsgID{0x01, 0x02, 15: 0xff}, Part: 0x0102}
	const want = "b4" + "0102000000000000000000000000" + "00ff" + "0102"
	b, err := h.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(b); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	p, err := ParseMsgIDHint(b)
	if err != nil || p != h {
		t.Fatalf("parsed %+v, %v", p, err)
	}
	for _, c := range []struct {
		b   []byte
		err error
	}{{nil, wire.ErrShort}, {b[:18], wire.ErrShort}, {append(b, 0), wire.ErrLong}, {append([]byte{64}, b[1:]...), wire.ErrKind}} {
		if _, err := ParseMsgIDHint(c.b); !errors.Is(err, c.err) {
			t.Errorf("%x: %v, want %v", c.b, err, c.err)
		}
	}
}

func FuzzParseMsgIDHint(f *testing.F) {
	f.Add([]byte("\xb4\x01\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\x01\x02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseMsgIDHint(b)
		if err != nil {
			return
		}
		out, err := h.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		h2, err := ParseMsgIDHint(out)
		if err != nil || h2 != h {
			t.Fatalf("round trip %+v -> %+v (%v)", h, h2, err)
		}
	})
}
