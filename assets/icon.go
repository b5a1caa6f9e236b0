package assets

import _ "embed"

// Icon is Parley's application icon: a 512x512 PNG (a blue speech bubble
// with a white "P"). FyneApp.toml points `fyne package` at the same file.
//
//go:embed icon.png
var Icon []byte
