// Package assets owns the files Parley embeds in its binary: the application
// icon (icon.go) and the bundled list of bootstrap nodes (nodes.go).
//
// It imports only the standard library, so any package may use it, net/
// included. Fyne resources built from these bytes live in app/ui, not here:
// importing fyne from assets would make every importer of the node list
// depend on the GUI toolkit.
package assets
