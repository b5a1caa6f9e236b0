package outbox

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley/net/friend"
	"parley/net/key"
)

var t0 = time.Unix(1700000000, 0)

func pk(b byte) key.PublicKey { var k key.PublicKey; k[0] = b; return k }

func open(t *testing.T, path string, opt Options) *Outbox {
	t.Helper()
	o, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

func enqueue(t *testing.T, o *Outbox, to key.PublicKey, text string) ID {
	t.Helper()
	id, err := o.Enqueue(t0, to, friend.MessageNormal, text)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func texts(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Text)
	}
	return out
}

func TestReplayOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox")
	o := open(t, path, Options{})
	var want []string
	for i := range 20 {
		s := fmt.Sprintf("m%02d", i)
		want = append(want, s)
		if id := enqueue(t, o, pk(1+byte(i%2)), s); id != ID(i+1) {
			t.Fatalf("id %d, want %d", id, i+1)
		}
	}
	o.Close()
	o = open(t, path, Options{})
	if got := texts(o.List(key.PublicKey{})); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("replayed %v, want %v", got, want)
	}
	var odd []string
	for _, p := range o.Pending(pk(2)) {
		odd = append(odd, p.Text)
	}
	if len(odd) != 10 || odd[0] != "m01" || odd[9] != "m19" {
		t.Fatalf("pending for friend 2: %v", odd)
	}
	if id := enqueue(t, o, pk(1), "next"); id != 21 {
		t.Fatalf("id after replay %d, want 21", id)
	}
}

