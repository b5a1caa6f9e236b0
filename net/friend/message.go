package friend

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"parley/net/key"
)

// SendMessage sends text to an online friend as a normal message or an
// action. Text longer than MaxMessageLength bytes is split with
// SplitMessage and each part goes in its own packet, in order; the result
// has one MessageID per part, and a Receipt event fires for each once the
// friend's connection acknowledges it.
//
// Text must be non-empty valid UTF-8. A friend that is not online gives
// ErrFriendOffline: nothing is queued here (an outbox above may keep the
// message and send it when FriendOnline arrives). If the link refuses a
// part (its send queue is full), the IDs of the parts already sent are
// returned with an error wrapping ErrSend; those parts still get receipts.
func (m *Manager) SendMessage(now time.Time, pk key.PublicKey, kind MessageKind, text string) ([]MessageID, error) {
	f, ok := m.friends[pk]
	switch {
	case !ok:
		return nil, ErrNotFriend
	case !kind.Valid():
		return nil, fmt.Errorf("%w (got %d)", ErrBadKind, kind)
	case text == "":
		return nil, ErrEmptyMessage
	case !utf8.ValidString(text):
		return nil, fmt.Errorf("%w: message", ErrInvalidUTF8)
	case f.state != StateOnline || f.link == nil:
		return nil, ErrFriendOffline
	}
	parts := SplitMessage(text, MaxMessageLength)
	ids := make([]MessageID, 0, len(parts))
	for _, part := range parts {
		pn, err := m.send(now, f, &MessagePacket{Kind: kind, Text: part})
		if err != nil {
			return ids, fmt.Errorf("message part %d of %d: %w", len(ids)+1, len(parts), err)
		}
		m.nextID++
		f.receipts = append(f.receipts, receipt{pn: pn, id: m.nextID})
		ids = append(ids, m.nextID)
	}
	return ids, nil
}

// SplitMessage cuts text into parts of at most limit bytes (a limit below
// 4 is taken as 4, so a part always holds a whole UTF-8 character). Joined, the
// parts are exactly text. Like qTox, a cut prefers to fall just after a
// newline, then just after a space or tab, and otherwise on a character
// boundary; a newline wins only if it is in the second half of the window,
// so one early line break does not produce a tiny part. Invalid UTF-8 is
// cut at limit bytes.
func SplitMessage(text string, limit int) []string {
	limit = max(limit, utf8.UTFMax)
	var parts []string
	for len(text) > limit {
		cut := splitPoint(text, limit)
		parts = append(parts, text[:cut])
		text = text[cut:]
	}
	if text != "" {
		parts = append(parts, text)
	}
	return parts
}

// splitPoint returns where to cut s (len(s) > limit): a length in 1..limit.
func splitPoint(s string, limit int) int {
	window := s[:limit]
	if i := strings.LastIndexByte(window, '\n'); i >= limit/2 {
		return i + 1
	}
	if i := strings.LastIndexAny(window, " \t\n"); i > 0 {
		return i + 1 // an ASCII byte is never inside a UTF-8 sequence
	}
	for cut := limit; cut > 0; cut-- {
		if utf8.RuneStart(s[cut]) {
			return cut
		}
	}
	return limit
}
