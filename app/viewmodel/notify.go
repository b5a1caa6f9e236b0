package viewmodel

import (
	"strings"

	"parley/net/key"
)

// previewRunes is how much of a message a desktop notification shows.
const previewRunes = 100

// SetNotifications turns desktop notifications on or off (the settings
// switch). UI goroutine only.
func (vm *VM) SetNotifications(on bool) { vm.notifyOn = on }

// Notifications reports whether desktop notifications are on.
func (vm *VM) Notifications() bool { return vm.notifyOn }

// SetFocused tells the view model whether the window has the focus: a
// message for the open chat of a focused window is not notified. UI
// goroutine only.
func (vm *VM) SetFocused(focused bool) { vm.focused = focused }

// Focused reports what SetFocused last said (true at first).
func (vm *VM) Focused() bool { return vm.focused }

// ActiveChat is the friend whose chat is open; ok is false when none is.
func (vm *VM) ActiveChat() (pk key.PublicKey, ok bool) { return vm.chatPK, vm.chatOpen }

// notifyMessage notifies a message from f unless notifications are off or
// the user is looking at that chat. UI goroutine.
func (vm *VM) notifyMessage(f *Friend) {
	if vm.notify == nil || !vm.notifyOn {
		return
	}
	if vm.focused && vm.chatOpen && vm.chatPK == f.PK {
		return
	}
	vm.notify(f.DisplayName(), shorten(f.Preview(), previewRunes))
}

// notifyRequest notifies a friend request unless notifications are off or
// the window has the focus (the request shows in the friend list). UI
// goroutine.
func (vm *VM) notifyRequest(r Request) {
	if vm.notify == nil || !vm.notifyOn || vm.focused {
		return
	}
	vm.notify("Friend request from "+r.From.Short()+"…", shorten(r.Message, previewRunes))
}

// shorten is s on one line, cut to at most n runes with an ellipsis.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
