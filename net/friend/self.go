package friend

import (
	"fmt"
	"time"
	"unicode/utf8"

	"parley/net/key"
)

// selfInfo is what we tell every friend about ourselves.
type selfInfo struct {
	name      string
	statusMsg string
	status    UserStatus
}

// Name returns our name.
func (m *Manager) Name() string { return m.self.name }

// StatusMessage returns our status message.
func (m *Manager) StatusMessage() string { return m.self.statusMsg }

// UserStatus returns our presence.
func (m *Manager) UserStatus() UserStatus { return m.self.status }

// SetName sets our name (UTF-8, at most MaxNameLength bytes, may be empty)
// and sends it to every online friend; the others get it when they come
// online. Setting the same name again sends nothing.
func (m *Manager) SetName(now time.Time, name string) error {
	if err := checkUserText(name, MaxNameLength, "name"); err != nil {
		return err
	}
	if name == m.self.name {
		return nil
	}
	m.self.name = name
	for _, f := range m.order {
		f.nameSent = false
		m.flush(now, f)
	}
	return nil
}

// SetStatusMessage sets our status message (UTF-8, at most
// MaxStatusMessageLength bytes) and sends it like SetName.
func (m *Manager) SetStatusMessage(now time.Time, msg string) error {
	if err := checkUserText(msg, MaxStatusMessageLength, "status message"); err != nil {
		return err
	}
	if msg == m.self.statusMsg {
		return nil
	}
	m.self.statusMsg = msg
	for _, f := range m.order {
		f.statusMsgSent = false
		m.flush(now, f)
	}
	return nil
}

// SetUserStatus sets our presence and sends it like SetName.
func (m *Manager) SetUserStatus(now time.Time, s UserStatus) error {
	if !s.Valid() {
		return fmt.Errorf("%w (got %d)", ErrBadUserStatus, s)
	}
	if s == m.self.status {
		return nil
	}
	m.self.status = s
	for _, f := range m.order {
		f.userStatusSent = false
		m.flush(now, f)
	}
	return nil
}

// SetTyping tells friend pk whether we are typing to it (now, or when it
// next comes online). Repeating the current value sends nothing.
func (m *Manager) SetTyping(now time.Time, pk key.PublicKey, typing bool) error {
	f, ok := m.friends[pk]
	if !ok {
		return ErrNotFriend
	}
	if f.typing == typing {
		return nil
	}
	f.typing = typing
	f.typingSent = false
	m.flush(now, f)
	return nil
}

// checkUserText validates text we are about to send: valid UTF-8 (tox.h
// says every text field is) and at most max bytes.
func checkUserText(s string, max int, what string) error {
	if len(s) > max {
		return fmt.Errorf("%w: %s of %d bytes, limit %d", ErrTooLong, what, len(s), max)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s", ErrInvalidUTF8, what)
	}
	return nil
}
