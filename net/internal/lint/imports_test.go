package lint

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// testSupportPackages may import "testing" outside _test.go files: they
// exist to be imported by tests. Add a package here only when that is its
// whole purpose, and say so in its package doc.
var testSupportPackages = []string{
	"parley/net/toxtest",            // runs libtoxcore peers and tox-bootstrapd for interop tests
	"parley/net/internal/codectest", // golden-hex helpers of the codec tests
}

// importRule forbids packages matching from to import anything matching deny.
type importRule struct {
	from []string
	deny []string
	why  string
	// transitive also follows the production imports of the module's own
	// packages, so an indirect path through another package counts.
	transitive bool
	// withTests applies the rule to _test.go files too.
	withTests bool
}

var importRules = []importRule{
	{
		from:       []string{"parley/net/..."},
		deny:       []string{"fyne.io/...", "parley/audio/...", "parley/app/...", "C"},
		why:        "net/ is the protocol core: no GUI, no audio, no cgo, so CGO_ENABLED=0 go test ./net/... works (architecture.md §9.1)",
		transitive: true,
		withTests:  true,
	},
	{
		from:       []string{"parley/audio/..."},
		deny:       []string{"parley/net/...", "fyne.io/..."},
		why:        "audio/ meets net/ only in main.go, through interfaces in audio/call (architecture.md §9.1)",
		transitive: true,
		withTests:  true,
	},
	{
		from: []string{"parley/app/ui/..."},
		deny: []string{"parley/net/transport", "parley/net/session", "parley/net/dht"},
		why:  "the GUI talks to the core through net/tox and app/viewmodel, never to the layers below (architecture.md §9.1)",
	},
	{
		from:      []string{"parley/app/...", "parley/assets/...", "parley/net/...", "parley/audio/..."},
		deny:      []string{"fyne.io/fyne/v2/app", "github.com/go-gl/..."},
		why:       "only main.go opens the real Fyne driver (cgo + GL); everything else tests headless with CGO_ENABLED=0 (test-env.md §3)",
		withTests: true,
	},
}

// moduleGraph maps each package of the module to its production imports.
func moduleGraph(files []*goFile) map[string][]string {
	g := map[string][]string{}
	for _, f := range files {
		if !f.test {
			g[f.pkg] = append(g[f.pkg], f.imports...)
		}
	}
	return g
}

// reach returns every import path reachable from start through the
// module's own packages, with one path (a chain of packages) to each.
func reach(g map[string][]string, start []string) map[string][]string {
	seen := map[string][]string{}
	var walk func(p string, chain []string)
	walk = func(p string, chain []string) {
		if _, ok := seen[p]; ok {
			return
		}
		seen[p] = chain
		for _, next := range g[p] {
			walk(next, append(chain[:len(chain):len(chain)], next))
		}
	}
	for _, p := range start {
		walk(p, []string{p})
	}
	return seen
}

// importViolations checks files against importRules.
func importViolations(files []*goFile) []string {
	g := moduleGraph(files)
	var bad []string
	for _, r := range importRules {
		// direct imports per package (tests included when the rule says so)
		direct := map[string][]string{}
		for _, f := range files {
			if matchesAny(r.from, f.pkg) && (!f.test || r.withTests) {
				direct[f.pkg] = append(direct[f.pkg], f.imports...)
			}
		}
		for pkg, imps := range direct {
			paths := map[string][]string{}
			if r.transitive {
				paths = reach(g, imps)
			} else {
				for _, imp := range imps {
					paths[imp] = []string{imp}
				}
			}
			for imp, chain := range paths {
				if matchesAny(r.deny, imp) {
					bad = append(bad, fmt.Sprintf("%s imports %s: %s", pkg, strings.Join(chain, " -> "), r.why))
				}
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// testingViolations lists production files that import the test framework.
func testingViolations(files []*goFile) []string {
	var bad []string
	for _, f := range files {
		if f.test || matchesAny(testSupportPackages, f.pkg) {
			continue
		}
		for _, imp := range f.imports {
			if matches("testing/...", imp) {
				bad = append(bad, fmt.Sprintf("%s imports %q outside a _test.go file; production code must not depend on the test framework (list a pure test-support package in testSupportPackages)", f.rel, imp))
			}
		}
	}
	return bad
}

func TestImportDirection(t *testing.T) {
	for _, v := range importViolations(packageFiles(t)) {
		t.Error(v)
	}
}

func TestNoTestingInProduction(t *testing.T) {
	for _, v := range testingViolations(packageFiles(t)) {
		t.Error(v)
	}
}

func TestMatches(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"parley/net/...", "parley/net", true},
		{"parley/net/...", "parley/net/dht", true},
		{"parley/net/...", "parley/network", false},
		{"fyne.io/...", "fyne.io/fyne/v2", true},
		{"parley/net/dht", "parley/net/dht/internal", false},
		{"testing/...", "testing", true},
		{"testing/...", "testing/synctest", true},
	}
	for _, c := range cases {
		if got := matches(c.pattern, c.path); got != c.want {
			t.Errorf("matches(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}
