package dht

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"os"
	"parley/net/toxtest"
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// goldenFile holds packets built by c-toxcore 0.2.18 (testdata/vectors.c).
const goldenFile = "testdata/vectors.txt"

// vector is one line of vectors.c output.
type vector struct{ toxtest.Vector }

func parseVectors(data []byte) ([]vector, error) {
	tvs, err := toxtest.ParseVectors(data)
	vs := make([]vector, len(tvs))
	for i, v := range tvs {
		vs[i] = vector{v}
	}
	return vs, err
}

func (v vector) str(t *testing.T, name string) string {
	t.Helper()
	s, ok := v.Fields[name]
	if !ok {
		t.Fatalf("line %d: no field %q", v.Line, name)
	}
	return s
}

func (v vector) bytes(t *testing.T, name string) []byte {
	t.Helper()
	b, err := hex.DecodeString(v.str(t, name))
	if err != nil {
		t.Fatalf("line %d: field %s: %v", v.Line, name, err)
	}
	return b
}

func (v vector) pair(t *testing.T, suffix string) key.Pair {
	t.Helper()
	p := key.PairFromSecret(key.SecretKey(v.bytes(t, "sk_"+suffix)))
	if !bytes.Equal(p.Public[:], v.bytes(t, "pk_"+suffix)) {
		t.Fatalf("line %d: pk_%s is not the public key of sk_%s", v.Line, suffix, suffix)
	}
	return p
}

// checkVectors compares every vector with Parley: same inputs and nonce
// give the same bytes, and Parley opens and parses c-toxcore's packets.
func checkVectors(t *testing.T, vs []vector) {
	counts := map[string]int{}
	for _, v := range vs {
		counts[v.Kind]++
		switch v.Kind {
		case "packet":
			checkPacketVector(t, v)
		case "request":
			checkRequestVector(t, v)
		case "lan":
			ip := netip.MustParseAddr(v.str(t, "ip"))
			if got, want := IsLAN(ip), v.str(t, "lan") == "1"; got != want {
				t.Errorf("line %d: IsLAN(%v) = %v, c-toxcore says %v", v.Line, ip, got, want)
			}
		default:
			t.Fatalf("line %d: unknown vector kind %q", v.Line, v.Kind)
		}
	}
	if counts["packet"] < 12 || counts["request"] < 4 || counts["lan"] < 40 {
		t.Fatalf("too few vectors: %v", counts)
	}
}

func checkPacketVector(t *testing.T, v vector) {
	a, b := v.pair(t, "a"), v.pair(t, "b")
	plain, want := v.bytes(t, "plain"), v.bytes(t, "packet")
	kb, _ := hex.DecodeString(v.str(t, "kind"))
	kind := wire.Kind(kb[0])
	p, err := ParsePacket(want)
	if err != nil {
		t.Fatalf("line %d: %v", v.Line, err)
	}
	if p.Kind != kind || p.Sender != a.Public {
		t.Fatalf("line %d: header %v %s", v.Line, p.Kind, p.Sender.Short())
	}
	ka := crypto.Precompute(&b.Public, &a.Secret)
	got, err := SealPacket(kind, a.Public, p.Nonce, &ka, plain)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("line %d: SealPacket\n got %x %v\nwant %x", v.Line, got, err, want)
	}
	kbk := crypto.Precompute(&a.Public, &b.Secret)
	opened, err := OpenPacket(&p, &kbk)
	if err != nil || !bytes.Equal(opened, plain) {
		t.Fatalf("line %d: OpenPacket %x %v", v.Line, opened, err)
	}
	var m appender
	switch kind {
	case wire.KindPingRequest, wire.KindPingResponse:
		x, err := ParsePingPayload(plain)
		if err != nil || x.Type != kind {
			t.Fatalf("line %d: ping payload %+v %v", v.Line, x, err)
		}
		m = &x
	case wire.KindNodesRequest:
		x, err := ParseNodesRequest(plain)
		if err != nil {
			t.Fatalf("line %d: %v", v.Line, err)
		}
		m = &x
	case wire.KindNodesResponse:
		x, err := ParseNodesResponse(plain)
		if err != nil || len(x.Nodes) != int(plain[0]) {
			t.Fatalf("line %d: send-nodes %+v %v", v.Line, x, err)
		}
		m = &x
	}
	again, err := m.AppendBinary(nil)
	if err != nil || !bytes.Equal(again, plain) {
		t.Fatalf("line %d: re-encoded plain %x %v, want %x", v.Line, again, err, plain)
	}
}

func checkRequestVector(t *testing.T, v vector) {
	a, b := v.pair(t, "a"), v.pair(t, "b")
	data, want := v.bytes(t, "data"), v.bytes(t, "packet")
	sb, _ := hex.DecodeString(v.str(t, "subtype"))
	r, err := ParseRequest(want)
	if err != nil || r.Receiver != b.Public || r.Sender != a.Public {
		t.Fatalf("line %d: ParseRequest %v", v.Line, err)
	}
	ka := crypto.Precompute(&b.Public, &a.Secret)
	got, err := SealRequest(b.Public, a.Public, r.Nonce, &ka, RequestPayload{Subtype: sb[0], Data: data})
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("line %d: SealRequest\n got %x %v\nwant %x", v.Line, got, err, want)
	}
	kbk := crypto.Precompute(&a.Public, &b.Secret)
	m, err := OpenRequest(&r, &kbk)
	if err != nil || m.Subtype != sb[0] || !bytes.Equal(m.Data, data) {
		t.Fatalf("line %d: OpenRequest %+v %v", v.Line, m, err)
	}
	// And a DHT with b's keys takes it.
	var recv []byte
	d := New(Config{Keys: b, Rand: bytes.NewReader(make([]byte, 4096))}, t0)
	d.HandleRequest(sb[0], func(_ time.Time, _ netip.AddrPort, sender key.PublicKey, data []byte) {
		if sender == a.Public {
			recv = data
		}
	})
	if err := d.HandlePacket(t0, addr4(1), want); err != nil || !bytes.Equal(recv, data) {
		t.Fatalf("line %d: DHT refused c-toxcore's request: %v", v.Line, err)
	}
}

func TestGoldenVectors(t *testing.T) {
	data, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("reading golden vectors: %v", err)
	}
	vs, err := parseVectors(data)
	if err != nil {
		t.Fatal(err)
	}
	checkVectors(t, vs)
}
