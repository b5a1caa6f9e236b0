package ui

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"parley/app/viewmodel"
	"parley/net/tox"
)

// presenceNames are the choices of our own presence.
var presenceNames = []string{"Online", "Away", "Busy"}

// mainView is the screen of an open profile.
type mainView struct {
	w       *Window
	vm      *viewmodel.VM
	content fyne.CanvasObject

	selfAvatar  *avatar
	selfName    *widget.Label
	presence    *widget.Select
	myIDBtn     *widget.Button
	addBtn      *widget.Button
	editBtn     *widget.Button
	settingsBtn *widget.Button
	statusBar   *widget.Label

	search   *widget.Entry
	requests *fyne.Container
	list     *widget.List
	shown    []viewmodel.Friend
	selected int  // the row of the open chat in shown; -1 when none shows
	syncing  bool // the list's selection is being moved to follow shown
	chat     *chatView
	ownID    *ownIDView
	add      *addFriendView
	settings *settingsView
}

func newMainView(w *Window, vm *viewmodel.VM) *mainView {
	m := &mainView{w: w, vm: vm}
	m.selfAvatar = newAvatar(36)
	m.selfName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	m.presence = widget.NewSelect(presenceNames, func(s string) {
		st := map[string]tox.UserStatus{"Online": tox.StatusOnline, "Away": tox.StatusAway, "Busy": tox.StatusBusy}[s]
		if st != vm.Self().Status {
			vm.SetUserStatus(st)
		}
	})
	m.editBtn = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), m.editProfile)
	m.myIDBtn = widget.NewButtonWithIcon("My ID", theme.AccountIcon(), m.showOwnID)
	m.settingsBtn = widget.NewButtonWithIcon("", theme.SettingsIcon(), m.showSettings)
	m.addBtn = widget.NewButtonWithIcon("Add friend", theme.ContentAddIcon(), m.showAddFriend)
	m.addBtn.Importance = widget.HighImportance
	top := container.NewBorder(nil, nil,
		container.NewHBox(m.selfAvatar.box, m.selfName, m.editBtn),
		container.NewHBox(m.presence, m.myIDBtn, m.addBtn, m.settingsBtn))

	m.search = widget.NewEntry()
	m.search.SetPlaceHolder("Search friends")
	m.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	m.search.OnChanged = func(string) { m.refreshFriends() }
	m.requests = container.NewVBox()
	m.list = widget.NewList(func() int { return len(m.shown) }, newFriendRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*friendRow).set(m.shown[i]) })
	m.selected = -1
	m.list.OnSelected = func(i widget.ListItemID) {
		m.selected = i
		if !m.syncing && i < len(m.shown) {
			vm.OpenChat(m.shown[i].PK)
		}
	}
	m.list.OnUnselected = func(i widget.ListItemID) {
		if m.selected == i {
			m.selected = -1
		}
	}
	left := container.NewBorder(container.NewVBox(m.search, m.requests), nil, nil, nil, m.list)

	m.chat = newChatView(vm)
	split := container.NewHSplit(left, m.chat.content)
	split.Offset = 0.34

	m.statusBar = widget.NewLabel("")
	m.content = container.NewBorder(
		container.NewVBox(container.NewPadded(top), widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), m.statusBar), nil, nil, split)

	vm.OnChange = m.changed
	vm.OnError = func(err error) { dialog.ShowError(err, w.win) }
	m.changed(viewmodel.ChangedSelf | viewmodel.ChangedFriends | viewmodel.ChangedRequests | viewmodel.ChangedNetwork | viewmodel.ChangedChat)
	return m
}

func (m *mainView) changed(c viewmodel.Change) {
	if c&viewmodel.ChangedSelf != 0 {
		s := m.vm.Self()
		m.selfName.SetText(s.Name)
		m.selfAvatar.set(s.Name, s.ID.PublicKey)
		m.presence.SetSelectedIndex(int(s.Status))
		if m.ownID != nil {
			m.ownID.update(s)
		}
	}
	if c&viewmodel.ChangedNetwork != 0 {
		m.statusBar.SetText(m.vm.Network().String())
	}
	if c&viewmodel.ChangedRequests != 0 {
		m.refreshRequests()
	}
	if c&viewmodel.ChangedFriends != 0 {
		m.refreshFriends()
		m.w.tray.setUnread(m.vm.UnreadTotal())
	}
	if c&(viewmodel.ChangedChat|viewmodel.ChangedFriends) != 0 {
		m.chat.refresh()
	}
}

