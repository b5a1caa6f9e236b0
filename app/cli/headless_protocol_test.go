package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/tox"
)

// testPK is a public key whose hex is easy to read in golden lines.
func testPK(b byte) key.PublicKey {
	var pk key.PublicKey
	for i := range pk {
		pk[i] = b
	}
	return pk
}

func TestParseCommand(t *testing.T) {
	yes := true
	name := "Bob <&> ✓"
	tests := []struct {
		line string
		want command
	}{
		{`{"cmd":"id"}`, command{Cmd: "id"}},
		{` {"cmd":"quit","id":7} `, command{Cmd: "quit", ID: json.RawMessage("7")}},
		{`{"id":"a-1","cmd":"typing","public_key":"ab","typing":true}`,
			command{Cmd: "typing", ID: json.RawMessage(`"a-1"`), PublicKey: "ab", Typing: &yes}},
		{`{"cmd":"name","name":"Bob <&> ✓"}`, command{Cmd: "name", Name: &name}},
		{`{"cmd":"send","public_key":"k","text":"","action":true}`, command{Cmd: "send", PublicKey: "k", Text: new(string), Action: true}},
		{`{"cmd":"export","path":"/tmp/x.tox","passphrase":"p","overwrite":true}`,
			command{Cmd: "export", Path: "/tmp/x.tox", Passphrase: "p", Overwrite: true}},
	}
	for _, tc := range tests {
		got, err := parseCommand([]byte(tc.line))
		if err != nil {
			t.Errorf("%s: %v", tc.line, err)
			continue
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(tc.want)
		if string(g) != string(w) {
			t.Errorf("%s:\n got %s\nwant %s", tc.line, g, w)
		}
	}
}

// Every malformed line is refused with errBadCommand and, where they could
// be read, the id and command name to echo.
func TestParseCommandErrors(t *testing.T) {
	tests := []struct {
		line    string
		wantCmd string
		wantID  string
	}{
		{`not json`, replyInvalid, ""},
		{`{"cmd":"id"`, replyInvalid, ""},
		{`[1,2]`, replyInvalid, ""},
		{`"id"`, replyInvalid, ""},
		{`{}`, replyInvalid, ""},
		{`{"id":3}`, replyInvalid, "3"},
		{`{"id":{"x":1},"cmd":"id"}`, replyInvalid, ""},
		{`{"cmd":5,"id":"x"}`, replyInvalid, `"x"`},
		{`{"cmd":"frobnicate","id":4}`, "frobnicate", "4"},
		{`{"cmd":"send","id":5,"txt":"typo"}`, "send", "5"},
		{`{"cmd":"typing","id":6,"typing":"yes"}`, "typing", "6"},
		{`{"cmd":"name","name":null,"id":8} trailing`, replyInvalid, ""},
	}
	for _, tc := range tests {
		c, err := parseCommand([]byte(tc.line))
		if !errors.Is(err, errBadCommand) {
			t.Errorf("%s: error %v, want errBadCommand", tc.line, err)
			continue
		}
		if c.Cmd != tc.wantCmd || string(c.ID) != tc.wantID {
			t.Errorf("%s: echoes cmd %q id %q, want %q %q", tc.line, c.Cmd, c.ID, tc.wantCmd, tc.wantID)
		}
		line, err := encodeLine(errReply(c, err))
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]any
		if err := json.Unmarshal(line, &back); err != nil || back["ok"] != false || back["error"] == "" {
			t.Errorf("%s: error reply %s does not decode as a failed reply (%v)", tc.line, line, err)
		}
	}
}

// Bad Tox IDs in "add" name their problem.
func TestAddArgs(t *testing.T) {
	id := key.ToxID{PublicKey: testPK(0x11), Nospam: key.Nospam{1, 2, 3, 4}}
	good := id.String()
	typo := good[:70] + map[bool]string{true: "1", false: "0"}[good[70] == '0'] + good[71:]
	msg := "hi"
	tests := []struct {
		c       command
		wantErr error
	}{
		{command{ToxID: good, Message: &msg}, nil},
		{command{ToxID: id.URI()}, nil},
		{command{ToxID: strings.ToLower(good)}, nil},
		{command{ToxID: good[:75]}, key.ErrIDLength},
		{command{ToxID: good + "0"}, key.ErrIDLength},
		{command{ToxID: good[:75] + "G"}, key.ErrIDHex},
		{command{ToxID: typo}, key.ErrIDChecksum},
	}
	for _, tc := range tests {
		got, m, err := addArgs(tc.c)
		if !errors.Is(err, tc.wantErr) {
			t.Errorf("%q: error %v, want %v", tc.c.ToxID, err, tc.wantErr)
			continue
		}
		if err == nil && got != id {
			t.Errorf("%q: parsed %v", tc.c.ToxID, got)
		}
		if err == nil && tc.c.Message == nil && m != defaultRequestMessage {
			t.Errorf("no message: sent %q, want the default", m)
		}
	}
	if _, _, err := addArgs(command{}); err == nil {
		t.Error("add without tox_id accepted")
	}
}

