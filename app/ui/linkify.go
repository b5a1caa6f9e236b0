package ui

import (
	"net/url"
	"regexp"
	"strings"

	"fyne.io/fyne/v2/widget"
)

// linkPattern finds link candidates in message text: http, https and tox:
// URIs up to the next space or quote.
var linkPattern = regexp.MustCompile(`(?i)\b(?:https?://|tox:)[^\s<>"]+`)

// linkTrailing are characters a sentence puts after a link ("see
// https://x.org." or "(https://x.org)") that are not part of it.
const linkTrailing = ".,;:!?)]}'"

// linkify splits message text into rich text segments: links with the
// http, https or tox: scheme become hyperlink segments, everything else
// stays plain text in style. Text without a link is one text segment.
// The chat's message bubble shows the result in a widget.RichText.
func linkify(text string, style widget.RichTextStyle) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	plain := func(s string) {
		if s != "" {
			segs = append(segs, &widget.TextSegment{Text: s, Style: style})
		}
	}
	last := 0
	for _, loc := range linkPattern.FindAllStringIndex(text, -1) {
		start, end := loc[0], loc[1]
		for end > start && strings.IndexByte(linkTrailing, text[end-1]) >= 0 {
			// Keep a closing parenthesis that closes one in the link.
			if text[end-1] == ')' && strings.Count(text[start:end], "(") >= strings.Count(text[start:end], ")") {
				break
			}
			end--
		}
		u, ok := linkURL(text[start:end])
		if !ok {
			continue
		}
		plain(text[last:start])
		segs = append(segs, &widget.HyperlinkSegment{Text: text[start:end], URL: u})
		last = end
	}
	plain(text[last:])
	if len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Text: "", Style: style})
	}
	return segs
}

// linkURL parses s as a link a message may open: http or https with a
// host, or a tox: URI with something after the colon.
func linkURL(s string) (*url.URL, bool) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u, u.Host != ""
	case "tox":
		return u, u.Opaque != "" || u.Path != ""
	}
	return nil, false
}
