package ui

import (
	"testing"

	"fyne.io/fyne/v2/widget"
)

// seg is a segment as the tests compare it: a link's URL, or "".
type seg struct{ text, url string }

func segsOf(t *testing.T, ss []widget.RichTextSegment) []seg {
	t.Helper()
	var out []seg
	for _, s := range ss {
		switch s := s.(type) {
		case *widget.TextSegment:
			if s.Style != widget.RichTextStyleInline {
				t.Errorf("text segment %q has style %+v", s.Text, s.Style)
			}
			out = append(out, seg{s.Text, ""})
		case *widget.HyperlinkSegment:
			out = append(out, seg{s.Text, s.URL.String()})
		default:
			t.Fatalf("segment %T", s)
		}
	}
	return out
}

func TestLinkify(t *testing.T) {
	const id = "tox:56A1ADE4B65B86BCD51CC73E2CD4E542179F47959FE3E0E21B4B0ACDADE51855D34D34D37CB5"
	for _, c := range []struct {
		in   string
		want []seg
	}{
		{"just words", []seg{{"just words", ""}}},
		{"", []seg{{"", ""}}},
		{"see https://example.org/a?b=c#d now", []seg{{"see ", ""}, {"https://example.org/a?b=c#d", "https://example.org/a?b=c#d"}, {" now", ""}}},
		{"http://x.org.", []seg{{"http://x.org", "http://x.org"}, {".", ""}}},
		{"(HTTPS://x.org/wiki/A_(b))", []seg{{"(", ""}, {"HTTPS://x.org/wiki/A_(b)", "https://x.org/wiki/A_(b)"}, {")", ""}}},
		{"add me " + id, []seg{{"add me ", ""}, {id, id}}},
		{"a http://a.b and https://c.d", []seg{{"a ", ""}, {"http://a.b", "http://a.b"}, {" and ", ""}, {"https://c.d", "https://c.d"}}},
		{"no javascript:alert(1) or file:///etc/passwd or ftp://x.org", []seg{{"no javascript:alert(1) or file:///etc/passwd or ftp://x.org", ""}}},
		{"empty http:// and tox:", []seg{{"empty http:// and tox:", ""}}},
	} {
		got := segsOf(t, linkify(c.in, widget.RichTextStyleInline))
		if len(got) != len(c.want) {
			t.Errorf("linkify(%q) = %q, want %q", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("linkify(%q)[%d] = %q, want %q", c.in, i, got[i], c.want[i])
			}
		}
	}
}

func TestMessageBodyLinks(t *testing.T) {
	if _, ok := messageBody("just text", false).(*widget.Label); !ok {
		t.Fatal("plain text should stay a selectable label")
	}
	rt, ok := messageBody("see https://example.org/x.", false).(*widget.RichText)
	if !ok {
		t.Fatal("a message with a link should be rich text")
	}
	var found bool
	for _, s := range rt.Segments {
		if h, ok := s.(*widget.HyperlinkSegment); ok && h.URL.String() == "https://example.org/x" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no hyperlink segment in %#v", rt.Segments)
	}
}
