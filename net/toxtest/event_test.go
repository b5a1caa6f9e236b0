package toxtest

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseLine(t *testing.T) {
	tests := []struct {
		line string
		at   time.Duration
		word string
		args []string
		ok   bool
	}{
		{"12 ready A B 33 C 0", 12 * time.Millisecond, "ready", []string{"A", "B", "33", "C", "0"}, true},
		{"0 bye", 0, "bye", []string{}, true},
		{"7 ok send 3", 7 * time.Millisecond, "ok", []string{"send", "3"}, true},
		{"  9   message  0 normal 6869 ", 9 * time.Millisecond, "message", []string{"0", "normal", "6869"}, true},
		{"bye", 0, "", nil, false},
		{"x bye", 0, "", nil, false},
		{"-5 bye", 0, "", nil, false},
		{"", 0, "", nil, false},
	}
	for _, tc := range tests {
		at, word, args, ok := parseLine(tc.line)
		if ok != tc.ok || at != tc.at || word != tc.word || strings.Join(args, "|") != strings.Join(tc.args, "|") {
			t.Errorf("parseLine(%q) = %v %q %q %v", tc.line, at, word, args, ok)
		}
	}
}

func TestEventAccessors(t *testing.T) {
	pk := "7F9C31FE850E97CEB4F2F0E8F0DF6F5B0E2B0D1B7F1C4F5B6C8D9E0A1B2C3D4E"
	e := Event{Name: "friend_request", Args: []string{pk, Hex("hi 🦊"), "42"}}
	if s, err := e.Text(1); err != nil || s != "hi 🦊" {
		t.Errorf("Text(1) = %q, %v", s, err)
	}
	if k, err := e.PublicKey(0); err != nil || k.String() != pk {
		t.Errorf("PublicKey(0) = %v, %v", k, err)
	}
	if n, err := e.Uint(2); err != nil || n != 42 {
		t.Errorf("Uint(2) = %d, %v", n, err)
	}
	if _, err := e.Uint(1); err == nil {
		t.Error("Uint of hex text succeeded")
	}
	if _, err := e.Text(3); !errors.Is(err, ErrNoArg) {
		t.Errorf("Text(3) error = %v, want ErrNoArg", err)
	}
	if e.Arg(9) != "" || e.Arg(-1) != "" {
		t.Error("Arg out of range is not empty")
	}
}

func TestIs(t *testing.T) {
	e := Event{Name: "message", Args: []string{"0", "normal", "c3a9"}}
	for _, tc := range []struct {
		m    func(Event) bool
		want bool
	}{
		{Is("message"), true},
		{Is("message", "0"), true},
		{Is("message", "0", "normal", Hex("é")), true}, // hex case does not matter
		{Is("message", "1"), false},
		{Is("message", "0", "action"), false},
		{Is("message", "0", "normal", "c3a9", "extra"), false},
		{Is("receipt"), false},
	} {
		if got := tc.m(e); got != tc.want {
			t.Errorf("matcher %d = %v, want %v", len(e.Args), got, tc.want)
		}
	}
}

func TestAnnotate(t *testing.T) {
	for line, want := range map[string]string{
		"5 message 0 normal 6869":           `5 message 0 normal 6869  // "hi"`,
		"5 log WARNING a.c:1 f 6F6F7073":    `5 log WARNING a.c:1 f 6F6F7073  // "oops"`,
		"5 friend_connection 0 udp":         "5 friend_connection 0 udp",
		"5 friend_name 0 -":                 `5 friend_name 0 -  // ""`,
		"5 friend_name 0 nothex":            "5 friend_name 0 nothex",
		"not a protocol line":               "not a protocol line",
		"5 friend_status_message 1 4142 xx": `5 friend_status_message 1 4142 xx  // "AB"`,
	} {
		if got := annotate(line); got != want {
			t.Errorf("annotate(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestTranscriptIsBounded(t *testing.T) {
	var tr transcript
	for i := 0; i < 3*transcriptMax; i++ {
		tr.add("line")
	}
	lines, dropped := tr.all()
	if len(lines) > transcriptMax || len(lines)+dropped != 3*transcriptMax {
		t.Errorf("kept %d, dropped %d of %d", len(lines), dropped, 3*transcriptMax)
	}
}