// refreshFriends shows the friends matching the search, redrawing only the
// rows that changed, and keeps the selection on the open chat's row when
// the list reorders.
func (m *mainView) refreshFriends() {
	old := m.shown
	m.shown = m.vm.Friends(m.search.Text)
	m.followSelection()
	if len(old) != len(m.shown) {
		m.list.Refresh()
		return
	}
	for i := range old {
		if old[i].PK != m.shown[i].PK {
			m.list.Refresh()
			return
		}
	}
	for i := range old {
		if old[i] != m.shown[i] {
			m.list.RefreshItem(i)
		}
	}
}

// followSelection selects the open chat's row (or nothing) without
// reopening the chat.
func (m *mainView) followSelection() {
	idx := -1
	if pk, _, ok := m.vm.Chat(); ok {
		for i, f := range m.shown {
			if f.PK == pk {
				idx = i
				break
			}
		}
	}
	if idx == m.selected {
		return
	}
	m.syncing = true
	if idx < 0 {
		m.list.UnselectAll()
	} else {
		m.list.Select(idx)
	}
	m.syncing = false
	m.selected = idx
}

func (m *mainView) refreshRequests() {
	m.requests.RemoveAll()
	for _, r := range m.vm.Requests() {
		pk := r.From
		text := widget.NewLabel("Friend request from " + pk.Short() + "…\n“" + r.Message + "”")
		text.Wrapping = fyne.TextWrapWord
		accept := widget.NewButtonWithIcon("Accept", theme.ConfirmIcon(), func() { m.vm.Accept(pk) })
		accept.Importance = widget.SuccessImportance
		decline := widget.NewButtonWithIcon("Decline", theme.CancelIcon(), func() { m.vm.Decline(pk) })
		m.requests.Add(widget.NewCard("", "", container.NewVBox(text, container.NewGridWithColumns(2, accept, decline))))
	}
	m.requests.Refresh()
}

func (m *mainView) editProfile() {
	s := m.vm.Self()
	name := widget.NewEntry()
	name.SetText(s.Name)
	msg := widget.NewEntry()
	msg.SetText(s.StatusMessage)
	msg.SetPlaceHolder("What are you up to?")
	dialog.ShowForm("Your profile", "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Name", name), widget.NewFormItem("Status", msg),
	}, func(ok bool) {
		if !ok {
			return
		}
		if name.Text != s.Name {
			m.vm.SetName(name.Text)
		}
		if msg.Text != s.StatusMessage {
			m.vm.SetStatusMessage(msg.Text)
		}
	}, m.w.win)
}

// friendRow is one row of the friend list.
type friendRow struct {
	widget.BaseWidget
	avatar  *avatar
	dot     *canvas.Circle
	name    *widget.Label
	preview *widget.RichText
	badge   *canvas.Text
	badgeBg *canvas.Rectangle
	badgeC  *fyne.Container
}

func newFriendRow() fyne.CanvasObject {
	r := &friendRow{avatar: newAvatar(40), dot: canvas.NewCircle(presenceColor(viewmodel.Offline))}
	r.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.preview = newSecondaryText()
	r.badge = canvas.NewText("", color.White)
	r.badge.TextStyle.Bold = true
	r.badge.TextSize = 11
	r.badgeBg = canvas.NewRectangle(color.NRGBA{0x3b, 0x82, 0xf6, 0xff})
	r.badgeBg.CornerRadius = 9
	r.badgeC = container.NewStack(r.badgeBg, container.NewPadded(container.NewCenter(r.badge)))
	r.ExtendBaseWidget(r)
	return r
}

func (r *friendRow) CreateRenderer() fyne.WidgetRenderer {
	dot := container.NewWithoutLayout(r.dot)
	r.dot.Resize(fyne.NewSize(12, 12))
	r.dot.Move(fyne.NewPos(30, 30))
	av := container.NewStack(r.avatar.box, dot)
	text := container.NewVBox(r.name, r.preview)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, av, container.NewCenter(r.badgeC), text))
}

func (r *friendRow) set(f viewmodel.Friend) {
	r.avatar.set(f.DisplayName(), f.PK)
	r.dot.FillColor = presenceColor(f.Presence())
	r.dot.Refresh()
	name := f.DisplayName()
	if f.Typing {
		name += " ✎"
	}
	r.name.SetText(name)
	setSecondaryText(r.preview, f.Preview())
	if f.Unread > 0 {
		r.badge.Text = strconv.Itoa(f.Unread)
		r.badgeC.Show()
	} else {
		r.badge.Text = ""
		r.badgeC.Hide()
	}
	r.badge.Refresh()
}
