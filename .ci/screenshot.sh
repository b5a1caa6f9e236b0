#!/bin/sh
# Usage: xvfb-run -a -s "-screen 0 1100x760x24" .ci/screenshot.sh PARLEY_BINARY OUTDIR
# Runs the real app with a throwaway config dir, creates a profile by
# clicking through the first-run screen (xdotool), and writes
# 1-firstrun.png, 2-main.png and 3-ownid.png (the own-ID view with QR code).
set -eu
BIN=$1 OUT=$2
mkdir -p "$OUT"
HOME=$(mktemp -d) XDG_CONFIG_HOME= LANG=en_US.UTF-8
export HOME XDG_CONFIG_HOME LANG
"$BIN" & P=$!
trap 'kill $P 2>/dev/null; rm -rf "$HOME"' EXIT
sleep 4
import -window root "$OUT/1-firstrun.png"
W=$(xdotool search --name '^Parley$' | head -1)
xdotool mousemove --window "$W" 480 347 click 1; sleep 0.5
xdotool type "Alice Example"; sleep 0.3
xdotool mousemove --window "$W" 480 465 click 1
sleep 8
import -window root "$OUT/2-main.png"
xdotool mousemove --window "$W" 800 30 click 1
sleep 2
import -window root "$OUT/3-ownid.png"
