package ui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"parley/app/account"
	"parley/net/profile"
)

// firstRun is the screen before a profile is open: unlock or open an
// existing profile, or create one.
type firstRun struct {
	w       *Window
	content fyne.CanvasObject

	profiles *widget.Select
	unlock   *widget.Entry
	openBtn  *widget.Button

	name, pass, pass2 *widget.Entry
	createBtn         *widget.Button
	importBtn         *widget.Button
	status            *widget.Label
	entries           []account.Entry
}

func newFirstRun(w *Window) *firstRun {
	f := &firstRun{w: w}
	icon := canvas.NewImageFromResource(AppIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))
	title := widget.NewLabelWithStyle("Welcome to Parley", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	sub := widget.NewLabelWithStyle("Private, peer-to-peer chat on the Tox network. No account, no server.", fyne.TextAlignCenter, fyne.TextStyle{})
	sub.Wrapping = fyne.TextWrapWord

	f.name = widget.NewEntry()
	f.name.SetPlaceHolder("Your name, e.g. Alice")
	f.pass = widget.NewPasswordEntry()
	f.pass.SetPlaceHolder("Passphrase (optional)")
	f.pass2 = widget.NewPasswordEntry()
	f.pass2.SetPlaceHolder("Repeat the passphrase")
	f.createBtn = widget.NewButtonWithIcon("Create profile", theme.ContentAddIcon(), f.create)
	f.createBtn.Importance = widget.HighImportance
	f.importBtn = widget.NewButtonWithIcon("Import a .tox file…", theme.FolderOpenIcon(), f.chooseImport)
	// A card's subtitle never wraps: the explanation is a wrapped label.
	about := widget.NewLabel("A new Tox ID is made for you, or import one from qTox, toxic or uTox. A passphrase encrypts the profile on disk.")
	about.Wrapping = fyne.TextWrapWord
	create := widget.NewCard("New profile", "",
		container.NewVBox(about, f.name, f.pass, f.pass2, f.createBtn, f.importBtn))

	f.profiles = widget.NewSelect(nil, func(string) { f.selected() })
	f.unlock = widget.NewPasswordEntry()
	f.unlock.SetPlaceHolder("Passphrase")
	f.unlock.OnSubmitted = func(string) { f.open() }
	f.openBtn = widget.NewButtonWithIcon("Open", theme.LoginIcon(), f.open)
	existing := widget.NewCard("Open a profile", "", container.NewVBox(f.profiles, f.unlock, f.openBtn))

	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	f.status.Importance = widget.DangerImportance

	f.reload()
	cards := container.NewGridWithColumns(2, existing, create)
	if len(f.entries) == 0 {
		cards = container.NewGridWithColumns(1, create)
	}
	body := container.NewVBox(icon, title, sub, cards, f.status)
	f.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(640, 520), body))
	return f
}

func (f *firstRun) reload() {
	es, err := account.List(f.w.opts.Dir)
	if err != nil {
		f.status.SetText(err.Error())
	}
	f.entries = es
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
	}
	f.profiles.SetOptions(names)
	if len(names) > 0 {
		f.profiles.SetSelectedIndex(0)
	}
	f.selected()
}

func (f *firstRun) selected() {
	i := f.profiles.SelectedIndex()
	if i >= 0 && i < len(f.entries) && f.entries[i].Encrypted {
		f.unlock.Show()
	} else {
		f.unlock.Hide()
	}
}

func (f *firstRun) busy(b bool) {
	for _, btn := range []*widget.Button{f.createBtn, f.openBtn, f.importBtn} {
		if b {
			btn.Disable()
		} else {
			btn.Enable()
		}
	}
	if b {
		f.status.Importance = widget.MediumImportance
		f.status.SetText("Starting…")
	}
}

func (f *firstRun) fail(err error) {
	f.busy(false)
	f.status.Importance = widget.DangerImportance
	f.status.SetText(err.Error())
}

func (f *firstRun) create() {
	if f.pass.Text != f.pass2.Text {
		f.fail(account.ErrPassMatch)
		return
	}
	f.busy(true)
	name, pass := f.name.Text, f.pass.Text
	go func() { // deriving the passphrase key takes a noticeable moment
		a, err := account.Create(f.w.opts.Dir, name, pass)
		f.w.opts.Do(func() {
			if err != nil {
				f.fail(err)
				return
			}
			f.w.open(a, f.done)
		})
	}()
}

func (f *firstRun) open() {
	i := f.profiles.SelectedIndex()
	if i < 0 || i >= len(f.entries) {
		f.fail(errors.New("choose a profile"))
		return
	}
	f.busy(true)
	name, pass := f.entries[i].Name, f.unlock.Text
	go func() {
		a, err := account.Open(f.w.opts.Dir, name, pass)
		f.w.opts.Do(func() {
			switch {
			case errors.Is(err, profile.ErrEncrypted):
				f.fail(fmt.Errorf("%s is encrypted: enter its passphrase", name))
			case errors.Is(err, profile.ErrWrongPassphrase):
				f.fail(errors.New("wrong passphrase"))
			case err != nil:
				f.fail(err)
			default:
				f.w.open(a, f.done)
			}
		})
	}()
}

func (f *firstRun) done(err error) {
	if err != nil {
		f.fail(fmt.Errorf("cannot start: %w", err))
	}
}

// chooseImport asks for a .tox file to import.
func (f *firstRun) chooseImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			f.fail(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		f.importFile(path)
	}, f.w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{account.Ext}))
	d.Show()
}

// importFile imports the .tox file at path under the name typed (or the
// file's name), decrypting it with the passphrase typed, and opens it.
func (f *firstRun) importFile(path string) {
	f.busy(true)
	name, pass := f.name.Text, f.pass.Text
	go func() {
		a, err := account.Import(f.w.opts.Dir, path, name, pass)
		f.w.opts.Do(func() {
			switch {
			case errors.Is(err, profile.ErrEncrypted):
				f.fail(errors.New("that profile is encrypted: type its passphrase in the passphrase field, then import again"))
			case errors.Is(err, profile.ErrWrongPassphrase):
				f.fail(errors.New("wrong passphrase for that profile"))
			case err != nil:
				f.fail(err)
			default:
				f.w.open(a, f.done)
			}
		})
	}()
}
