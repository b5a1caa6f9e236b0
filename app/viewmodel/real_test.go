package viewmodel

import (
	"net/netip"
	"testing"
	"time"

	"parley/app/account"
	"parley/app/store"
	"parley/net/tox"
	"parley/net/transport"
	"parley/net/wire"
)

// TestRealNodes runs the request → accept → message → receipt flow between
// two view models over two real tox.Nodes on loopback.
func TestRealNodes(t *testing.T) {
	lo := transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")}
	relay, err := tox.Start(tox.Config{RelayOnly: true, Listen: lo, LANDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	defer relay.Close()
	boot := []wire.Node{{PK: relay.DHTPublicKey(), Addr: relay.LocalAddr()}}
	q := NewQueue()
	mk := func(name string) *VM {
		dir := t.TempDir()
		acct, err := account.Create(dir, name, "")
		if err != nil {
			t.Fatal(err)
		}
		n, err := startNode(acct.Profile(), boot, lo, true, "")
		if err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(acct.HistoryPath())
		if err != nil {
			t.Fatal(err)
		}
		vm := New(n, acct, st, Options{Do: q.Do, StatsEvery: 100 * time.Millisecond})
		vm.Start()
		t.Cleanup(func() { vm.Close() })
		return vm
	}
	alice, bob := mk("alice"), mk("bob")
	q.RunUntil(func() bool { return !bob.Self().ID.PublicKey.IsZero() }, 5*time.Second)
	var addErr error = errPending
	if err := alice.AddFriend(bob.Self().ID.String(), "hi bob", func(err error) { addErr = err }); err != nil {
		t.Fatal(err)
	}
	const wait = 25 * time.Second
	if !q.RunUntil(func() bool { return len(bob.Requests()) == 1 }, wait) {
		t.Fatalf("bob got no friend request (add: %v)", addErr)
	}
	if r := bob.Requests()[0]; r.From != alice.Self().ID.PublicKey || r.Message != "hi bob" {
		t.Fatalf("request = %+v", r)
	}
	bob.Accept(alice.Self().ID.PublicKey)
	apk, bpk := alice.Self().ID.PublicKey, bob.Self().ID.PublicKey
	if !q.RunUntil(func() bool {
		fa, ok1 := alice.Friend(bpk)
		fb, ok2 := bob.Friend(apk)
		return ok1 && ok2 && fa.Online && fb.Online
	}, wait) {
		t.Fatal("alice and bob did not come online to each other")
	}
	alice.OpenChat(bpk)
	alice.Send("hello over tox")
	if !q.RunUntil(func() bool {
		f, _ := bob.Friend(apk)
		return f.Last.Text == "hello over tox" && f.Unread == 1
	}, wait) {
		t.Fatal("bob did not receive the message")
	}
	if !q.RunUntil(func() bool {
		_, msgs, _ := alice.Chat()
		return len(msgs) == 1 && msgs[0].State == store.Delivered
	}, wait) {
		_, msgs, _ := alice.Chat()
		t.Fatalf("alice's message not delivered: %+v", msgs)
	}
}

var errPending = errString("pending")

type errString string

func (e errString) Error() string { return string(e) }
