package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"parley/app/settings"
	"parley/app/store"
	"parley/net/tox"
)

// openMain creates profile "Alice" with friend carol online and her chat
// open.
func openMain(t *testing.T, dir string) (*harness, *mainView) {
	t.Helper()
	h := newHarness(t, dir)
	test.Type(h.w.first.name, "Alice")
	test.Tap(h.w.first.createBtn)
	h.until("the main screen shows", func() bool { return h.w.main != nil })
	return h, h.w.main
}

func TestSettingsPersistAndApply(t *testing.T) {
	dir := t.TempDir()
	h, m := openMain(t, dir)
	carol := newPK(t)
	h.core().Emit(tox.FriendEvent{Event: tox.FriendRequest{From: carol, Message: "hi"}})
	h.until("request", func() bool { return len(h.w.vm.Requests()) == 1 })
	h.w.vm.Accept(carol)
	h.until("accepted", func() bool { return len(h.w.vm.Requests()) == 0 && h.core().HasFriend(carol) })
	h.core().Emit(tox.FriendEvent{Event: tox.FriendOnline{Friend: carol}})
	h.until("carol online", func() bool { f, _ := h.w.vm.Friend(carol); return f.Online })
	h.w.vm.OpenChat(carol)
	h.w.vm.Send("hello")
	h.until("sent", func() bool { _, msgs, _ := h.w.vm.Chat(); return len(msgs) == 1 && msgs[0].State == store.Sent })
	if !strings.Contains(chatText(m), "sent ✓") {
		t.Fatalf("receipts on, but the bubble shows no state: %q", chatText(m))
	}

	test.Tap(m.settingsBtn)
	v := m.settings
	if v == nil || !v.receipts.Checked || !v.typing.Checked || v.theme.Selected != "Follow the system" {
		t.Fatal("settings dialog without the defaults")
	}
	v.bootstrap.SetText("not a node")
	test.Tap(v.save)
	if !strings.Contains(v.status.Text, "bootstrap") {
		t.Fatalf("bad node: status %q", v.status.Text)
	}
	v.bootstrap.SetText("192.0.2.1:33445:F404ABAA1C99A9D37D61AB54898F56793E1DEF8BD46B1038B9D822E8460FAB67")
	v.lan.SetChecked(false)
	v.receipts.SetChecked(false)
	v.typing.SetChecked(false)
	v.notify.SetChecked(false)
	v.theme.SetSelected("Dark")
	test.Tap(v.save)
	if m.settings != nil {
		t.Fatalf("dialog still open: %q", v.status.Text)
	}
	if strings.Contains(chatText(m), "sent ✓") {
		t.Errorf("receipts off, but the bubble shows the state: %q", chatText(m))
	}
	if h.w.vm.Privacy().TypingNotifications {
		t.Error("typing notifications still on in the view model")
	}
	if h.w.vm.Notifications() {
		t.Error("desktop notifications still on in the view model")
	}
	if c := h.a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); c != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Errorf("theme background %v, want the dark one", c)
	}
	got, err := settings.Load(dir)
	if err != nil || got.Network.LANDiscovery || got.Privacy.Receipts || got.Theme != settings.ThemeDark || len(got.Network.Bootstrap) != 1 {
		t.Fatalf("saved settings = %+v, %v", got, err)
	}
	h.w.Close()

	// A restart reads them: receipts stay hidden.
	h2 := newHarness(t, dir)
	if h2.w.settings.Privacy.Receipts || h2.w.settings.Theme != settings.ThemeDark {
		t.Fatalf("settings after restart = %+v", h2.w.settings)
	}
	test.Tap(h2.w.first.openBtn)
	h2.until("main", func() bool { return h2.w.main != nil })
	if h2.w.vm.Privacy().Receipts {
		t.Error("view model shows receipts after restart")
	}
}

func TestNewNospamButton(t *testing.T) {
	h, m := openMain(t, t.TempDir())
	h.until("ID", func() bool { return !h.w.vm.Self().ID.PublicKey.IsZero() })
	test.Tap(m.myIDBtn)
	old := m.ownID.id.Text
	m.ownID.renewNospam()
	h.until("the ID changes", func() bool { return m.ownID.id.Text != old })
	id := h.w.vm.Self().ID
	if m.ownID.id.Text != id.String() || m.ownID.uri.Text != id.URI() || id.String()[:64] != old[:64] {
		t.Fatalf("own ID view shows %q after the nospam change of %q", m.ownID.id.Text, old)
	}
	if !strings.Contains(m.ownID.copied.Text, "New Tox ID") {
		t.Errorf("status = %q", m.ownID.copied.Text)
	}
}

// chatText is the text of the open chat's bubbles.
func chatText(m *mainView) string {
	var b strings.Builder
	for _, o := range test.LaidOutObjects(m.chat.msgs) {
		if t, ok := o.(*canvas.Text); ok {
			b.WriteString(t.Text + "\n")
		}
	}
	return b.String()
}
