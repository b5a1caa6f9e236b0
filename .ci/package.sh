#!/usr/bin/env bash
# package.sh: `make package`. Builds the Linux desktop package
# dist/Parley.tar.xz (the parley binary, the icon and the .desktop file, from
# FyneApp.toml and assets/icon.png) with `fyne package --release`.
#
# The fyne CLI comes from the Go module proxy (fyne.io/tools FYNE_TOOLS,
# v1.7.0: the release that goes with fyne.io/fyne/v2 v2.7). It is built once
# in a throwaway module under the Go cache: `go run fyne.io/tools/cmd/fyne@v`
# would need the proxy's version list, which proxy.golang.org may refuse.
# `fyne package` bumps Build in FyneApp.toml and rewrites the file; the
# file is put back as it was, so a package build leaves the tree unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
TAGS=${BUILDTAGS:-nolibopusfile}
FYNE_TOOLS=${FYNE_TOOLS:-v1.7.0}
OUT=${DIST:-dist}

cache=$("$GO" env GOCACHE)/parley-fyne-cli
fyne=$cache/fyne-$FYNE_TOOLS
if [ ! -x "$fyne" ]; then
	echo "package: building the fyne CLI (fyne.io/tools $FYNE_TOOLS)"
	mod=$(mktemp -d)
	(cd "$mod" && "$GO" mod init fynecli >/dev/null 2>&1 &&
		"$GO" get "fyne.io/tools/cmd/fyne@$FYNE_TOOLS" >/dev/null 2>&1 &&
		"$GO" build -o "$fyne.tmp" fyne.io/tools/cmd/fyne) || { rm -rf "$mod"; echo "package: cannot build the fyne CLI" >&2; exit 1; }
	rm -rf "$mod"
	mkdir -p "$cache" && mv "$fyne.tmp" "$fyne"
fi

keep=$(mktemp)
cp FyneApp.toml "$keep"
trap 'cp "$keep" FyneApp.toml; rm -f "$keep"' EXIT
rm -f Parley.tar.xz
echo "package: fyne package --target linux --release --tags $TAGS (a cold build takes minutes)"
"$fyne" package --target linux --release --tags "$TAGS" --src .
mkdir -p "$OUT"
mv Parley.tar.xz "$OUT/Parley.tar.xz"
echo "package: $OUT/Parley.tar.xz"
tar tJf "$OUT/Parley.tar.xz" | grep -v '/$' | sed 's/^/  /'
