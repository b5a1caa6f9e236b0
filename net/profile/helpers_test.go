package profile

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"parley/net/key"
	"parley/net/wire"
)

// hx decodes golden hex: white space is ignored, "#" starts a comment that
// runs to the end of the line, and "NN*count" repeats the byte NN.
func hx(t testing.TB, s string) []byte {
	t.Helper()
	var out []byte
	for _, line := range strings.Split(s, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, tok := range strings.Fields(line) {
			if b, n, ok := strings.Cut(tok, "*"); ok {
				c, err := hex.DecodeString(b)
				count, err2 := strconv.Atoi(n)
				if err != nil || err2 != nil || len(c) != 1 {
					t.Fatalf("bad repeat token %q", tok)
				}
				out = append(out, bytes.Repeat(c, count)...)
				continue
			}
			b, err := hex.DecodeString(tok)
			if err != nil {
				t.Fatalf("bad hex token %q: %v", tok, err)
			}
			out = append(out, b...)
		}
	}
	return out
}

// The identity the libtoxcore vectors and several goldens use: secret key
// 01×32, whose public key libtoxcore computed as below, nospam DEADBEEF.
var (
	testSecret = key.SecretKey(bytes.Repeat([]byte{1}, 32))
	testPublic = mustPK("A4E09292B651C278B9772C569F5FA9BB13D906B46AB68C9DF9DC2B4409F8A209")
	testNospam = key.Nospam{0xde, 0xad, 0xbe, 0xef}
)

const (
	testPublicHex = "a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209"
	testAddress   = "A4E09292B651C278B9772C569F5FA9BB13D906B46AB68C9DF9DC2B4409F8A209DEADBEEF0BF3"
)

func mustPK(s string) key.PublicKey {
	pk, err := key.ParsePublicKey(s)
	if err != nil {
		panic(err)
	}
	return pk
}

func repeatPK(b byte) key.PublicKey { return key.PublicKey(bytes.Repeat([]byte{b}, 32)) }

// testProfile is a new profile with the test identity.
func testProfile() *Profile {
	return &Profile{Keys: key.Pair{Public: testPublic, Secret: testSecret}, Nospam: testNospam}
}

func node(pk byte, addr string, tcp bool) wire.Node {
	return wire.Node{PK: repeatPK(pk), Addr: netip.MustParseAddrPort(addr), TCP: tcp}
}

// fields is a Profile's exported content, for comparisons.
func fields(p *Profile) Profile {
	q := *p
	q.layout, q.pad = nil, 0
	if len(q.Other) == 0 {
		q.Other = nil
	}
	for i := range q.Other {
		if len(q.Other[i].Data) == 0 {
			q.Other[i].Data = nil
		}
	}
	return q
}

// sameFields fails the test when got and want differ in an exported field.
func sameFields(t testing.TB, got, want *Profile) {
	t.Helper()
	if g, w := fields(got), fields(want); !reflect.DeepEqual(g, w) {
		t.Errorf("profile differs:\n got %s\nwant %s", describe(&g), describe(&w))
	}
}

func describe(p *Profile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{pk %v nospam %x name %q sm %q status %d checksum %v", p.Keys.Public.Short(), p.Nospam, p.Name, p.StatusMessage, p.Status, p.Checksum)
	for _, f := range p.Friends {
		fmt.Fprintf(&b, "\n   friend %+v", f)
	}
	fmt.Fprintf(&b, "\n   dht %v tcp %v path %v", p.DHTNodes, p.TCPRelays, p.PathNodes)
	for _, s := range p.Other {
		fmt.Fprintf(&b, "\n   other %v %x", s.Type, s.Data)
	}
	return b.String() + "}"
}

func mustAppend(t testing.TB, p *Profile) []byte {
	t.Helper()
	b, err := p.AppendBinary(nil)
	if err != nil {
		t.Fatalf("AppendBinary: %v", err)
	}
	return b
}

func mustParse(t testing.TB, b []byte) *Profile {
	t.Helper()
	p, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

// fixedReader yields its bytes, then fails.
type fixedReader struct{ b []byte }

func (r *fixedReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, fmt.Errorf("fixedReader: out of bytes")
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
