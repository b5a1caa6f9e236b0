#!/usr/bin/env bash
# deps.sh: installs the Debian/Ubuntu packages Parley needs to build and test
# (only the missing ones; a quick no-op when all are present) and checks that
# the Go toolchain can build the module. Used by `make deps`, `make run` and
# `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(
	gcc libc6-dev pkg-config                          # cgo
	libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev          # Fyne's GLFW driver (X11)
	portaudio19-dev libopus-dev                       # audio (built with -tags nolibopusfile)
	libtoxcore-dev toxcore-utils                      # interop tests: C peers, tox-bootstrapd
	xvfb xauth                                        # the GUI without a display (xvfb-run)
)

install_packages() {
	if ! command -v dpkg-query >/dev/null 2>&1; then
		echo "deps: not a Debian/Ubuntu system; install the equivalents of: ${PKGS[*]}" >&2
		return 0
	fi
	local missing=() p
	for p in "${PKGS[@]}"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$'; then
			missing+=("$p")
		fi
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return 0
	fi
	echo "deps: installing ${missing[*]}"
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if ! command -v sudo >/dev/null 2>&1; then
			echo "deps: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
			return 1
		fi
		sudo=(sudo)
	fi
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

# version_lt A B: true when Go version A (1.x or 1.x.y) is older than B.
version_lt() {
	[ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]
}

check_go() {
	if ! command -v go >/dev/null 2>&1; then
		cat >&2 <<-'MSG'
		deps: the go command is not on PATH.
		  Install Go 1.21 or newer from https://go.dev/dl/ (Debian bookworm's golang-go is 1.19, too old), e.g.:
		    curl -LO https://go.dev/dl/go1.26.8.linux-amd64.tar.gz
		    sudo tar -C /usr/local -xzf go1.26.8.linux-amd64.tar.gz
		    export PATH=$PATH:/usr/local/go/bin
		  Go 1.21+ fetches the exact toolchain go.mod asks for by itself (GOTOOLCHAIN=auto).
		MSG
		return 1
	fi
	local want have toolchain
	want=$(awk '$1 == "go" { print $2; exit }' go.mod)
	have=$(GOTOOLCHAIN=local go env GOVERSION)
	have=${have#go}
	have=${have%%[!0-9.]*}
	if version_lt "$have" 1.21; then
		echo "deps: go $have is too old; install Go 1.21 or newer from https://go.dev/dl/ (it then fetches go $want itself)" >&2
		return 1
	fi
	if version_lt "$have" "$want"; then
		toolchain=$(cd / && go env GOTOOLCHAIN)
		if [ "${toolchain%%+*}" = local ]; then
			echo "deps: go.mod needs go $want but this is go $have and GOTOOLCHAIN=$toolchain forbids fetching it." >&2
			echo "      Run with GOTOOLCHAIN=auto (e.g. GOTOOLCHAIN=auto make test) or install go $want." >&2
			return 1
		fi
		echo "deps: go $have will use go $want from the module proxy (GOTOOLCHAIN=$toolchain); fetching it now"
		go version
	fi
}

install_packages
check_go
