package toxtest

import (
	"bytes"
	"testing"
)

func TestHexRoundTrip(t *testing.T) {
	for _, s := range []string{"", "a", "hello world", "line1\nline2\r\n", "héllo wörld — 你好 🦊", "\x00\xff\xfe invalid utf-8"} {
		h := Hex(s)
		if h == "" || bytes.ContainsAny([]byte(h), " \t\r\n") {
			t.Errorf("Hex(%q) = %q: not one word", s, h)
		}
		b, err := Unhex(h)
		if err != nil || string(b) != s {
			t.Errorf("Unhex(Hex(%q)) = %q, %v", s, b, err)
		}
	}
	if got := Hex(""); got != "-" {
		t.Errorf(`Hex("") = %q, want "-"`, got)
	}
	if got := Hex("é"); got != "C3A9" {
		t.Errorf(`Hex("é") = %q, want "C3A9"`, got)
	}
	if b, err := Unhex("c3a9"); err != nil || string(b) != "é" {
		t.Errorf(`Unhex("c3a9") = %q, %v`, b, err)
	}
	for _, bad := range []string{"zz", "abc", "--"} {
		if _, err := Unhex(bad); err == nil {
			t.Errorf("Unhex(%q) succeeded", bad)
		}
	}
}

func TestCommandLine(t *testing.T) {
	line, err := commandLine("send", []string{"0", "normal", Hex("a b")})
	if err != nil || line != "send 0 normal 612062" {
		t.Errorf("commandLine = %q, %v", line, err)
	}
	for _, bad := range [][]string{{""}, {"a b"}, {"a\nquit"}, {"tab\there"}, {"del\x7f"}} {
		if _, err := commandLine("echo", bad); err == nil {
			t.Errorf("commandLine(echo %q) succeeded", bad)
		}
	}
	if _, err := commandLine("", nil); err == nil {
		t.Error("empty command accepted")
	}
}
