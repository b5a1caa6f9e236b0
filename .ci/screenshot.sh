#!/usr/bin/env bash
# screenshot.sh: `make screenshot`. Runs the real app (PARLEY_BINARY) under
# Xvfb with a demo profile and writes the README's screenshots into OUTDIR:
#   main-light.png   main window, friend list and Bob's chat, light theme
#   main-dark.png    the same in the dark theme
#   add-friend.png   the "Add a friend" dialog
#   own-id.png       the "Your Tox ID" dialog with the QR code
#
# Usage: .ci/screenshot.sh PARLEY_BINARY OUTDIR
#
# Each theme gets its own run with a throwaway HOME and XDG_CONFIG_HOME,
# prepared by .ci/demoprofile (profile "Alice" with friends and history,
# settings.json with the theme). xdotool clicks at fixed points of the
# 960x640 window (FYNE_SCALE=1); ImageMagick's `import` takes the pictures.
# xvfb, xdotool and imagemagick are installed with apt-get when missing.
# SHOT_DELAY=N waits N more seconds after each click (slow machines).
set -euo pipefail
SELF=$(realpath "$0")
DELAY=${SHOT_DELAY:-1}

# Points in the window (x y), from the layout at FYNE_SCALE=1, 960x640.
OPEN_PROFILE="319 364"  # first-run screen: "Open" under the selected profile
FIRST_FRIEND="165 130"  # friend list: the first row (Bob, the latest chat)
MY_ID="755 26"          # top bar: "My ID"
ADD_FRIEND="855 26"     # top bar: "Add friend"
DIALOG_CANCEL="480 504" # "Add a friend": Cancel
PARK="480 625"          # the status bar: no hover effect anywhere

install_tools() {
	local need=() sudo=()
	command -v xvfb-run >/dev/null || need+=(xvfb xauth)
	command -v xdotool >/dev/null || need+=(xdotool)
	# `convert` may be a stand-in; `import` must be ImageMagick's own.
	import -version 2>/dev/null | grep -q ImageMagick || need+=(imagemagick)
	[ ${#need[@]} -gt 0 ] || return 0
	echo "screenshot: installing ${need[*]}"
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get install -y --no-install-recommends "${need[@]}" >/dev/null ||
		{ "${sudo[@]}" apt-get update >/dev/null &&
			"${sudo[@]}" apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
}

# session THEME SHOTS...: one run of the app under its own Xvfb. SHOTS are
# the captures, in order: main, add-friend, own-id.
session() {
	local theme=$1
	shift
	local home=$TMP/home-$theme
	mkdir -p "$home"
	"$TMP/demoprofile" -dir "$home/config/parley" -theme "$theme"
	HOME=$home XDG_CONFIG_HOME=$home/config LANG=en_US.UTF-8 LC_ALL= LC_MESSAGES= FYNE_SCALE=1 \
		SHOT_BIN=$BIN SHOT_OUT=$OUT SHOT_THEME=$theme SHOT_DELAY=$DELAY \
		timeout 180 xvfb-run -a -s "-screen 0 1024x700x24 -nolisten tcp" "$SELF" --inside "$@"
}

# inside runs within xvfb-run: starts the app, opens the demo profile and
# the first chat, then takes the captures asked for.
inside() {
	"$SHOT_BIN" >"$HOME/app.log" 2>&1 &
	app=$!
	trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
	local w="" i s
	for i in $(seq 100); do # the window, within 20 s
		w=$(xdotool search --name '^Parley$' 2>/dev/null | head -1) || true
		[ -z "$w" ] || break
		kill -0 $app 2>/dev/null || { cat "$HOME/app.log"; echo "screenshot: the app exited" >&2; return 1; }
		sleep 0.2
	done
	[ -n "$w" ] || { echo "screenshot: no window titled Parley" >&2; return 1; }
	click() { xdotool mousemove --window "$w" $1 click 1; sleep $((1 + SHOT_DELAY)); }
	shot() {
		xdotool mousemove --window "$w" $PARK
		sleep 0.5
		import -window "$w" -strip "$SHOT_OUT/$1.png"
		echo "screenshot: $SHOT_OUT/$1.png"
	}
	sleep $((1 + SHOT_DELAY))
	click "$OPEN_PROFILE"
	sleep 3 # the node starts and the history loads
	click "$FIRST_FRIEND"
	for s in "$@"; do
		case $s in
		main) shot "main-$SHOT_THEME" ;;
		add-friend) click "$ADD_FRIEND"; shot add-friend; click "$DIALOG_CANCEL" ;;
		own-id) click "$MY_ID"; shot own-id ;;
		esac
	done
	kill -0 $app 2>/dev/null || { cat "$HOME/app.log"; echo "screenshot: the app died during the run" >&2; return 1; }
}

if [ "${1:-}" = --inside ]; then
	shift
	inside "$@"
	exit
fi

[ $# -eq 2 ] || { echo "usage: $0 PARLEY_BINARY OUTDIR" >&2; exit 2; }
BIN=$(realpath "$1")
mkdir -p "$2"
OUT=$(realpath "$2")
cd "$(dirname "$SELF")/.."
install_tools
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
go build -o "$TMP/demoprofile" ./.ci/demoprofile
session light main add-friend own-id
session dark main