func TestParsePeerKeyAndNospam(t *testing.T) {
	pk := testPK(0x22)
	id := key.ToxID{PublicKey: pk, Nospam: key.Nospam{9, 9, 9, 9}}
	for _, s := range []string{pk.String(), strings.ToLower(pk.String()), id.String(), id.URI()} {
		got, err := parsePeerKey(s)
		if err != nil || got != pk {
			t.Errorf("parsePeerKey(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "12", pk.String()[:63] + "x"} {
		if _, err := parsePeerKey(s); err == nil {
			t.Errorf("parsePeerKey(%q) accepted", s)
		}
	}
	if n, err := parseNospam("0a0B0c0D"); err != nil || n != (key.Nospam{0x0a, 0x0b, 0x0c, 0x0d}) {
		t.Errorf("parseNospam = %v, %v", n, err)
	}
	for _, s := range []string{"", "0a0b0c", "0a0b0c0d0e", "zz0b0c0d"} {
		if _, err := parseNospam(s); err == nil {
			t.Errorf("parseNospam(%q) accepted", s)
		}
	}
	for in, want := range map[string]tox.UserStatus{"online": tox.StatusOnline, "Away": tox.StatusAway, "busy": tox.StatusBusy, "none": tox.StatusOnline} {
		if s, err := parseStatus(in); err != nil || s != want {
			t.Errorf("parseStatus(%q) = %v, %v", in, s, err)
		}
	}
	if _, err := parseStatus("asleep"); err == nil {
		t.Error("parseStatus accepted asleep")
	}
}

func TestReplyGolden(t *testing.T) {
	id7 := command{Cmd: "send", ID: json.RawMessage("7")}
	idS := command{Cmd: "name", ID: json.RawMessage(`"n-1"`)}
	tests := []struct {
		o    object
		want string
	}{
		{okReply(command{Cmd: "quit"}), `{"reply":"quit","ok":true}`},
		{okReply(id7, field{"public_key", testPK(0xab).String()}, field{"message_ids", []tox.MessageID{3, 4}}),
			`{"reply":"send","id":7,"ok":true,"public_key":"` + strings.Repeat("AB", 32) + `","message_ids":[3,4]}`},
		{okReply(idS, field{"name", "<Bob & Co> ✓"}), `{"reply":"name","id":"n-1","ok":true,"name":"<Bob & Co> ✓"}`},
		{errReply(id7, friend.ErrFriendOffline), `{"reply":"send","id":7,"ok":false,"error":"friend is not online"}`},
		{errReply(command{Cmd: replyInvalid}, fmt.Errorf("%w: x", errBadCommand)), `{"reply":"invalid","ok":false,"error":"x"}`},
		{okReply(command{Cmd: "friends"}, field{"friends", []object{}}), `{"reply":"friends","ok":true,"friends":[]}`},
	}
	for _, tc := range tests {
		got, err := encodeLine(tc.o)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want+"\n" {
			t.Errorf("\n got %s\nwant %s", got, tc.want)
		}
	}
}

func TestEventGolden(t *testing.T) {
	a := testPK(0xaa)
	A := strings.Repeat("AA", 32)
	tests := []struct {
		e    tox.Event
		want string
	}{
		{tox.FriendEvent{Event: tox.FriendRequest{From: a, Message: "hi \"there\"\n"}},
			`{"event":"friend_request","public_key":"` + A + `","message":"hi \"there\"\n"}`},
		{tox.FriendEvent{Event: tox.MessageReceived{Friend: a, Kind: tox.MessageNormal, Text: "héllo"}},
			`{"event":"message","public_key":"` + A + `","text":"héllo","action":false}`},
		{tox.FriendEvent{Event: tox.MessageReceived{Friend: a, Kind: tox.MessageAction, Text: "waves"}},
			`{"event":"message","public_key":"` + A + `","text":"waves","action":true}`},
		{tox.FriendEvent{Event: tox.MessageReceived{Friend: a, Text: "bad \xff byte"}},
			`{"event":"message","public_key":"` + A + `","text":"bad \ufffd byte","action":false}`},
		{tox.FriendEvent{Event: tox.Receipt{Friend: a, ID: 42}},
			`{"event":"receipt","public_key":"` + A + `","message_id":42}`},
		{tox.FriendEvent{Event: tox.ReceiptsLost{Friend: a, IDs: []tox.MessageID{5, 6}}},
			`{"event":"receipts_lost","public_key":"` + A + `","message_ids":[5,6]}`},
		{tox.FriendEvent{Event: tox.FriendOnline{Friend: a}}, `{"event":"friend_online","public_key":"` + A + `"}`},
		{tox.FriendEvent{Event: tox.FriendOffline{Friend: a}}, `{"event":"friend_offline","public_key":"` + A + `"}`},
		{tox.FriendEvent{Event: tox.NameChanged{Friend: a, Name: "Ann"}},
			`{"event":"name","public_key":"` + A + `","name":"Ann"}`},
		{tox.FriendEvent{Event: tox.StatusMessageChanged{Friend: a, Message: "out"}},
			`{"event":"status_message","public_key":"` + A + `","status_message":"out"}`},
		{tox.FriendEvent{Event: tox.UserStatusChanged{Friend: a, Status: tox.StatusAway}},
			`{"event":"status","public_key":"` + A + `","status":"away"}`},
		{tox.FriendEvent{Event: tox.UserStatusChanged{Friend: a, Status: tox.StatusOnline}},
			`{"event":"status","public_key":"` + A + `","status":"online"}`},
		{tox.FriendEvent{Event: tox.TypingChanged{Friend: a, Typing: true}},
			`{"event":"typing","public_key":"` + A + `","typing":true}`},
		{tox.SelfConnection{DHT: true}, `{"event":"self_connection","dht":true,"onion":false}`},
		{tox.FriendConnection{Friend: a, Connected: true, Addr: "127.0.0.1:33445"},
			`{"event":"friend_connection","public_key":"` + A + `","connected":true,"addr":"127.0.0.1:33445"}`},
		{tox.FriendConnection{Friend: a}, `{"event":"friend_connection","public_key":"` + A + `","connected":false}`},
	}
	for _, tc := range tests {
		o, ok := encodeEvent(tc.e)
		if !ok {
			t.Errorf("%T not encoded", tc.e)
			continue
		}
		got, err := encodeLine(o)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want+"\n" {
			t.Errorf("\n got %s\nwant %s", got, tc.want)
		}
	}
	if _, ok := encodeEvent(tox.FriendEvent{Event: friend.ConnectionDead{Friend: a}}); ok {
		t.Error("ConnectionDead is internal but was encoded")
	}
}

func TestReadLine(t *testing.T) {
	long := strings.Repeat("x", maxCommandLine+10)
	in := "one\r\n\n" + long + "\ntwo\n" + strings.Repeat("y", maxCommandLine) + "\nlast"
	br := bufio.NewReaderSize(strings.NewReader(in), 16)
	var got []string
	for {
		l, err := readLine(br)
		switch {
		case l.tooLong > 0:
			got = append(got, fmt.Sprintf("<%d>", l.tooLong))
		case len(l.data) > 0 || err == nil:
			got = append(got, string(l.data[:min(len(l.data), 5)]))
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			break
		}
	}
	want := []string{"one", "", fmt.Sprintf("<%d>", len(long)), "two", "yyyyy", "last"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("lines %q, want %q", got, want)
	}
}

// The reader goroutine exits at EOF, and when stopped while it holds a
// line nobody takes.
func TestLineReaderExits(t *testing.T) {
	stop := make(chan struct{})
	lr := startLineReader(strings.NewReader("a\nb"), stop)
	var got []string
	for l := range lr.lines {
		got = append(got, string(l.data))
	}
	<-lr.done
	if fmt.Sprint(got) != "[a b]" || lr.err != nil {
		t.Fatalf("read %q, err %v", got, lr.err)
	}

	r, w := io.Pipe()
	lr = startLineReader(r, stop)
	go func() { _, _ = io.WriteString(w, "never taken\n") }()
	close(stop)
	select {
	case <-lr.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the reader did not exit when stopped")
	}
	w.Close()

	r, w = io.Pipe()
	lr = startLineReader(r, make(chan struct{}))
	w.CloseWithError(errors.New("broken"))
	select {
	case <-lr.done:
		if lr.err == nil {
			t.Fatal("read error not kept")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the reader did not exit on a read error")
	}
}

// Lines written from several goroutines never interleave.
func TestJSONWriterWholeLines(t *testing.T) {
	r, w := io.Pipe()
	jw := &jsonWriter{w: w}
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				if err := jw.write(event("x", field{"w", i}, field{"text", strings.Repeat("z", 3000+j)})); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); w.Close() }()
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not one JSON object: %v", n, err)
		}
		n++
	}
	if n != writers*each {
		t.Fatalf("%d lines, want %d", n, writers*each)
	}
	// A failed write is kept and ends the run.
	r2, w2 := io.Pipe()
	r2.Close()
	jw = &jsonWriter{w: w2}
	if err := jw.write(event("x")); err == nil || jw.failed() == nil {
		t.Fatal("write to a closed pipe succeeded")
	}
}
