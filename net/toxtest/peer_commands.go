package toxtest

import (
	"strconv"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// The helpers below fail the test given to StartPeer on any error; call
// them from that test's goroutine. Use Do and Wait to handle errors yourself.

// MustDo is Do failing the test on an error.
func (p *Peer) MustDo(cmd string, args ...string) []string {
	p.t.Helper()
	v, err := p.Do(cmd, args...)
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

// MustWait is Wait failing the test when no matching event comes in time.
func (p *Peer) MustWait(timeout time.Duration, match func(Event) bool) Event {
	p.t.Helper()
	e, err := p.Wait(timeout, match)
	if err != nil {
		p.t.Fatal(err)
	}
	return e
}

// mustU32 runs a command whose reply is one number.
func (p *Peer) mustU32(cmd string, args ...string) uint32 {
	p.t.Helper()
	v := p.MustDo(cmd, args...)
	if len(v) != 1 {
		p.t.Fatalf("toxtest: %s: %s replied %q, want one number", p.Name, cmd, v)
	}
	n, err := strconv.ParseUint(v[0], 10, 32)
	if err != nil {
		p.t.Fatalf("toxtest: %s: %s replied %q: %v", p.Name, cmd, v, err)
	}
	return uint32(n)
}

// Bootstrap adds n as a DHT bootstrap node, or as a TCP relay when n.TCP.
func (p *Peer) Bootstrap(n wire.Node) {
	p.t.Helper()
	cmd := "bootstrap"
	if n.TCP {
		cmd = "add_tcp_relay"
	}
	p.MustDo(cmd, n.Addr.Addr().String(), strconv.Itoa(int(n.Addr.Port())), n.PK.String())
}

// FriendAdd sends a friend request to id and returns the friend number.
func (p *Peer) FriendAdd(id key.ToxID, msg string) uint32 {
	p.t.Helper()
	return p.mustU32("friend_add", id.String(), Hex(msg))
}

// FriendAddNoRequest adds pk as a friend without a request (accepting one)
// and returns the friend number.
func (p *Peer) FriendAddNoRequest(pk key.PublicKey) uint32 {
	p.t.Helper()
	return p.mustU32("friend_add_norequest", pk.String())
}

// Send sends a normal message to a friend and returns its message id.
func (p *Peer) Send(friend uint32, text string) uint32 {
	p.t.Helper()
	return p.mustU32("send", u32(friend), "normal", Hex(text))
}

// SendAction sends an action message ("/me ...") and returns its id.
func (p *Peer) SendAction(friend uint32, text string) uint32 {
	p.t.Helper()
	return p.mustU32("send", u32(friend), "action", Hex(text))
}

// Save writes the profile to path, encrypted with pass unless pass is "".
func (p *Peer) Save(path, pass string) {
	p.t.Helper()
	args := []string{Hex(path)}
	if pass != "" {
		args = append(args, Hex(pass))
	}
	p.MustDo("save", args...)
}

// u32 formats a friend number or message id for a command.
func u32(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

// FriendArg formats a friend number for Do and Is.
func FriendArg(friend uint32) string { return u32(friend) }
