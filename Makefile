# Parley: build, run and test. On a fresh Debian/Ubuntu machine:
#   make run    # installs what is missing, builds, opens the window
#   make test   # what CI runs (.ci/run): gofmt, vet, tests, build, fuzz pass
# `make help` lists every target and its variables.

SHELL := /bin/bash
.DEFAULT_GOAL := build

GO          ?= go
BIN         ?= parley
# nolibopusfile: hraban/opus without libopusfile (we only need libopus).
# Dev builds keep Fyne's thread checks on; `fyne package` adds migrated_fynedo
# itself from FyneApp.toml ([Migrations] fyneDo = true).
BUILDTAGS   ?= nolibopusfile
# interop: tests that run libtoxcore peers and tox-bootstrapd (never skipped).
TESTTAGS    ?= interop,$(BUILDTAGS)
# Extra `go test` flags for make test, e.g. TESTFLAGS=-count=1 or -v.
TESTFLAGS   ?=
FUZZTIME    ?= 30s
FUZZTIME_CI ?= 3s
# make test caps its whole fuzz pass near this many seconds (less per target).
FUZZBUDGET_CI ?= 300
FUZZ        ?= .
BENCH       ?= .
BENCHTIME   ?= 1s
PKGS        ?= ./...

export GO BUILDTAGS TESTTAGS TESTFLAGS FUZZTIME FUZZTIME_CI FUZZBUDGET_CI FUZZ

.PHONY: help deps build run test bench fuzz clean screenshot package install

help:
	@echo "make deps    install missing Debian packages (apt-get, sudo if not root); check Go"
	@echo "make build   build ./$(BIN) (tags: $(BUILDTAGS))"
	@echo "make run     deps + build + start ./$(BIN) (needs DISPLAY; else xvfb-run -a ./$(BIN))"
	@echo "make test    deps, gofmt, go vet, go test -tags $(TESTTAGS) (race where cheap),"
	@echo "             build, every fuzz target for FUZZTIME_CI=$(FUZZTIME_CI) (all within"
	@echo "             FUZZBUDGET_CI=$(FUZZBUDGET_CI)s); TESTFLAGS=$(TESTFLAGS) adds go test flags"
	@echo "make bench   all benchmarks, printed: BENCH=$(BENCH) BENCHTIME=$(BENCHTIME) PKGS=$(PKGS)"
	@echo "make fuzz    every fuzz target for FUZZTIME=$(FUZZTIME) (FUZZ=regexp narrows by name)"
	@echo "make clean   remove build outputs"
	@echo "make screenshot  run the app under Xvfb with a demo profile; PNGs into assets/screenshots/"
	@echo "make package     fyne package: dist/Parley.tar.xz (binary, icon, .desktop)"
	@echo "make install     install dist/Parley.tar.xz for this user (~/.local: bin, applications, icons)"

deps:
	@.ci/deps.sh

build:
	$(GO) build -tags $(BUILDTAGS) -o $(BIN) .

run: deps build
	@if [ -z "$${DISPLAY:-}" ]; then \
		echo "make run: DISPLAY is not set. Without a desktop: xvfb-run -a ./$(BIN)" >&2; exit 1; fi
	@# A C/POSIX locale makes Fyne log "Error parsing user locale C" at start.
	@case "$${LC_ALL:-$${LC_MESSAGES:-$${LANG:-C}}}" in \
		C|C.*|POSIX) set -- env LC_ALL= LC_MESSAGES= LANG=en_US.UTF-8 ;; *) set -- ;; esac; \
	echo ./$(BIN); exec "$$@" ./$(BIN)

test: deps
	@.ci/test.sh

bench:
	$(GO) test -tags $(TESTTAGS) -run '^$$' -bench '$(BENCH)' -benchmem -benchtime $(BENCHTIME) $(PKGS)

fuzz:
	@.ci/fuzz.sh $(FUZZTIME)

screenshot: build
	.ci/screenshot.sh ./$(BIN) assets/screenshots

package:
	@.ci/package.sh

install: package
	@.ci/install.sh

clean:
	rm -f $(BIN) *.test
	rm -rf build dist
