package key_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"parley/net/key"
)

// Addresses from c-toxcore 0.2.18 tox_self_get_address after loading a
// secret key and calling tox_self_set_nospam (vectors.txt).
var toxIDGoldens = []struct {
	pk     string
	nospam uint32
	addr   string
}{
	{"2fe57da347cd62431528daac5fbb290730fff684afc4cfc2ed90995f58cb3b74", 0x00000000,
		"2fe57da347cd62431528daac5fbb290730fff684afc4cfc2ed90995f58cb3b74000000007ffd"},
	{"2580f59c06fec24191bfcfd2810fcb7828e6209b5975e8cb546c8c9edc8d9f60", 0x12345678,
		"2580f59c06fec24191bfcfd2810fcb7828e6209b5975e8cb546c8c9edc8d9f60123456786629"},
	{"1336a5b71a52087ce712c38804368b54e72c2ead33a8c0cc42fe73d719e40838", 0xdeadbeef,
		"1336a5b71a52087ce712c38804368b54e72c2ead33a8c0cc42fe73d719e40838deadbeef7505"},
}

func goldenID(t *testing.T, i int) (key.ToxID, string) {
	t.Helper()
	g := toxIDGoldens[i]
	id := key.ToxID{PublicKey: pk(t, g.pk)}
	id.Nospam = key.Nospam{byte(g.nospam >> 24), byte(g.nospam >> 16), byte(g.nospam >> 8), byte(g.nospam)}
	return id, g.addr
}

func TestToxIDGolden(t *testing.T) {
	for i, g := range toxIDGoldens {
		id, addr := goldenID(t, i)
		b := id.Bytes()
		if got := hex.EncodeToString(b[:]); got != addr {
			t.Errorf("Bytes() = %s, want %s", got, addr)
		}
		if got, want := id.String(), strings.ToUpper(addr); got != want {
			t.Errorf("String() = %s, want %s", got, want)
		}
		if got, want := id.URI(), "tox:"+strings.ToUpper(addr); got != want {
			t.Errorf("URI() = %s, want %s", got, want)
		}
		c := id.Checksum()
		if got := hex.EncodeToString(c[:]); got != addr[72:] {
			t.Errorf("Checksum() = %s, want %s", got, addr[72:])
		}
		if got := id.Nospam.Uint32(); got != g.nospam {
			t.Errorf("Nospam.Uint32() = %#x, want %#x", got, g.nospam)
		}
		parsed, err := key.ParseToxIDBytes(b[:])
		if err != nil || parsed != id {
			t.Errorf("ParseToxIDBytes(Bytes()) = %v, %v; want %v", parsed, err, id)
		}
	}
}

func TestParseToxIDForms(t *testing.T) {
	id, addr := goldenID(t, 2)
	upper := strings.ToUpper(addr)
	mixed := []byte(addr)
	for i := 0; i < len(mixed); i += 3 {
		mixed[i] = strings.ToUpper(string(mixed[i]))[0]
	}
	forms := []string{
		upper,
		addr,
		string(mixed),
		"tox:" + upper,
		"TOX:" + addr,
		"Tox:" + upper,
		"tox://" + upper,
		"  " + upper + "\n",
		"\t tox:" + addr + " \r\n",
	}
	for _, s := range forms {
		got, err := key.ParseToxID(s)
		if err != nil {
			t.Errorf("ParseToxID(%q): %v", s, err)
			continue
		}
		if got != id {
			t.Errorf("ParseToxID(%q) = %v, want %v", s, got, id)
		}
	}
}

func TestParseToxIDErrors(t *testing.T) {
	_, addr := goldenID(t, 1)
	upper := strings.ToUpper(addr)
	// Changing the last checksum character gives a well-formed ID whose
	// checksum does not match.
	last := "0"
	if upper[75] == '0' {
		last = "1"
	}
	badSum := upper[:75] + last
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", key.ErrIDLength},
		{"spaces only", "   ", key.ErrIDLength},
		{"prefix only", "tox:", key.ErrIDLength},
		{"one short", upper[:75], key.ErrIDLength},
		{"one long", upper + "0", key.ErrIDLength},
		{"public key only", upper[:64], key.ErrIDLength},
		{"prefix and one short", "tox:" + upper[:75], key.ErrIDLength},
		{"inner space", upper[:30] + " " + upper[30:], key.ErrIDLength},
		{"inner space replacing a character", upper[:30] + " " + upper[31:], key.ErrIDHex},
		{"letter G", "G" + upper[1:], key.ErrIDHex},
		{"dash", upper[:75] + "-", key.ErrIDHex},
		{"non-ASCII character", upper[:40] + "é" + upper[41:], key.ErrIDHex},
		{"invalid UTF-8", upper[:40] + "\xff" + upper[41:], key.ErrIDHex},
		{"bad checksum", badSum, key.ErrIDChecksum},
		{"double prefix", "tox:tox:" + upper, key.ErrIDLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := key.ParseToxID(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseToxID(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			if got != (key.ToxID{}) {
				t.Errorf("ParseToxID(%q) returned %v with its error, want the zero ID", tt.in, got)
			}
			for _, other := range []error{key.ErrIDLength, key.ErrIDHex, key.ErrIDChecksum} {
				if other != tt.want && errors.Is(err, other) {
					t.Errorf("error %v also matches %v", err, other)
				}
			}
		})
	}
}

func TestParseToxIDHexErrorNamesCharacter(t *testing.T) {
	_, addr := goldenID(t, 0)
	_, err := key.ParseToxID(addr[:10] + "é" + addr[11:])
	if !errors.Is(err, key.ErrIDHex) || !strings.Contains(err.Error(), "é") {
		t.Errorf("error %q should be ErrIDHex and name the character é", err)
	}
}

// TestChecksumCatchesEveryByteChange flips every bit of the 38-byte form
// in turn: each single-byte change must be reported as a checksum error.
func TestChecksumCatchesEveryByteChange(t *testing.T) {
	id, _ := goldenID(t, 1)
	b := id.Bytes()
	for i := range b {
		for bit := 0; bit < 8; bit++ {
			c := b
			c[i] ^= 1 << bit
			if _, err := key.ParseToxIDBytes(c[:]); !errors.Is(err, key.ErrIDChecksum) {
				t.Fatalf("byte %d bit %d flipped: error = %v, want ErrIDChecksum", i, bit, err)
			}
		}
	}
}

func TestParseToxIDBytesLength(t *testing.T) {
	id, _ := goldenID(t, 0)
	b := id.Bytes()
	for _, n := range []int{0, 1, 36, 37, 39} {
		in := make([]byte, n)
		copy(in, b[:])
		if _, err := key.ParseToxIDBytes(in); !errors.Is(err, key.ErrIDLength) {
			t.Errorf("ParseToxIDBytes(%d bytes) error = %v, want ErrIDLength", n, err)
		}
	}
}

func TestToxIDRoundTrip(t *testing.T) {
	for i := range toxIDGoldens {
		id, _ := goldenID(t, i)
		for _, s := range []string{id.String(), id.URI(), strings.ToLower(id.String())} {
			got, err := key.ParseToxID(s)
			if err != nil || got != id {
				t.Errorf("ParseToxID(%q) = %v, %v; want %v", s, got, err, id)
			}
		}
		b := id.Bytes()
		if got, err := key.ParseToxIDBytes(b[:]); err != nil || got != id {
			t.Errorf("ParseToxIDBytes(Bytes()) = %v, %v; want %v", got, err, id)
		}
	}
}
