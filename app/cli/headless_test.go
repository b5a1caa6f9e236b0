package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/profile"
)

// connectTimeout bounds how long two Parley clients on loopback take to
// find each other through the onion and connect.
const connectTimeout = 25 * time.Second

// Two headless clients and a Parley relay on 127.0.0.1: A adds B, B
// accepts, messages go both ways with receipts, names arrive; A restarts
// from its profile and B is still its friend, they reconnect, and a
// message arrives.
func TestHeadlessChatAndRestart(t *testing.T) {
	_, boot := startRelay(t)
	dir := t.TempDir()
	optsA := headlessOptions{profile: filepath.Join(dir, "a.tox"), bootstrap: []string{boot}}
	optsB := headlessOptions{profile: filepath.Join(dir, "b.tox"), bootstrap: []string{boot}}
	a := startHL(t, "a", optsA)
	b := startHL(t, "b", optsB)
	if !a.ready.flag("created") {
		t.Fatalf("a: ready %v does not say the profile was created", a.ready)
	}
	pkA, pkB := a.ready.pk(t, "public_key"), b.ready.pk(t, "public_key")
	idB := b.toxID()
	start := time.Now()

	a.must(map[string]any{"cmd": "add", "tox_id": idB.URI(), "message": "hello B, it's A ✓"})
	req := b.waitEvent(connectTimeout, "friend_request", eventFrom(pkA))
	if req.str("message") != "hello B, it's A ✓" {
		t.Fatalf("request %v", req)
	}
	t.Logf("request arrived after %v", time.Since(start))
	if r := b.must(map[string]any{"cmd": "requests"}); !strings.Contains(mustJSON(t, r["requests"]), pkA.String()) {
		t.Fatalf("requests %v lacks A", r)
	}
	b.must(map[string]any{"cmd": "accept", "public_key": pkA.String()})
	a.waitEvent(connectTimeout, "friend_online", eventFrom(pkB))
	b.waitEvent(connectTimeout, "friend_online", eventFrom(pkA))
	t.Logf("online after %v", time.Since(start))

	exchange(t, a, b, pkA, pkB, "from A to B", false)
	exchange(t, b, a, pkB, pkA, "waves at A", true)

	a.must(map[string]any{"cmd": "name", "name": "Alice"})
	b.waitEvent(10*time.Second, "name", func(m msg) bool { return eventFrom(pkA)(m) && m.str("name") == "Alice" })
	b.must(map[string]any{"cmd": "name", "name": "Bob"})
	a.waitEvent(10*time.Second, "name", func(m msg) bool { return eventFrom(pkB)(m) && m.str("name") == "Bob" })
	b.must(map[string]any{"cmd": "status", "status": "away"})
	a.waitEvent(10*time.Second, "status", func(m msg) bool { return eventFrom(pkB)(m) && m.str("status") == "away" })
	a.must(map[string]any{"cmd": "typing", "public_key": pkB.String(), "typing": true})
	b.waitEvent(10*time.Second, "typing", func(m msg) bool { return eventFrom(pkA)(m) && m.flag("typing") })

	fl := friendsOf(t, b)
	if len(fl) != 1 || fl[0].str("public_key") != pkA.String() || fl[0].str("name") != "Alice" ||
		!fl[0].flag("online") || fl[0].str("state") != "online" {
		t.Fatalf("b's friends: %v", fl)
	}

	// A's profile on disk has B, with B's name and status as last seen.
	a.quit()
	p, err := profile.Load(optsA.profile, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Friends) != 1 || p.Friends[0].PublicKey != pkB || p.Friends[0].Status != profile.FriendConfirmed ||
		p.Friends[0].Name != "Bob" || p.Friends[0].UserStatus != profile.StatusAway || p.Name != "Alice" {
		t.Fatalf("a's saved profile: name %q friends %+v", p.Name, p.Friends)
	}
	if len(p.DHTNodes) == 0 {
		t.Fatal("a saved no DHT nodes")
	}
	b.waitEvent(connectTimeout, "friend_offline", eventFrom(pkA))

	// B writes to A while A is away: the outbox keeps it and shows it queued.
	q := b.must(map[string]any{"cmd": "queue", "public_key": pkA.String(), "text": "written while you were away"})
	if _, ok := q["outbox_id"]; !ok {
		t.Fatalf("queue reply %v has no outbox_id", q)
	}
	if ob := mustJSON(t, b.must(map[string]any{"cmd": "outbox"})["messages"]); !strings.Contains(ob, `"state":"queued"`) ||
		!strings.Contains(ob, "written while you were away") {
		t.Fatalf("b's outbox: %s", ob)
	}

	restart := time.Now()
	a2 := startHL(t, "a2", optsA)
	if a2.ready.str("tox_id") != a.ready.str("tox_id") || a2.ready.flag("created") {
		t.Fatalf("restarted with %v, was %v", a2.ready, a.ready)
	}
	fl = friendsOf(t, a2)
	if len(fl) != 1 || fl[0].str("public_key") != pkB.String() || fl[0].str("name") != "Bob" || fl[0].str("status") != "away" {
		t.Fatalf("a2's friends before reconnecting: %v", fl)
	}
	a2.waitEvent(connectTimeout, "friend_online", eventFrom(pkB))
	b.waitEvent(connectTimeout, "friend_online", eventFrom(pkA))
	t.Logf("reconnected %v after the restart", time.Since(restart))
	a2.waitEvent(connectTimeout, "message", func(m msg) bool {
		return eventFrom(pkB)(m) && m.str("text") == "written while you were away"
	})
	b.waitEvent(connectTimeout, "outbox", func(m msg) bool { return m.str("state") == "delivered" })
	exchange(t, a2, b, pkA, pkB, "A is back", false)
}

