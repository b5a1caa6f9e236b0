package crypto_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"os"
	"parley/net/toxtest"
	"strconv"
	"strings"
	"testing"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// goldenFile holds the output of testdata/vectors.c: vectors computed by
// c-toxcore 0.2.18 and libsodium. TestGoldenFromC (build tag interop)
// regenerates them and fails if they differ from this file.
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

func (v vector) field(t *testing.T, name string) string {
	t.Helper()
	s, ok := v.Fields[name]
	if !ok {
		t.Fatalf("%v: no field %q", v, name)
	}
	return s
}

func (v vector) bytes(t *testing.T, name string) []byte {
	t.Helper()
	b, err := hex.DecodeString(v.field(t, name))
	if err != nil {
		t.Fatalf("%v: field %s: %v", v, name, err)
	}
	return b
}

func (v vector) uint(t *testing.T, name string, base, bits int) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(v.field(t, name), base, bits)
	if err != nil {
		t.Fatalf("%v: field %s: %v", v, name, err)
	}
	return n
}

func (v vector) int(t *testing.T, name string) int {
	t.Helper()
	n, err := strconv.Atoi(v.field(t, name))
	if err != nil {
		t.Fatalf("%v: field %s: %v", v, name, err)
	}
	return n
}

func (v vector) key32(t *testing.T, name string) [32]byte {
	t.Helper()
	b := v.bytes(t, name)
	if len(b) != 32 {
		t.Fatalf("%v: field %s has %d bytes, want 32", v, name, len(b))
	}
	return [32]byte(b)
}

func (v vector) nonce(t *testing.T, name string) key.Nonce {
	t.Helper()
	b := v.bytes(t, name)
	if len(b) != key.NonceSize {
		t.Fatalf("%v: field %s has %d bytes, want %d", v, name, len(b), key.NonceSize)
	}
	return key.Nonce(b)
}

// minVectors is how many vectors of each kind vectors.c prints; a file
// with fewer was cut short.
var minVectors = map[string]int{
	"toxid": 8, "box": 12, "precompute": 8, "secretbox": 12,
	"increment": 13, "add": 208, "closest": 16, "prefix": 12,
	"node": 12, "nodes": 1,
}

// checkVectors compares Parley's net/key, net/crypto and net/wire with
// every vector.
func checkVectors(t *testing.T, vs []vector) {
	count := map[string]int{}
	var nodes []wire.Node
	for _, v := range vs {
		count[v.Kind]++
		switch v.Kind {
		case "toxid":
			checkToxID(t, v)
		case "box":
			checkBox(t, v)
		case "precompute":
			checkPrecompute(t, v)
		case "secretbox":
			checkSecretbox(t, v)
		case "increment":
			n := v.nonce(t, "in")
			n.Increment()
			if want := v.nonce(t, "out"); n != want {
				t.Errorf("%v: Increment = %x, want %x", v, n, want)
			}
		case "add":
			n := v.nonce(t, "in")
			n.Add(uint32(v.uint(t, "x", 16, 32)))
			if want := v.nonce(t, "out"); n != want {
				t.Errorf("%v: Add = %x, want %x", v, n, want)
			}
		case "closest":
			checkClosest(t, v)
		case "prefix":
			a, b := key.PublicKey(v.key32(t, "a")), key.PublicKey(v.key32(t, "b"))
			// bit_by_bit_cmp gives 256 for equal keys; CommonPrefixBits caps at 255.
			want := min(v.int(t, "bits"), 255)
			if got := key.CommonPrefixBits(&a, &b); got != want {
				t.Errorf("%v: CommonPrefixBits = %d, want %d", v, got, want)
			}
		case "node":
			nodes = append(nodes, checkNode(t, v))
		case "nodes":
			checkNodes(t, v, nodes)
		default:
			t.Errorf("%v: unknown vector kind %q", v, v.Kind)
		}
	}
	for kind, n := range minVectors {
		if count[kind] < n {
			t.Errorf("%d %s vectors, want at least %d", count[kind], kind, n)
		}
	}
}

func checkToxID(t *testing.T, v vector) {
	p := key.PairFromSecret(key.SecretKey(v.key32(t, "sk")))
	if want := key.PublicKey(v.key32(t, "pk")); p.Public != want {
		t.Errorf("%v: PairFromSecret = %v, toxcore has %v", v, p.Public, want)
	}
	nospam := uint32(v.uint(t, "nospam", 16, 32))
	id := key.ToxID{PublicKey: p.Public}
	id.Nospam = key.Nospam{byte(nospam >> 24), byte(nospam >> 16), byte(nospam >> 8), byte(nospam)}
	if id.Nospam.Uint32() != nospam {
		t.Errorf("%v: Nospam.Uint32 = %#x, want %#x", v, id.Nospam.Uint32(), nospam)
	}
	addr := v.bytes(t, "address")
	if b := id.Bytes(); !bytes.Equal(b[:], addr) {
		t.Errorf("%v: ToxID.Bytes = %x, toxcore has %x", v, b, addr)
	}
	for _, s := range []string{hex.EncodeToString(addr), strings.ToUpper(hex.EncodeToString(addr))} {
		if got, err := key.ParseToxID(s); err != nil || got != id {
			t.Errorf("%v: ParseToxID(%s) = %v, %v; want %v", v, s, got, err, id)
		}
	}
}

