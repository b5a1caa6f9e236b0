#!/usr/bin/env bash
# fuzz.sh [FUZZTIME]: runs every native Go fuzz target of the module (every
# `func FuzzXxx(f *testing.F)` in a _test.go file) for FUZZTIME each (default
# $FUZZTIME, else 30s). Targets are discovered with `go test -list`, so new
# ones need no edit here. FUZZ=regexp narrows the targets by name.
# FUZZBUDGET=N (seconds, optional) caps the whole pass, counting about 2s of
# build and start-up per target: when the targets would overrun it at
# FUZZTIME each, each gets N/targets - 2 seconds (at least 1s) instead, so CI
# time stays bounded as targets are added.
# A crash is written by Go under the package's testdata/fuzz/FuzzXxx/: commit
# it once fixed, it becomes a regression seed.
#
# Go 1.26's fuzz coordinator can fail a target with a bare "context deadline
# exceeded" when -fuzztime ends while a worker is busy, on a loaded machine
# (golang/go#75804, fixed in Go 1.27). That is no finding: nothing is
# written to testdata/fuzz. Such a run is retried once, and if it happens
# again it is reported as a flake, not a failure. Any other non-zero exit,
# and any run that writes a failing input, fails.
set -uo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
TAGS=${TESTTAGS:-interop,nolibopusfile}
FUZZTIME=${1:-${FUZZTIME:-30s}}
MATCH=${FUZZ:-.}

# Only packages whose tests mention a fuzz target are listed, so the GUI
# packages are not compiled for nothing.
mapfile -t dirs < <(grep -rlE --include='*_test.go' --exclude-dir=testdata --exclude-dir=.git \
	'^func Fuzz[A-Z0-9_]' . | xargs -r -n1 dirname | sort -u)
if [ ${#dirs[@]} -eq 0 ]; then
	echo "fuzz: no fuzz targets"
	exit 0
fi

# A package whose tests do not build is reported and counted as failed; the
# others are still fuzzed.
failed=()
listing=$("$GO" test -tags "$TAGS" -list '^Fuzz' "${dirs[@]}" 2>&1)
if [ $? -ne 0 ]; then
	echo "$listing" | grep -vE '^(Fuzz|ok )'
	failed+=("(listing)")
fi

targets=() names=()
while IFS= read -r line; do
	case "$line" in
	Fuzz*) names+=("$line") ;;
	ok*)
		pkg=$(awk '{ print $2 }' <<<"$line")
		for n in "${names[@]}"; do
			if grep -qE -- "$MATCH" <<<"$n"; then
				targets+=("$pkg $n")
			fi
		done
		names=()
		;;
	FAIL*) names=() ;;
	esac
done <<<"$listing"

if [ -n "${FUZZBUDGET:-}" ] && [ ${#targets[@]} -gt 0 ] && [[ $FUZZTIME =~ ^([0-9]+)s$ ]]; then
	each=$((FUZZBUDGET / ${#targets[@]} - 2))
	[ $each -lt 1 ] && each=1
	if [ $each -lt "${BASH_REMATCH[1]}" ]; then
		echo "fuzz: ${#targets[@]} targets in a ${FUZZBUDGET}s budget: ${each}s each instead of $FUZZTIME"
		FUZZTIME=${each}s
	fi
fi

# fuzz_one PKG NAME: 0 ok, 1 failed, 2 the Go deadline flake.
fuzz_one() {
	local out status
	out=$(mktemp)
	"$GO" test -tags "$TAGS" -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" "$1" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	if [ "$status" -ne 0 ] && grep -q 'context deadline exceeded' "$out" &&
		! grep -qE 'Failing input written|panic:|fuzzing process hung' "$out"; then
		status=2
	elif [ "$status" -ne 0 ]; then
		status=1
	fi
	rm -f "$out"
	return "$status"
}

flaky=()
start=$SECONDS
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	echo "== fuzz $pkg $name for $FUZZTIME"
	fuzz_one "$pkg" "$name"
	status=$?
	if [ $status -eq 2 ]; then
		echo "== fuzz $pkg $name: bare deadline error (golang/go#75804), retrying once"
		fuzz_one "$pkg" "$name"
		status=$?
	fi
	case $status in
	1) failed+=("$pkg.$name") ;;
	2) flaky+=("$pkg.$name") ;;
	esac
done
note=""
if [ ${#flaky[@]} -ne 0 ]; then
	note=" (${#flaky[@]} deadline flakes, golang/go#75804: ${flaky[*]})"
fi
if [ ${#failed[@]} -ne 0 ]; then
	echo "fuzz: FAILED in $((SECONDS - start))s (${#targets[@]} targets run): ${failed[*]}$note"
	exit 1
fi
echo "fuzz: ${#targets[@]} targets ok, $FUZZTIME each, in $((SECONDS - start))s$note"
