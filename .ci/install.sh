#!/usr/bin/env bash
# install.sh: `make install`. Installs the desktop package built by
# `make package` (dist/Parley.tar.xz) for the current user:
#   ~/.local/bin/parley
#   ~/.local/share/applications/parley.desktop (Exec with the full path)
#   ~/.local/share/icons/hicolor/512x512/apps/parley.png
# then checks the installed .desktop file. PREFIX=DIR installs under DIR
# instead of ~/.local.
set -euo pipefail
cd "$(dirname "$0")/.."

PKG=${DIST:-dist}/Parley.tar.xz
PREFIX=${PREFIX:-$HOME/.local}
[ -f "$PKG" ] || { echo "install: $PKG is missing: run make package" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar xJf "$PKG" -C "$tmp"
src=$tmp/usr/local
desktop=$(ls "$src"/share/applications/*.desktop)
icon=$(ls "$src"/share/pixmaps/*.png)

bin=$PREFIX/bin/parley
app=$PREFIX/share/applications/parley.desktop
png=$PREFIX/share/icons/hicolor/512x512/apps/parley.png
install -Dm0755 "$src/bin/parley" "$bin"
install -Dm0644 "$icon" "$png"
mkdir -p "$(dirname "$app")"
sed -e "s|^Exec=.*|Exec=$bin|" -e "s|^Icon=.*|Icon=parley|" "$desktop" >"$app.tmp"
chmod 0644 "$app.tmp"
mv "$app.tmp" "$app"

# The launcher must start our binary, show our icon and sort as a messenger.
fail=0
check() { grep -qxF "$1" "$app" || { echo "install: $app lacks the line $1" >&2; fail=1; }; }
check "Name=Parley"
check "Exec=$bin"
check "Icon=parley"
check "Type=Application"
grep -qE '^Categories=Network;InstantMessaging;Chat;?$' "$app" ||
	{ echo "install: $app: Categories is not Network;InstantMessaging;Chat" >&2; fail=1; }
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$app" || fail=1; fi
[ $fail -eq 0 ] || exit 1
command -v update-desktop-database >/dev/null && update-desktop-database -q "$PREFIX/share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$PREFIX/share/icons/hicolor" 2>/dev/null || true

echo "install: $bin"
echo "install: $png"
echo "install: $app"
sed 's/^/  /' "$app"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) echo "install: note: $PREFIX/bin is not in PATH (the menu entry works anyway)" ;; esac
