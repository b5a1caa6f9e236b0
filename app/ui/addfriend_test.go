package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"parley/app/viewmodel"
)

// A request message longer than c-toxcore clients take says so under the
// field and cannot be sent; shortening it clears that.
func TestAddFriendMessageTooLong(t *testing.T) {
	h := newHarness(t, t.TempDir())
	test.Type(h.w.first.name, "Alice")
	test.Tap(h.w.first.createBtn)
	h.until("the main screen shows", func() bool { return h.w.main != nil })
	m := h.w.main
	test.Tap(m.addBtn)
	add := m.add
	if add.msgErr.Visible() || add.send.Disabled() {
		t.Fatal("the default message is flagged")
	}
	add.msg.SetText(strings.Repeat("é", viewmodel.MaxRequestMessage/2+1))
	if !add.msgErr.Visible() || !add.send.Disabled() || !strings.Contains(add.msgErr.Text, "944") {
		t.Fatalf("a 944-byte message: error %q (visible %v), send disabled %v", add.msgErr.Text, add.msgErr.Visible(), add.send.Disabled())
	}
	add.msg.SetText(strings.Repeat("é", viewmodel.MaxRequestMessage/2))
	if add.msgErr.Visible() || add.send.Disabled() {
		t.Fatal("a 942-byte message is still refused")
	}
}