func TestSendReceiptResend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox")
	o := open(t, path, Options{})
	long := strings.Repeat("word ", 600) // 3000 bytes: 3 parts
	a := enqueue(t, o, pk(1), "a")
	b := enqueue(t, o, pk(1), long)
	ps := o.Pending(pk(1))
	if len(ps) != 4 || ps[0].ID != a || ps[1].ID != b || ps[3].Index != 2 {
		t.Fatalf("pending %+v", ps)
	}
	for i, p := range ps {
		if err := o.MarkSent(p.ID, p.Index, friend.MessageID(100+i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(o.Pending(pk(1))); n != 0 {
		t.Fatalf("%d pending after sending all", n)
	}
	if e, ok, err := o.Receipt(100); err != nil || !ok || e.State != StateDelivered {
		t.Fatalf("receipt of a: %+v %v %v", e, ok, err)
	}
	if e, ok, err := o.Receipt(101); err != nil || !ok || e.State != StateSent || e.Acked != 1 {
		t.Fatalf("receipt of b part 0: %+v %v %v", e, ok, err)
	}
	if _, ok, _ := o.Receipt(999); ok {
		t.Fatal("receipt of a foreign id counted")
	}
	o.LinkLost(pk(1))
	ps = o.Pending(pk(1))
	if len(ps) != 2 || ps[0].Index != 1 || ps[1].Index != 2 {
		t.Fatalf("pending after link loss %+v", ps)
	}
	// A restart forgets session marks but keeps acks.
	o.Close()
	o = open(t, path, Options{})
	ps = o.Pending(pk(1))
	if len(ps) != 2 || ps[0].ID != b || ps[0].Index != 1 {
		t.Fatalf("pending after reopen %+v", ps)
	}
	l := o.List(pk(1))
	if len(l) != 2 || l[0].State != StateDelivered || l[1].State != StateQueued || l[1].Acked != 1 {
		t.Fatalf("list %+v", l)
	}
}

func TestTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox")
	o := open(t, path, Options{})
	for i := range 5 {
		enqueue(t, o, pk(1), fmt.Sprint("msg", i))
	}
	o.Close()
	full, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Every cut inside the last frame keeps the first four messages.
	last := len(full) - (frameHeader + enqueueSize + len("msg4"))
	for cut := last; cut < len(full); cut++ {
		if err := os.WriteFile(path, full[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		o := open(t, path, Options{})
		if got := texts(o.List(key.PublicKey{})); len(got) != 4 || got[3] != "msg3" {
			t.Fatalf("cut at %d: %v", cut, got)
		}
		if o.Info().Cut != cut-last {
			t.Fatalf("cut at %d: info %+v", cut, o.Info())
		}
		// The tail is gone: a new record follows the last good one.
		if id := enqueue(t, o, pk(1), "after"); id != 5 {
			t.Fatalf("id %d", id)
		}
		o.Close()
		o = open(t, path, Options{})
		if got := texts(o.List(key.PublicKey{})); len(got) != 5 || got[4] != "after" {
			t.Fatalf("cut at %d then append: %v", cut, got)
		}
		o.Close()
	}
	// Zeros after the last frame (a file extended but never written).
	if err := os.WriteFile(path, append(bytes.Clone(full), make([]byte, 100)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := texts(open(t, path, Options{}).List(key.PublicKey{})); len(got) != 5 {
		t.Fatalf("zero tail: %v", got)
	}
}

func TestCRCError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox")
	o := open(t, path, Options{})
	for i := range 3 {
		enqueue(t, o, pk(1), fmt.Sprint("msg", i))
	}
	o.Close()
	full, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	frame := frameHeader + enqueueSize + 4
	// A flipped byte in the middle frame's text: that frame is skipped, the
	// others survive.
	bad := bytes.Clone(full)
	bad[len(Magic)+frame+frame-1] ^= 0x40
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	o = open(t, path, Options{})
	if got := texts(o.List(key.PublicKey{})); strings.Join(got, ",") != "msg0,msg2" || o.Info().Skipped != 1 {
		t.Fatalf("got %v, info %+v", got, o.Info())
	}
	o.Close()
	// A flipped byte in the last frame: it is cut, the rest survives.
	bad = bytes.Clone(full)
	bad[len(bad)-1] ^= 1
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	o = open(t, path, Options{})
	if got := texts(o.List(key.PublicKey{})); strings.Join(got, ",") != "msg0,msg1" || o.Info().Cut != frame {
		t.Fatalf("got %v, info %+v", got, o.Info())
	}
	o.Close()
	// Not an outbox at all: an error, and the file is left alone.
	if err := os.WriteFile(path, []byte("hello world"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{}); err == nil {
		t.Fatal("opened a file without magic")
	}
	if b, _ := os.ReadFile(path); string(b) != "hello world" {
		t.Fatal("a foreign file was changed")
	}
}

func TestCompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox")
	o := open(t, path, Options{CompactMinRecords: 40, SeenPerFriend: 8})
	sid := friend.MessageID(1)
	for i := range 30 {
		enqueue(t, o, pk(1), fmt.Sprint("m", i))
	}
	for _, p := range o.Pending(pk(1)) {
		if err := o.MarkSent(p.ID, p.Index, sid); err != nil {
			t.Fatal(err)
		}
		sid++
	}
	for i := range 20 {
		if err := o.MarkSeen(pk(2), MsgID{byte(i)}, 0); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.Stat(path)
	for s := friend.MessageID(1); s <= 28; s++ { // all but the last two
		if _, _, err := o.Receipt(s); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := os.Stat(path)
	if after.Size() >= before.Size() {
		t.Fatalf("not compacted: %d -> %d bytes", before.Size(), after.Size())
	}
	id := enqueue(t, o, pk(1), "late")
	if id != 31 {
		t.Fatalf("id after compaction %d", id)
	}
	o.Close()
	o = open(t, path, Options{SeenPerFriend: 8})
	var undelivered []Entry
	for _, e := range o.List(pk(1)) {
		if e.State != StateDelivered {
			undelivered = append(undelivered, e)
		}
	}
	if got := texts(undelivered); strings.Join(got, ",") != "m28,m29,late" {
		t.Fatalf("after compaction: %v", got)
	}
	for i := range 20 {
		if want := i >= 12; o.Seen(pk(2), MsgID{byte(i)}, 0) != want {
			t.Fatalf("seen %d = %v, want %v", i, !want, want)
		}
	}
	// Compacting everything away still keeps the id counter.
	for _, p := range o.Pending(pk(1)) {
		_ = o.MarkSent(p.ID, p.Index, sid)
		if _, _, err := o.Receipt(sid); err != nil {
			t.Fatal(err)
		}
		sid++
	}
	if err := o.Compact(); err != nil {
		t.Fatal(err)
	}
	o.Close()
	o = open(t, path, Options{})
	if len(o.List(key.PublicKey{})) != 0 {
		t.Fatal("delivered messages survived compaction")
	}
	if id := enqueue(t, o, pk(1), "x"); id != 32 {
		t.Fatalf("id reused after full compaction: %d", id)
	}
}

func TestEnqueueErrors(t *testing.T) {
	o := open(t, filepath.Join(t.TempDir(), "outbox"), Options{})
	for _, c := range []struct {
		kind friend.MessageKind
		text string
		err  error
	}{
		{friend.MessageNormal, "", ErrEmpty},
		{friend.MessageNormal, "\xff", ErrUTF8},
		{7, "x", ErrBadKind},
		{friend.MessageNormal, strings.Repeat("x", MaxTextLength+1), ErrTooLong},
	} {
		if _, err := o.Enqueue(t0, pk(1), c.kind, c.text); !errors.Is(err, c.err) {
			t.Errorf("%q: %v, want %v", c.text[:min(len(c.text), 5)], err, c.err)
		}
	}
}
