package profile

import (
	"bytes"
	"testing"

	"parley/net/key"
	"parley/net/wire"
)

// Golden sections, as libtoxcore 0.2.18 writes them (the layout checked
// against testdata/libtoxcore and Messenger.c/DHT.c at v0.2.18).
const (
	gHeader     = "00000000 1f1b ed15" // u32 0 | u32 LE 0x15ed1b1f
	gNospamKeys = "44000000 0100ce01 # length 68, type 1, cookie 0x01ce\n deadbeef " + testPublicHex + " 01*32\n"
	gDHTEmpty   = "0c000000 0200ce01  0d005901  00000000 0400ce11 # DHT cookie, empty NODES subsection\n"
	gEnd        = "00000000 ff00ce01\n"
	gTail       = "00000000 0a00ce01  00000000 0b00ce01\n" + gEnd // empty TCP_RELAY, PATH_NODE
	gMinimal    = gHeader + gNospamKeys + gDHTEmpty +
		"00000000 0300ce01  00000000 0400ce01  00000000 0500ce01  01000000 0600ce01 00\n" + gTail
)

var goldens = []struct {
	name string
	p    func() *Profile
	hex  string
}{
	{"minimal", testProfile, gMinimal},
	{"self info", func() *Profile {
		p := testProfile()
		p.Name, p.StatusMessage, p.Status = "ab", "x", StatusBusy
		return p
	}, gHeader + gNospamKeys + gDHTEmpty + `
		00000000 0300ce01
		02000000 0400ce01 6162  # NAME "ab"
		01000000 0500ce01 78    # STATUSMESSAGE "x"
		01000000 0600ce01 02    # STATUS busy
	` + gTail},
	{"checksum", func() *Profile {
		p := testProfile()
		p.Checksum = true
		return p
	}, gMinimal + `
		5061726c65792d5348413235362d7631  # "Parley-SHA256-v1"
		58df0cfb2124a3d898c5617d75699d47c986682ff86526b36fa3c04d8c1a446b  # SHA-256 of the 161 bytes before
	`},
	{"friends", func() *Profile {
		p := testProfile()
		p.Friends = []Friend{
			{Status: FriendConfirmed, PublicKey: repeatPK(0x11), Name: "Al", StatusMessage: "hi", UserStatus: StatusAway, LastSeen: 0x0102030405060708},
			{Status: FriendRequested, PublicKey: repeatPK(0x22), RequestMessage: "hey", RequestNospam: key.Nospam{1, 2, 3, 4}},
		}
		return p
	}, gHeader + gNospamKeys + gDHTEmpty + `
		50110000 0300ce01          # FRIENDS, 2 × 2216 bytes
		03 11*32                   # confirmed, pk
		00*1024 00 0000            # request message, pad, length BE
		416c 00*126 0002           # name "Al", length BE
		6869 00*1005 00 0002       # status message "hi", pad, length BE
		01 000000 00000000         # user status away, pad, request nospam
		0102030405060708           # last seen BE
		02 22*32                   # requested, pk
		686579 00*1021 00 0003     # request "hey"
		00*128 0000
		00*1007 00 0000
		00 000000 01020304         # request nospam: raw address bytes
		00*8
		00000000 0400ce01  00000000 0500ce01  01000000 0600ce01 00
	` + gTail},
	{"nodes and other sections", func() *Profile {
		p := testProfile()
		p.DHTNodes = []wire.Node{node(0x41, "127.0.0.1:33445", false), node(0x42, "[::1]:33446", false)}
		p.TCPRelays = []wire.Node{node(0x43, "192.0.2.3:443", true)}
		p.PathNodes = []wire.Node{node(0x44, "10.0.0.1:33445", false)}
		p.Other = []Section{{Type: TypeConferences, Data: []byte("abc")}, {Type: 0x1234, Data: []byte("zz")}}
		return p
	}, gHeader + gNospamKeys + `
		66000000 0200ce01 0d005901             # DHT, 102 bytes
		5a000000 0400ce11                      # NODES, 90 bytes
		02 7f000001 82a5 41*32                 # UDP IPv4 127.0.0.1:33445
		0a 00000000000000000000000000000001 82a6 42*32  # UDP IPv6 [::1]:33446
		00000000 0300ce01  00000000 0400ce01  00000000 0500ce01  01000000 0600ce01 00
		27000000 0a00ce01 82 c0000203 01bb 43*32  # TCP_RELAY: TCP IPv4 192.0.2.3:443
		27000000 0b00ce01 02 0a000001 82a5 44*32  # PATH_NODE
		03000000 1400ce01 616263               # CONFERENCES, kept raw
		02000000 3412ce01 7a7a                 # unknown type 0x1234
	` + gEnd},
}

func TestGolden(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.name, func(t *testing.T) {
			want := hx(t, g.hex)
			p := g.p()
			got := mustAppend(t, p)
			if !bytes.Equal(got, want) {
				t.Fatalf("AppendBinary:\n got %x\nwant %x", got, want)
			}
			q := mustParse(t, want)
			sameFields(t, q, p)
			if again := mustAppend(t, q); !bytes.Equal(again, want) {
				t.Fatalf("parsed golden appends to\n%x", again)
			}
			// AppendBinary appends.
			pre := []byte("prefix")
			got, err := p.AppendBinary(pre)
			if err != nil || !bytes.Equal(got[:len(pre)], pre) || !bytes.Equal(got[len(pre):], want) {
				t.Fatalf("AppendBinary(prefix) = %x, %v", got, err)
			}
		})
	}
}

// TestGoldenMatchesLibtoxcore: the "self info" golden is what libtoxcore
// writes for the same identity without friends, minus its CONFERENCES
// section and zero padding: the vector file, with its FRIENDS section
// emptied, says the same.
func TestGoldenMatchesLibtoxcore(t *testing.T) {
	p := mustParse(t, readVector(t, vectorPlain))
	p.Friends, p.Other, p.pad = nil, nil, 0
	p.Name, p.StatusMessage = "ab", "x"
	if got, want := mustAppend(t, p), hx(t, goldens[1].hex); !bytes.Equal(got, want) {
		t.Fatalf("libtoxcore-shaped profile:\n got %x\nwant %x", got, want)
	}
}

func TestFriendRecordSize(t *testing.T) {
	// c-toxcore Messenger.c friend_size(): 1+32+1024+1+2+128+2+1007+1+2+1+3+4+8.
	if FriendRecordSize != 2216 {
		t.Fatalf("FriendRecordSize = %d, want 2216", FriendRecordSize)
	}
}
