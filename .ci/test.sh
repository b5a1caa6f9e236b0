#!/usr/bin/env bash
# test.sh: the whole check behind `make test` (and so CI): gofmt, go vet,
# the tests (interop included), a build of the app, and a short fuzz pass.
# Every step runs even when an earlier one failed, so one run shows every
# problem; the exit status is non-zero when any step failed, and the last
# line is a one-line summary.
#
# Race detector: on for every package except those that link Fyne's GL
# driver (today only package main, which has no tests). Those take cgo GLFW
# and go-gl, whose cold build (~3 min on 2 cores) -race would double. The
# lint tests keep fyne.io/fyne/v2/app out of every other package, so app/ui
# and app/viewmodel are race-tested too, under Fyne's headless test driver.
set -uo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
TAGS=${TESTTAGS:-interop,nolibopusfile}
BUILDTAGS=${BUILDTAGS:-nolibopusfile}
read -r -a TESTFLAGS <<<"${TESTFLAGS:-}"
export FUZZTIME=${FUZZTIME_CI:-3s} FUZZBUDGET=${FUZZBUDGET_CI:-300}

results=() failed=()
start=$SECONDS

# step NAME CMD...: runs CMD, records ok/FAIL and its duration.
step() {
	local name=$1 t=$SECONDS
	shift
	echo "== $name"
	if "$@"; then
		results+=("$name ok $((SECONDS - t))s")
	else
		results+=("$name FAIL $((SECONDS - t))s")
		failed+=("$name")
	fi
}

gofmt_check() {
	local bad
	bad=$(find . -mindepth 1 -name '.*' -prune -o -name '*.go' -print | xargs -r gofmt -l)
	if [ -n "$bad" ]; then
		echo "not gofmt-formatted (run gofmt -w on them):"
		echo "$bad"
		return 1
	fi
}

# Split the module's packages by whether they link the GL driver.
race_pkgs=() plain_pkgs=()
listing=$("$GO" list -e -tags "$TAGS" -f '{{.ImportPath}}{{range .Deps}} {{.}}{{end}}' ./... 2>&1)
if [ $? -ne 0 ]; then
	echo "$listing"
	echo "make test: FAIL (go list ./... failed)"
	exit 1
fi
while read -r pkg deps; do
	if [[ " $deps " == *" github.com/go-gl/"* ]]; then
		plain_pkgs+=("$pkg")
	else
		race_pkgs+=("$pkg")
	fi
done <<<"$listing"

# The app binary is built first: the tests of `parley node` and `parley
# headless` run it (PARLEY_BIN), and building it inside a test would put
# the cold Fyne build under that package's test timeout.
bindir=$(mktemp -d)
trap 'rm -rf "$bindir"' EXIT
export PARLEY_BIN="$bindir/parley"

step gofmt gofmt_check
step vet "$GO" vet -tags "$TAGS" ./...
step build "$GO" build -tags "$BUILDTAGS" -o "$PARLEY_BIN" .
step test-race "$GO" test -race -timeout 20m -tags "$TAGS" "${TESTFLAGS[@]}" "${race_pkgs[@]}"
if [ ${#plain_pkgs[@]} -ne 0 ]; then
	step test "$GO" test -timeout 20m -tags "$TAGS" "${TESTFLAGS[@]}" "${plain_pkgs[@]}"
fi
# The race detector slows the DHT simulation tenfold, so under -race it
# runs 200 nodes; here it runs at full size, 1,000 nodes.
step test-scale "$GO" test -tags "$TAGS" "${TESTFLAGS[@]}" -run 'TestScale' ./net/dht/dhtsim/
step fuzz .ci/fuzz.sh "$FUZZTIME"

elapsed=$((SECONDS - start))
summary="$(printf '%s, ' "${results[@]}")"
summary=${summary%, }
if [ ${#failed[@]} -ne 0 ]; then
	echo "make test: FAIL in $((elapsed / 60))m$((elapsed % 60))s ($summary)"
	exit 1
fi
echo "make test: PASS in $((elapsed / 60))m$((elapsed % 60))s ($summary)"
