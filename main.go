// Command parley is a Tox chat client. With a subcommand (`parley node`, see
// app/cli) it runs headless; with no arguments it opens the main window.
//
// main.go is wiring only: it owns no logic that a test would need to reach.
package main

import (
	"fmt"
	"os"

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
	ui.DefaultLocale()
	a := fyneapp.NewWithID(appID)
	a.SetIcon(ui.AppIcon)
	w := ui.NewMainWindow(a)
	if os.Getenv("PARLEY_LAUNCH_PROBE") != "" {
		// For the launch benchmark (app/ui BenchmarkLaunchRealWindow): once
		// the app has started (window created and shown), a job posted
		// to the event loop prints this line: the loop is taking input.
		a.Lifecycle().SetOnStarted(func() {
			go fyne.Do(func() { fmt.Fprintln(os.Stderr, "parley: window ready") })
		})
	}
	w.ShowAndRun()
}