func checkBox(t *testing.T, v vector) {
	a := key.PairFromSecret(key.SecretKey(v.key32(t, "sk_a")))
	b := key.PairFromSecret(key.SecretKey(v.key32(t, "sk_b")))
	if a.Public != key.PublicKey(v.key32(t, "pk_a")) || b.Public != key.PublicKey(v.key32(t, "pk_b")) {
		t.Errorf("%v: PairFromSecret disagrees with crypto_scalarmult_base", v)
	}
	n := v.nonce(t, "nonce")
	msg, sealed := v.bytes(t, "msg"), v.bytes(t, "sealed")
	if got := crypto.Seal(nil, msg, &n, &b.Public, &a.Secret); !bytes.Equal(got, sealed) {
		t.Errorf("%v: Seal = %x, toxcore has %x", v, got, sealed)
	}
	// The box is the afternm of the precomputed key.
	k := crypto.Precompute(&b.Public, &a.Secret)
	if got := crypto.SealShared(nil, msg, &n, &k); !bytes.Equal(got, sealed) {
		t.Errorf("%v: SealShared(Precompute) = %x, toxcore has %x", v, got, sealed)
	}
	got, err := crypto.Open(nil, sealed, &n, &a.Public, &b.Secret)
	if err != nil || !bytes.Equal(got, msg) {
		t.Errorf("%v: Open = %x, %v; want %x", v, got, err, msg)
	}
}

func checkPrecompute(t *testing.T, v vector) {
	peer := key.PublicKey(v.key32(t, "pk"))
	own := key.SecretKey(v.key32(t, "sk"))
	if got, want := crypto.Precompute(&peer, &own), crypto.SharedKey(v.key32(t, "shared")); got != want {
		t.Errorf("%v: Precompute = %x, toxcore has %x", v, got, want)
	}
}

func checkSecretbox(t *testing.T, v vector) {
	k := crypto.SharedKey(v.key32(t, "key"))
	n := v.nonce(t, "nonce")
	msg, sealed := v.bytes(t, "msg"), v.bytes(t, "sealed")
	if got := crypto.SealShared(nil, msg, &n, &k); !bytes.Equal(got, sealed) {
		t.Errorf("%v: SealShared = %x, toxcore has %x", v, got, sealed)
	}
	got, err := crypto.OpenShared(nil, sealed, &n, &k)
	if err != nil || !bytes.Equal(got, msg) {
		t.Errorf("%v: OpenShared = %x, %v; want %x", v, got, err, msg)
	}
}

func checkClosest(t *testing.T, v vector) {
	base := key.PublicKey(v.key32(t, "base"))
	a, b := key.PublicKey(v.key32(t, "a")), key.PublicKey(v.key32(t, "b"))
	// id_closest: 1 when a is closer, 2 when b is, 0 when equal.
	want := map[int]int{0: 0, 1: -1, 2: 1}[v.int(t, "result")]
	if got := key.Distance(&base, &a, &b); got != want {
		t.Errorf("%v: Distance = %d, id_closest says %s", v, got, v.field(t, "result"))
	}
}

func checkNode(t *testing.T, v vector) wire.Node {
	fam := byte(v.uint(t, "family", 10, 8))
	ip, err := netip.ParseAddr(v.field(t, "ip"))
	if err != nil {
		t.Fatalf("%v: %v", v, err)
	}
	n := wire.Node{
		PK:   key.PublicKey(v.key32(t, "pk")),
		Addr: netip.AddrPortFrom(ip, uint16(v.uint(t, "port", 10, 16))),
		TCP:  fam == wire.FamilyTCP4 || fam == wire.FamilyTCP6,
	}
	packed := v.bytes(t, "packed")
	got, err := wire.AppendNode(nil, n)
	if err != nil || !bytes.Equal(got, packed) {
		t.Errorf("%v: AppendNode = %x, %v; pack_nodes has %x", v, got, err, packed)
	}
	back, size, err := wire.ParseNode(packed)
	if err != nil || back != n || size != len(packed) {
		t.Errorf("%v: ParseNode = %v, %d, %v; want %v", v, back, size, err, n)
	}
	return n
}

func checkNodes(t *testing.T, v vector, nodes []wire.Node) {
	if len(nodes) != v.int(t, "count") {
		t.Fatalf("%v: %d node vectors precede it, count says %s", v, len(nodes), v.field(t, "count"))
	}
	packed := v.bytes(t, "packed")
	got, err := wire.AppendNodes(nil, nodes)
	if err != nil || !bytes.Equal(got, packed) {
		t.Errorf("%v: AppendNodes = %x, %v; pack_nodes has %x", v, got, err, packed)
	}
	back, err := wire.ParseNodes(packed, len(nodes))
	if err != nil || len(back) != len(nodes) {
		t.Fatalf("%v: ParseNodes = %d nodes, %v; want %d", v, len(back), err, len(nodes))
	}
	for i := range back {
		if back[i] != nodes[i] {
			t.Errorf("%v: ParseNodes[%d] = %v, want %v", v, i, back[i], nodes[i])
		}
	}
	if _, err := wire.ParseNodes(packed, len(nodes)-1); !errors.Is(err, wire.ErrLong) {
		t.Errorf("%v: ParseNodes(max %d) error = %v, want ErrLong", v, len(nodes)-1, err)
	}
}

// TestGolden compares Parley with the checked-in c-toxcore vectors; it
// needs no C toolchain.
func TestGolden(t *testing.T) {
	data, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("reading golden vectors: %v", err)
	}
	vs, err := parseVectors(data)
	if err != nil {
		t.Fatalf("%s: %v", goldenFile, err)
	}
	checkVectors(t, vs)
}
