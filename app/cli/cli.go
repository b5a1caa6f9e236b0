// Package cli owns Parley's headless subcommands (`parley node`, and later
// `parley headless`). main.go hands it the arguments before any window is
// opened, so these commands need no display.
package cli

import "io"

// Run runs the subcommand named by args[0]. handled is false when args name
// no subcommand (the caller then opens the GUI); code is the exit status.
func Run(args []string, stdout, stderr io.Writer) (handled bool, code int) {
	if len(args) == 0 {
		return false, 0
	}
	switch args[0] {
	case "node":
		return true, runNode(args[1:], stdout, stderr)
	}
	return false, 0
}

func runNode(args []string, stdout, stderr io.Writer) int {
	_, _ = io.WriteString(stderr, "parley node: not built yet\n")
	return 2
}
