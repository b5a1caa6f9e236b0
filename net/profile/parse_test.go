package profile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// section frames data as a section of type t, for hand-made profiles.
func section(t SectionType, data []byte) []byte {
	b, err := appendSection(nil, t, data)
	if err != nil {
		panic(err)
	}
	return b
}

// build makes a plain profile from framed sections; END is added.
func build(secs ...[]byte) []byte {
	b := []byte{0, 0, 0, 0, 0x1f, 0x1b, 0xed, 0x15}
	for _, s := range secs {
		b = append(b, s...)
	}
	return append(b, section(TypeEnd, nil)...)
}

func keysSection() []byte {
	d := append(append(append([]byte{}, testNospam[:]...), testPublic[:]...), testSecret[:]...)
	return section(TypeNospamKeys, d)
}

func TestParseErrors(t *testing.T) {
	minimal := mustAppend(t, testProfile())
	keys := keysSection()
	badKeys := bytes.Clone(keys)
	badKeys[len(badKeys)-1] ^= 1 // the secret key no longer gives the public key
	friend, err := appendFriend(nil, &Friend{Status: FriendConfirmed, PublicKey: repeatPK(3)})
	if err != nil {
		t.Fatal(err)
	}
	withStatus := func(s byte) []byte { f := bytes.Clone(friend); f[frStatus] = s; return f }
	withLen := func(field int, n uint16) []byte {
		f := bytes.Clone(friend)
		binary.BigEndian.PutUint16(f[field:], n)
		return f
	}
	checksummed := mustAppend(t, &Profile{Keys: testProfile().Keys, Checksum: true})
	badSum := bytes.Clone(checksummed)
	badSum[len(badSum)-1] ^= 0x80

	for _, c := range []struct {
		name    string
		b       []byte
		want    error
		section SectionType
		offset  int
	}{
		{"empty", nil, ErrTruncated, 0, 0},
		{"half a header", []byte{0, 0, 0, 0, 0x1f}, ErrTruncated, 0, 5},
		{"not a profile", []byte("hello, world"), ErrNotProfile, 0, -1},
		{"short garbage", []byte{0xff}, ErrNotProfile, 0, -1},
		{"bad file cookie", append([]byte{0, 0, 0, 0, 0x1f, 0x1b, 0xed, 0x16}, minimal[8:]...), ErrNotProfile, 0, -1},
		{"encrypted", append([]byte(encMagic), make([]byte, 100)...), ErrEncrypted, 0, -1},
		{"half an encrypted magic", []byte("toxE"), ErrTruncated, 0, -1},
		{"header only", minimal[:8], ErrTruncated, 0, 8},
		{"no END", minimal[:len(minimal)-8], ErrTruncated, 0, len(minimal) - 8},
		{"cut inside a section", minimal[:20], ErrTruncated, TypeNospamKeys, 8},
		{"bad section cookie", append(build(keys)[:8], 0, 0, 0, 0, 4, 0, 0xce, 0x02), ErrCorrupt, TypeName, 8},
		{"END with data", append(append(build(keys)[:8+len(keys)], 1, 0, 0, 0, 0xff, 0, 0xce, 1), 0), ErrCorrupt, TypeEnd, 8 + len(keys)},
		{"no NOSPAMKEYS", build(section(TypeName, []byte("x"))), ErrCorrupt, 0, 8},
		{"short NOSPAMKEYS", build(section(TypeNospamKeys, make([]byte, 67))), ErrCorrupt, TypeNospamKeys, 16},
		{"keys do not match", build(badKeys), ErrKeyMismatch, TypeNospamKeys, 20},
		{"two NAME sections", build(keys, section(TypeName, []byte("a")), section(TypeName, []byte("b"))), ErrCorrupt, TypeName, 8 + len(keys) + 9},
		{"name too long", build(keys, section(TypeName, make([]byte, 129))), ErrCorrupt, TypeName, 8 + len(keys) + 8},
		{"status message too long", build(keys, section(TypeStatusMessage, make([]byte, 1008))), ErrCorrupt, TypeStatusMessage, 8 + len(keys) + 8},
		{"STATUS of 2 bytes", build(keys, section(TypeStatus, []byte{1, 1})), ErrCorrupt, TypeStatus, 8 + len(keys) + 8},
		{"FRIENDS not whole records", build(keys, section(TypeFriends, friend[:FriendRecordSize-1])), ErrCorrupt, TypeFriends, 8 + len(keys) + 8},
		{"friend status 0", build(keys, section(TypeFriends, withStatus(0))), ErrCorrupt, TypeFriends, 8 + len(keys) + 8},
		{"friend status 4", build(keys, section(TypeFriends, append(bytes.Clone(friend), withStatus(4)...))), ErrCorrupt, TypeFriends, 8 + len(keys) + 8 + FriendRecordSize},
		{"friend request too long", build(keys, section(TypeFriends, withLen(frRequestLen, 1025))), ErrCorrupt, TypeFriends, 8 + len(keys) + 8 + frRequestLen},
		{"friend name too long", build(keys, section(TypeFriends, withLen(frNameLen, 129))), ErrCorrupt, TypeFriends, 8 + len(keys) + 8 + frNameLen},
		{"friend status message too long", build(keys, section(TypeFriends, withLen(frStatusMsgLen, 1008))), ErrCorrupt, TypeFriends, 8 + len(keys) + 8 + frStatusMsgLen},
		{"junk after END", append(bytes.Clone(minimal), 0, 0, 7), ErrCorrupt, 0, len(minimal)},
		{"checksum mismatch", badSum, ErrCorrupt, 0, len(badSum) - checksumSize},
		{"cut checksum", checksummed[:len(checksummed)-1], ErrTruncated, 0, len(checksummed) - checksumSize},
		{"cut checksum magic", checksummed[:len(checksummed)-checksumSize+3], ErrTruncated, 0, len(checksummed) - checksumSize},
		{"data after checksum", append(bytes.Clone(checksummed), 0), ErrCorrupt, 0, len(checksummed)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse(c.b)
			if !errors.Is(err, c.want) || p != nil {
				t.Fatalf("Parse = %v, %v; want %v", p, err, c.want)
			}
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("empty error message")
			}
			var fe *FormatError
			if c.offset < 0 {
				return
			}
			if !errors.As(err, &fe) {
				t.Fatalf("%v is not a *FormatError", err)
			}
			if fe.Section != c.section || fe.Offset != c.offset {
				t.Errorf("error at %v offset %d, want %v offset %d (%v)", fe.Section, fe.Offset, c.section, c.offset, err)
			}
		})
	}
}

