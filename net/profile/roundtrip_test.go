package profile

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"parley/net/key"
	"parley/net/wire"
)

// TestKeepsUnusualBytes: sections libtoxcore would not write this way but
// reads (a v4-mapped IPv6 node, an unknown DHT subsection, padding that is
// not zero, a DHT section that does not decode) come back unchanged, also
// when another section is edited.
func TestKeepsUnusualBytes(t *testing.T) {
	mapped := hx(t, "0a 00000000000000000000ffff7f000001 82a5 41*32")
	dht := append(hx(t, "0d005901 03000000 0900ce11 616263  27000000 0400ce11"), hx(t, "02 7f000001 82a5 41*32")...)
	friend, err := appendFriend(nil, &Friend{Status: FriendConfirmed, PublicKey: repeatPK(5), Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	friend[frRequestLen-1] = 0xaa // padding
	friend[frName+5] = 0xbb       // after the name
	for _, c := range []struct {
		name  string
		sec   []byte
		check func(t *testing.T, p *Profile)
	}{
		{"mapped TCP relay", section(TypeTCPRelay, mapped), func(t *testing.T, p *Profile) {
			if len(p.TCPRelays) != 1 || !p.TCPRelays[0].Addr.Addr().Is4() {
				t.Errorf("relays %v", p.TCPRelays)
			}
		}},
		{"DHT with unknown subsection", section(TypeDHT, dht), func(t *testing.T, p *Profile) {
			if len(p.DHTNodes) != 1 || p.DHTNodes[0].Addr != netip.MustParseAddrPort("127.0.0.1:33445") {
				t.Errorf("DHT nodes %v", p.DHTNodes)
			}
		}},
		{"DHT garbage", section(TypeDHT, []byte("garbage")), func(t *testing.T, p *Profile) {
			if p.DHTNodes != nil {
				t.Errorf("DHT nodes %v", p.DHTNodes)
			}
		}},
		{"DHT with a TCP node", section(TypeDHT, append(hx(t, "0d005901 27000000 0400ce11"), hx(t, "82 7f000001 82a5 41*32")...)), func(t *testing.T, p *Profile) {
			if p.DHTNodes != nil {
				t.Errorf("DHT nodes %v", p.DHTNodes)
			}
		}},
		{"path node garbage", section(TypePathNode, []byte{2, 1}), func(t *testing.T, p *Profile) {
			if p.PathNodes != nil {
				t.Errorf("path nodes %v", p.PathNodes)
			}
		}},
		{"friend padding", section(TypeFriends, friend), func(t *testing.T, p *Profile) {
			if len(p.Friends) != 1 || p.Friends[0].Name != "x" {
				t.Errorf("friends %+v", p.Friends)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := build(keysSection(), c.sec, section(TypeName, []byte("n")))
			p := mustParse(t, b)
			c.check(t, p)
			if got := mustAppend(t, p); !bytes.Equal(got, b) {
				t.Fatalf("round trip:\n got %x\nwant %x", got, b)
			}
			p.Name = "edited"
			got := mustAppend(t, p)
			if !bytes.Contains(got, c.sec) {
				t.Fatalf("editing NAME rewrote %s", c.name)
			}
			q := mustParse(t, got)
			sameFields(t, q, p)
		})
	}
}

// TestEditRewritesSection: a changed section is written afresh, in place.
func TestEditRewritesSection(t *testing.T) {
	mapped := hx(t, "0a 00000000000000000000ffff7f000001 82a5 41*32")
	b := build(section(TypeTCPRelay, mapped), keysSection(), section(77, []byte("x")))
	p := mustParse(t, b)
	p.TCPRelays = append(p.TCPRelays, node(0x42, "192.0.2.1:3389", true))
	want := build(
		section(TypeTCPRelay, hx(t, "02 7f000001 82a5 41*32  82 c0000201 0d3d 42*32")),
		keysSection(), section(77, []byte("x")))
	if got := mustAppend(t, p); !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
}

// TestLayout: unknown sections keep their place; known sections the file
// lacked are added before END when they hold something.
func TestLayout(t *testing.T) {
	a, c := section(30, []byte("a")), section(31, []byte("c"))
	b := build(a, keysSection(), c, section(TypeStatus, []byte{1}))
	p := mustParse(t, b)
	if got := mustAppend(t, p); !bytes.Equal(got, b) {
		t.Fatal("round trip changed the layout")
	}
	p.Name = "new"
	p.Friends = []Friend{{Status: FriendConfirmed, PublicKey: repeatPK(9)}}
	friends, err := appendFriends(nil, p.Friends)
	if err != nil {
		t.Fatal(err)
	}
	want := build(a, keysSection(), c, section(TypeStatus, []byte{1}),
		section(TypeFriends, friends), section(TypeName, []byte("new")))
	if got := mustAppend(t, p); !bytes.Equal(got, want) {
		t.Fatalf("added sections:\n got %x\nwant %x", got, want)
	}

	// Other entries fill the places of Other sections in order, then go
	// before END.
	p = mustParse(t, b)
	p.Other = []Section{p.Other[1], {Type: 32, Data: []byte("d")}, {Type: 33, Data: []byte("e")}}
	want = build(c, keysSection(), section(32, []byte("d")), section(TypeStatus, []byte{1}), section(33, []byte("e")))
	if got := mustAppend(t, p); !bytes.Equal(got, want) {
		t.Fatalf("edited Other:\n got %x\nwant %x", got, want)
	}
}

// TestZeroPadding: libtoxcore's zero padding after END comes back; a
// checksum replaces it.
func TestZeroPadding(t *testing.T) {
	b := append(mustAppend(t, testProfile()), make([]byte, 816)...)
	p := mustParse(t, b)
	if got := mustAppend(t, p); !bytes.Equal(got, b) {
		t.Fatal("padding lost")
	}
	p.Checksum = true
	got := mustAppend(t, p)
	if len(got) != len(b)-816+checksumSize {
		t.Fatalf("%d bytes with a checksum, want %d", len(got), len(b)-816+checksumSize)
	}
	if q := mustParse(t, got); !q.Checksum {
		t.Fatal("checksum not found")
	}
}

func TestAppendErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(p *Profile)
		want error
	}{
		{"no keys", func(p *Profile) { p.Keys = key.Pair{} }, ErrKeyMismatch},
		{"keys do not match", func(p *Profile) { p.Keys.Public[0] ^= 1 }, ErrKeyMismatch},
		{"long name", func(p *Profile) { p.Name = string(make([]byte, 129)) }, ErrInvalid},
		{"long status message", func(p *Profile) { p.StatusMessage = string(make([]byte, 1008)) }, ErrInvalid},
		{"friend status 0", func(p *Profile) { p.Friends = []Friend{{PublicKey: repeatPK(1)}} }, ErrInvalid},
		{"friend long request", func(p *Profile) {
			p.Friends = []Friend{{Status: FriendAdded, RequestMessage: string(make([]byte, 1025))}}
		}, ErrInvalid},
		{"friend long name", func(p *Profile) {
			p.Friends = []Friend{{Status: FriendConfirmed, Name: string(make([]byte, 129))}}
		}, ErrInvalid},
		{"friend long status message", func(p *Profile) {
			p.Friends = []Friend{{Status: FriendConfirmed, StatusMessage: string(make([]byte, 1008))}}
		}, ErrInvalid},
		{"TCP node in DHT", func(p *Profile) { p.DHTNodes = []wire.Node{node(1, "1.2.3.4:5", true)} }, ErrInvalid},
		{"TCP node in path", func(p *Profile) { p.PathNodes = []wire.Node{node(1, "1.2.3.4:5", true)} }, ErrInvalid},
		{"node without address", func(p *Profile) { p.TCPRelays = []wire.Node{{TCP: true}} }, ErrInvalid},
		{"known type in Other", func(p *Profile) { p.Other = []Section{{Type: TypeName}} }, ErrInvalid},
		{"END in Other", func(p *Profile) { p.Other = []Section{{Type: TypeEnd}} }, ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := testProfile()
			c.edit(p)
			b, err := p.AppendBinary([]byte("x"))
			if !errors.Is(err, c.want) {
				t.Fatalf("AppendBinary error %v, want %v", err, c.want)
			}
			if string(b) != "x" {
				t.Fatalf("AppendBinary failed but returned %x", b)
			}
		})
	}
}

// TestFriendLimits: the longest texts the record holds round-trip.
func TestFriendLimits(t *testing.T) {
	p := testProfile()
	p.Friends = []Friend{{
		Status:         FriendAdded,
		PublicKey:      repeatPK(7),
		RequestMessage: string(bytes.Repeat([]byte{'r'}, MaxRequestLength)),
		Name:           string(bytes.Repeat([]byte{'n'}, MaxNameLength)),
		StatusMessage:  string(bytes.Repeat([]byte{'s'}, MaxStatusMessageLength)),
		UserStatus:     9, // not a status libtoxcore knows; kept
		LastSeen:       ^uint64(0),
	}}
	p.Name = string(bytes.Repeat([]byte{0xff}, MaxNameLength))
	p.StatusMessage = string(bytes.Repeat([]byte{0}, MaxStatusMessageLength))
	q := mustParse(t, mustAppend(t, p))
	sameFields(t, q, p)
	if id := q.Friends[0].Address(); id.PublicKey != repeatPK(7) {
		t.Fatalf("friend address %v", id)
	}
}