// exchange sends text from x to y and checks the message and its receipt.
func exchange(t *testing.T, x, y *hl, pkX, pkY key.PublicKey, text string, action bool) {
	t.Helper()
	r := x.must(map[string]any{"cmd": "send", "public_key": pkY.String(), "text": text, "action": action})
	var ids []json.Number
	if err := json.Unmarshal([]byte(mustJSON(t, r["message_ids"])), &ids); err != nil || len(ids) != 1 {
		t.Fatalf("send reply %v: message ids %v (%v)", r, ids, err)
	}
	m := y.waitEvent(10*time.Second, "message", eventFrom(pkX))
	if m.str("text") != text || m.flag("action") != action {
		t.Fatalf("%s got %v, want %q action %v", y.name, m, text, action)
	}
	x.waitEvent(10*time.Second, "receipt", func(m msg) bool {
		return eventFrom(pkY)(m) && m["message_id"] == ids[0]
	})
}

func friendsOf(t *testing.T, h *hl) []msg {
	t.Helper()
	r := h.must(map[string]any{"cmd": "friends"})
	var fl []msg
	if err := json.Unmarshal([]byte(mustJSON(t, r["friends"])), &fl); err != nil {
		t.Fatal(err)
	}
	return fl
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Malformed input gets error replies and never stops the instance; the
// commands that need no friend answer; quit saves and exits.
func TestHeadlessBadInputAndLocalCommands(t *testing.T) {
	dir := t.TempDir()
	o := headlessOptions{profile: filepath.Join(dir, "p.tox")}
	h := startHL(t, "h", o)
	for _, line := range []string{"garbage", `{"cmd":`, `{"cmd":"fly","id":1}`, `[]`, `{"id":2,"cmd":"send","txt":"x"}`, "", "   "} {
		h.send(line)
	}
	for range 5 {
		r := h.take(10*time.Second, "error reply", func(m msg) bool { return m.str("reply") != "" })
		if r.ok() || r.str("error") == "" {
			t.Fatalf("bad line answered %v", r)
		}
	}
	for _, c := range []map[string]any{
		{"cmd": "add", "tox_id": strings.Repeat("A", 75)},
		{"cmd": "add", "tox_id": strings.Repeat("G", 76)},
		{"cmd": "add", "tox_id": h.ready.str("tox_id")}, // our own
		{"cmd": "send", "public_key": strings.Repeat("0", 64), "text": "x"},
		{"cmd": "accept", "public_key": "nope"},
		{"cmd": "status", "status": "asleep"},
		{"cmd": "nospam", "nospam": "xyz"},
	} {
		if r := h.do(c); r.ok() || r.str("error") == "" || r.str("reply") != c["cmd"] {
			t.Fatalf("%v answered %v", c, r)
		}
	}
	id := h.must(map[string]any{"cmd": "id"})
	if id.str("tox_id") != h.ready.str("tox_id") {
		t.Fatalf("id %v, ready %v", id, h.ready)
	}
	ns := h.must(map[string]any{"cmd": "nospam", "nospam": "0a0b0c0d"})
	if ns.str("nospam") != "0A0B0C0D" || !strings.HasSuffix(ns.str("tox_id")[:72], "0A0B0C0D") {
		t.Fatalf("nospam reply %v", ns)
	}
	random := h.must(map[string]any{"cmd": "nospam"})
	if random.str("nospam") == "0A0B0C0D" {
		t.Fatalf("random nospam kept the old one: %v", random)
	}
	h.must(map[string]any{"cmd": "status_message", "status_message": "scripting"})
	h.must(map[string]any{"cmd": "status", "status": "busy"})
	if r := h.must(map[string]any{"cmd": "requests"}); mustJSON(t, r["requests"]) != "[]" {
		t.Fatalf("requests %v", r)
	}
	if fl := friendsOf(t, h); len(fl) != 0 {
		t.Fatalf("friends %v", fl)
	}
	// A request to a friend that never answers is kept across a restart.
	other, err := profile.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	h.must(map[string]any{"cmd": "add", "tox_id": other.Address().String(), "message": "are you there?"})
	if r := h.do(map[string]any{"cmd": "add", "tox_id": other.Address().String(), "message": "again"}); r.ok() {
		t.Fatalf("second request to the same ID accepted: %v", r)
	}
	h.quit()

	p, err := profile.Load(o.profile, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Address().String() != random.str("tox_id") || p.StatusMessage != "scripting" || p.Status != profile.StatusBusy {
		t.Fatalf("saved %s %q %v, want %s", p.Address(), p.StatusMessage, p.Status, random.str("tox_id"))
	}
	if len(p.Friends) != 1 || p.Friends[0].Status >= profile.FriendConfirmed ||
		p.Friends[0].RequestMessage != "are you there?" || p.Friends[0].Address() != other.Address() {
		t.Fatalf("saved friends %+v", p.Friends)
	}
	h2 := startHL(t, "h2", o)
	fl := friendsOf(t, h2)
	if len(fl) != 1 || fl[0].str("state") != "requested" || fl[0].str("public_key") != other.Keys.Public.String() {
		t.Fatalf("after restart: %v", fl)
	}
	h2.must(map[string]any{"cmd": "remove", "public_key": other.Address().URI()})
	h2.stdin.Close() // EOF saves too
	if err := h2.wait(15 * time.Second); err != nil {
		t.Fatal(err)
	}
	p, err = profile.Load(o.profile, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Friends) != 0 {
		t.Fatalf("removed friend still saved: %+v", p.Friends)
	}
	h2.mu.Lock()
	defer h2.mu.Unlock()
	if !slices.ContainsFunc(h2.raw, func(l string) bool { return strings.Contains(l, `"reply":"remove"`) }) {
		t.Fatal("no remove reply")
	}
}