// TestParseErrorMessage: a FormatError names the section and offset.
func TestParseErrorMessage(t *testing.T) {
	_, err := Parse(build(keysSection(), section(TypeName, make([]byte, 200))))
	want := "profile: the file is damaged: NAME section at offset 92: name of 200 bytes, at most 128"
	if err == nil || err.Error() != want {
		t.Fatalf("error %q\nwant  %q", err, want)
	}
}

// TestParseDoesNotAlias: the profile owns its bytes.
func TestParseDoesNotAlias(t *testing.T) {
	p := testProfile()
	p.Other = []Section{{Type: 99, Data: []byte("keep")}}
	b := mustAppend(t, p)
	q := mustParse(t, b)
	want := bytes.Clone(b)
	for i := range b {
		b[i] = 0
	}
	if got := mustAppend(t, q); !bytes.Equal(got, want) {
		t.Fatal("the parsed profile changed with its input")
	}
	// Growing an Other slice must not write into the kept bytes.
	q.Other[0].Data = append(q.Other[0].Data, '!')
	r := mustParse(t, mustAppend(t, q))
	if string(r.Other[0].Data) != "keep!" || r.Keys != q.Keys {
		t.Fatalf("after append to Other data: %s", describe(r))
	}
}

func TestNew(t *testing.T) {
	p, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Keys == q.Keys || p.Nospam == q.Nospam || !p.Checksum {
		t.Fatalf("New: %s and %s", describe(p), describe(q))
	}
	r := mustParse(t, mustAppend(t, p))
	sameFields(t, r, p)
	if r.Address() != p.Address() {
		t.Fatal("address changed")
	}
	if _, err := New(&fixedReader{b: make([]byte, 33)}); err == nil {
		t.Fatal("New with too little randomness succeeded")
	}
}
