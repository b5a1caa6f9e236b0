package ui

import (
	"os"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// labelTexts returns the text of every label and canvas text laid out in w.
func labelTexts(w fyne.Window) []string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		switch o := o.(type) {
		case *widget.Label:
			out = append(out, o.Text)
		case *canvas.Text:
			out = append(out, o.Text)
		}
	}
	return out
}

func TestMain(m *testing.M) {
	DefaultLocale() // keeps Fyne's "Error parsing user locale C" out of the test log
	os.Exit(m.Run())
}

func TestMainWindow(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a)
	defer w.Close()

	if got := w.Title(); got != "Parley" {
		t.Errorf("title = %q, want %q", got, "Parley")
	}
	texts := labelTexts(w)
	for _, want := range []string{"Parley", "Your Tox ID", "No profile yet.", "Connecting…"} {
		if !slices.Contains(texts, want) {
			t.Errorf("main window does not show %q; it shows %q", want, texts)
		}
	}
}

func TestMainWindowRenders(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a)
	defer w.Close()

	img := w.Canvas().Capture()
	if b := img.Bounds(); b.Dx() < 700 || b.Dy() < 400 {
		t.Fatalf("captured window is %dx%d, want at least 700x400", b.Dx(), b.Dy())
	}
}

func TestAppIcon(t *testing.T) {
	if AppIcon.Name() != "icon.png" || len(AppIcon.Content()) == 0 {
		t.Fatalf("AppIcon = %q with %d bytes, want icon.png with content", AppIcon.Name(), len(AppIcon.Content()))
	}
}
