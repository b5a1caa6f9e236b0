package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"parley/app/settings"
)

// themeNames are the theme choices as the settings show them.
var themeNames = map[string]string{settings.ThemeSystem: "Follow the system", settings.ThemeLight: "Light", settings.ThemeDark: "Dark"}

// settingsView is the Settings dialog: network, privacy, appearance and
// audio. Save persists them (settings.json); privacy and theme apply at
// once, network at the next start.
type settingsView struct {
	m   *mainView
	dlg dialog.Dialog

	udp, ipv6, lan *widget.Check
	bootstrap      *widget.Entry
	typing         *widget.Check
	receipts       *widget.Check
	notify         *widget.Check
	theme          *widget.RadioGroup
	save           *widget.Button
	status         *widget.Label
}

func (m *mainView) showSettings() {
	s := m.w.settings
	v := &settingsView{m: m}
	v.udp = widget.NewCheck("Use UDP (off: connect through TCP relays only)", nil)
	v.udp.SetChecked(s.Network.UDP)
	v.ipv6 = widget.NewCheck("Use IPv6", nil)
	v.ipv6.SetChecked(s.Network.IPv6)
	v.lan = widget.NewCheck("Find friends on the local network (LAN discovery)", nil)
	v.lan.SetChecked(s.Network.LANDiscovery)
	v.bootstrap = widget.NewMultiLineEntry()
	v.bootstrap.SetPlaceHolder("Extra bootstrap nodes, one per line: HOST:PORT:PUBLIC_KEY")
	v.bootstrap.SetText(strings.Join(s.Network.Bootstrap, "\n"))
	v.bootstrap.SetMinRowsVisible(3)
	netNote := widget.NewLabel("Network changes take effect the next time Parley starts.")
	netNote.Importance = widget.LowImportance

	v.typing = widget.NewCheck("Send typing notifications", nil)
	v.typing.SetChecked(s.Privacy.TypingNotifications)
	v.receipts = widget.NewCheck("Show delivery receipts (queued, sent, delivered)", nil)
	v.receipts.SetChecked(s.Privacy.Receipts)

	var opts []string
	for _, k := range []string{settings.ThemeSystem, settings.ThemeLight, settings.ThemeDark} {
		opts = append(opts, themeNames[k])
	}
	v.theme = widget.NewRadioGroup(opts, nil)
	v.theme.SetSelected(themeNames[s.Theme])
	v.notify = widget.NewCheck("Notify me of messages and friend requests when Parley is in the background", nil)
	v.notify.SetChecked(s.Notifications)

	audio := widget.NewLabel("Voice and video calls are coming: their devices will be chosen here.")
	audio.Wrapping = fyne.TextWrapWord

	tabs := container.NewAppTabs(
		container.NewTabItem("Network", container.NewVBox(v.udp, v.ipv6, v.lan, widget.NewLabel("Bootstrap nodes"), v.bootstrap, netNote)),
		container.NewTabItem("Privacy", container.NewVBox(v.typing, v.receipts)),
		container.NewTabItem("Appearance", container.NewVBox(widget.NewLabel("Theme"), v.theme, v.notify)),
		container.NewTabItem("Audio", container.NewVBox(audio)),
	)
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.status.Importance = widget.DangerImportance
	v.save = widget.NewButton("Save", v.apply)
	v.save.Importance = widget.HighImportance
	body := container.NewBorder(nil, container.NewVBox(v.status, container.NewHBox(v.save)), nil, nil, tabs)
	v.dlg = dialog.NewCustom("Settings", "Close", container.NewGridWrap(fyne.NewSize(560, 420), body), m.w.win)
	v.dlg.SetOnClosed(func() { m.settings = nil })
	m.settings = v
	v.dlg.Show()
}

// read is the settings as the dialog shows them.
func (v *settingsView) read() settings.Settings {
	s := v.m.w.settings
	s.Network.UDP, s.Network.IPv6, s.Network.LANDiscovery = v.udp.Checked, v.ipv6.Checked, v.lan.Checked
	s.Network.Bootstrap = nil
	for _, l := range strings.Split(v.bootstrap.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			s.Network.Bootstrap = append(s.Network.Bootstrap, l)
		}
	}
	s.Privacy.TypingNotifications, s.Privacy.Receipts = v.typing.Checked, v.receipts.Checked
	for k, name := range themeNames {
		if name == v.theme.Selected {
			s.Theme = k
		}
	}
	s.Notifications = v.notify.Checked
	return s
}

// apply saves the settings and applies privacy and theme.
func (v *settingsView) apply() {
	s := v.read()
	if err := settings.Save(v.m.w.opts.Dir, s); err != nil {
		v.status.SetText(err.Error())
		return
	}
	v.status.SetText("")
	v.m.w.settings = s
	v.m.vm.SetPrivacy(s.Privacy)
	v.m.vm.SetNotifications(s.Notifications)
	applyTheme(v.m.w.app, s.Theme)
	v.dlg.Hide()
}
