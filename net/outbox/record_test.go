package outbox

import (
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
	"time"

	"parley/net/key"
)

var goldens = []struct {
	name string
	rec  Record
	hex  string
}{
	{"enqueue", Record{Type: RecEnqueue, ID: 258, Friend: key.PublicKey{0xaa}, Kind: 1, MsgID: MsgID{0x11, 15: 0xff}, Time: time.Unix(0, 0x0102030405060708), Text: "hi"},
		"01" + "0000000000000102" + "aa" + strings.Repeat("00", 31) + "01" + "11" + strings.Repeat("00", 14) + "ff" + "0102030405060708" + "6869"},
	{"acked", Record{Type: RecAcked, ID: 7, Part: 2}, "02" + "0000000000000007" + "0002"},
	{"seen", Record{Type: RecSeen, Friend: key.PublicKey{31: 0x01}, MsgID: MsgID{0x22}, Part: 513},
		"03" + strings.Repeat("00", 31) + "01" + "22" + strings.Repeat("00", 15) + "0201"},
	{"nextid", Record{Type: RecNextID, ID: 99}, "04" + "0000000000000063"},
}

func TestRecordGolden(t *testing.T) {
	for _, g := range goldens {
		b, err := g.rec.AppendBinary(nil)
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		if got := hex.EncodeToString(b); got != g.hex {
			t.Errorf("%s:\n got %s\nwant %s", g.name, got, g.hex)
		}
		r, err := ParseRecord(b)
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		if !reflect.DeepEqual(r, g.rec) {
			t.Errorf("%s: parsed %+v", g.name, r)
		}
	}
}

func TestFrameGolden(t *testing.T) {
	r := Record{Type: RecNextID, ID: 1}
	b, err := AppendFrame(nil, &r)
	if err != nil {
		t.Fatal(err)
	}
	// length 9 | CRC-32C of the payload | payload
	if got, want := hex.EncodeToString(b[:4]), "00000009"; got != want {
		t.Fatalf("length %s", got)
	}
	s := ScanFrames(b)
	if len(s.Records) != 1 || s.Good != len(b) || s.Torn || s.Skipped != 0 {
		t.Fatalf("scan %+v", s)
	}
}

func FuzzParseRecord(f *testing.F) {
	for _, g := range goldens {
		b, _ := hex.DecodeString(g.hex)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRecord(b)
		if err != nil {
			return
		}
		out, err := r.AppendBinary(nil)
		if err != nil {
			t.Fatalf("append of parsed record: %v", err)
		}
		r2, err := ParseRecord(out)
		if err != nil || !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip: %+v -> %+v (%v)", r, r2, err)
		}
		_ = ScanFrames(b) // never panics
	})
}
