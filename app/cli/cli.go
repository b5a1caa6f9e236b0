// Package cli owns Parley's headless subcommands (`parley node`, and later
// `parley headless`). main.go hands it the arguments before any window is
// opened, so these commands need no display.
package cli

import (
	"fmt"
	"io"
	"os"
)

// Run runs the subcommand named by args[0]. handled is false when args name
// no subcommand (the caller then opens the GUI); code is the exit status.
func Run(args []string, stdout, stderr io.Writer) (handled bool, code int) {
	if len(args) == 0 {
		return false, 0
	}
	switch args[0] {
	case "node":
		return true, runNode(args[1:], stdout, stderr)
	case "headless":
		return true, headlessMain(args[1:], os.Stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return true, 0
	}
	return false, 0
}

const usage = `Parley: private calls and chat over the Tox network.

Usage:
  parley                 open the app
  parley node [flags]    run a headless DHT bootstrap node (see parley node -h)
  parley headless --profile FILE [flags]
                         run a Tox client driven by JSON lines on stdin/stdout,
                         for bots and scripts (see parley headless -h)
`
