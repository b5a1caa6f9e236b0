// Command parley is a Tox chat client. With a subcommand (`parley node`, see
// app/cli) it runs headless; with no arguments it opens the main window.
//
// main.go is wiring only: it owns no logic that a test would need to reach.
package main

import (
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"parley/app/cli"
	"parley/app/ui"
)

// appID matches FyneApp.toml; Fyne keys preferences and storage by it.
const appID = "chat.parley.app"

func main() {
	if handled, code := cli.Run(os.Args[1:], os.Stdout, os.Stderr); handled {
		os.Exit(code)
	}
	t0 := time.Now()
	ui.DefaultLocale()
	a := fyneapp.NewWithID(appID)
	a.SetIcon(ui.AppIcon)
	fmt.Fprintln(os.Stderr, "T app", time.Since(t0))
	w := ui.NewMainWindow(a)
	fmt.Fprintln(os.Stderr, "T window", time.Since(t0))
	if os.Getenv("PARLEY_LAUNCH_PROBE") != "" {
		// For the launch benchmark (app/ui BenchmarkLaunchRealWindow): once
		// the event loop runs with the window up, a job posted to it
		// prints this line, so the window is drawn and takes input.
		a.Lifecycle().SetOnStarted(func() {
			fmt.Fprintln(os.Stderr, "T started", time.Since(t0))
			go fyne.Do(func() { fmt.Fprintln(os.Stderr, "T ready", time.Since(t0)); fmt.Fprintln(os.Stderr, "parley: window ready") })
		})
	}
	w.ShowAndRun()
}
