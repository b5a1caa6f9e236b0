package lint

import (
	"strings"
	"testing"
)

// fixture parses in-memory files given as path -> source.
func fixture(t *testing.T, srcs map[string]string) []*goFile {
	t.Helper()
	var out []*goFile
	for rel, src := range srcs {
		f, err := parseSource(rel, []byte(src))
		if err != nil {
			t.Fatalf("fixture %s: %v", rel, err)
		}
		out = append(out, f)
	}
	return buildable(out)
}

// wantViolations checks that got has exactly one entry containing each of
// want, in any order.
func wantViolations(t *testing.T, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d violations, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
		return
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if strings.Contains(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no violation mentions %q in:\n%s", w, strings.Join(got, "\n"))
		}
	}
}

func TestImportRulesCatch(t *testing.T) {
	files := fixture(t, map[string]string{
		"net/dht/dht.go":          "package dht\nimport _ \"parley/net/util\"\n",
		"net/util/util.go":        "package util\nimport _ \"parley/audio/pcm\"\n", // net -> audio
		"net/key/key_test.go":     "package key\nimport _ \"fyne.io/fyne/v2\"\n",   // in a test: still banned
		"net/crypto/cgo.go":       "package crypto\nimport \"C\"\n",
		"audio/pcm/pcm.go":        "package pcm\n",
		"audio/call/call.go":      "package call\nimport _ \"parley/net/tox\"\n",
		"app/ui/ui.go":            "package ui\nimport _ \"parley/net/dht\"\n",
		"app/ui/flow_test.go":     "package ui\nimport _ \"parley/net/dht\"\n", // tests may
		"app/viewmodel/vm.go":     "package viewmodel\nimport _ \"fyne.io/fyne/v2/app\"\n",
		"main.go":                 "package main\nimport _ \"fyne.io/fyne/v2/app\"\n", // allowed
		"net/dht/testdata/x.go":   "package x\nimport _ \"fyne.io/fyne/v2\"\n",        // not a package
		"net/dht/gen.go":          "//go:build ignore\n\npackage main\nimport _ \"fyne.io/fyne/v2\"\n",
		"net/dht/interop_test.go": "//go:build interop\n\npackage dht\nimport _ \"parley/app/cli\"\n",
		"net/toxtest/run.go":      "package toxtest\nimport _ \"testing\"\n",
	})
	wantViolations(t, importViolations(files),
		"parley/net/dht imports parley/net/util -> parley/audio/pcm",
		"parley/net/dht imports parley/app/cli",
		"parley/net/util imports parley/audio/pcm",
		"parley/net/key imports fyne.io/fyne/v2",
		"parley/net/crypto imports C",
		"parley/audio/call imports parley/net/tox",
		"parley/app/ui imports parley/net/dht",
		"parley/app/viewmodel imports fyne.io/fyne/v2/app",
	)
}

func TestTestingRuleCatches(t *testing.T) {
	files := fixture(t, map[string]string{
		"net/dht/helper.go":   "package dht\nimport _ \"testing\"\n",
		"net/dht/dht_test.go": "package dht\nimport _ \"testing\"\n",
		"net/onion/sync.go":   "package onion\nimport _ \"testing/synctest\"\n",
		"net/toxtest/run.go":  "package toxtest\nimport _ \"testing\"\n",
	})
	wantViolations(t, testingViolations(files), "net/dht/helper.go", "net/onion/sync.go")
}

func TestClockRuleCatches(t *testing.T) {
	files := fixture(t, map[string]string{
		"net/dht/a.go":       "package dht\nimport \"time\"\nvar _ = time.Now()\nvar _ time.Duration = time.Second\n",
		"net/session/b.go":   "package session\nimport t0 \"time\"\nfunc f() { t0.Sleep(1) }\n",
		"net/onion/c.go":     "package onion\nimport . \"time\"\nvar _ = Now\n",
		"net/friend/d.go":    "package friend\nimport \"time\"\nvar f = time.AfterFunc\n",
		"net/dht/a_test.go":  "package dht\nimport \"time\"\nvar _ = time.Now()\n",       // tests may
		"net/transport/e.go": "package transport\nimport \"time\"\nvar _ = time.Now()\n", // not a protocol package
		"net/dht/f.go":       "package dht\nimport \"time\"\nfunc g(now time.Time) time.Time { return now.Add(time.Second) }\n",
	})
	wantViolations(t, clockViolations(files),
		"net/dht/a.go:3", "net/session/b.go:3", "net/onion/c.go:2", "net/friend/d.go:3")
}
