package viewmodel

import (
	"testing"
	"time"

	"parley/net/tox"
)

// A friend connection through a TCP relay is shown as relayed; a later
// direct one is not, and a disconnect clears both.
func TestFriendLinkRelayed(t *testing.T) {
	vm, core, q, pk := fakeVM(t, Options{})
	core.Emit(tox.FriendConnection{Friend: pk, Connected: true, Addr: "tcp via 192.0.2.1:33445", Relayed: true})
	if !q.RunUntil(func() bool { f, _ := vm.Friend(pk); return f.Relayed }, 5*time.Second) {
		t.Fatal("relayed connection not shown")
	}
	if f, _ := vm.Friend(pk); f.Link != "tcp via 192.0.2.1:33445" {
		t.Fatalf("link %q", f.Link)
	}
	core.Emit(tox.FriendConnection{Friend: pk, Connected: true, Addr: "192.0.2.2:33445"})
	if !q.RunUntil(func() bool { f, _ := vm.Friend(pk); return !f.Relayed && f.Link == "192.0.2.2:33445" }, 5*time.Second) {
		t.Fatal("direct connection after a relayed one not shown")
	}
	core.Emit(tox.FriendConnection{Friend: pk})
	if !q.RunUntil(func() bool { f, _ := vm.Friend(pk); return !f.Relayed && f.Link == "" }, 5*time.Second) {
		t.Fatal("disconnect not shown")
	}
}
