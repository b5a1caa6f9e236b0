package lint

import (
	"fmt"
	"go/ast"
	"strconv"
	"testing"
)

// clockFreePackages never read the wall clock or start timers of their own:
// state machines take `now time.Time`, timer owners take a clock.Clock
// (architecture.md §9.4), so tests drive time with clock.Fake or synctest.
var clockFreePackages = []string{
	"parley/net/dht/...",
	"parley/net/session/...",
	"parley/net/onion/...",
	"parley/net/friend/...",
	"parley/net/transfer/...",
	"parley/net/av/...",
}

// bannedTime are the package time functions that read the wall clock or
// start a runtime timer.
var bannedTime = map[string]bool{
	"Now": true, "Since": true, "Until": true,
	"Sleep": true, "After": true, "AfterFunc": true, "Tick": true,
	"NewTimer": true, "NewTicker": true,
}

func TestNoWallClockInProtocolPackages(t *testing.T) {
	for _, v := range clockViolations(packageFiles(t)) {
		t.Error(v)
	}
}

// clockViolations lists uses of bannedTime in clockFreePackages.
func clockViolations(files []*goFile) []string {
	var bad []string
	for _, f := range files {
		if f.test || !matchesAny(clockFreePackages, f.pkg) {
			continue
		}
		name := ""
		for _, imp := range f.ast.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p != "time" {
				continue
			}
			name = "time"
			if imp.Name != nil {
				name = imp.Name.Name
			}
			if name == "." {
				bad = append(bad, fmt.Sprintf("%s: dot-imports time; import it by name so the clock rule can be checked", f.fset.Position(imp.Pos())))
			}
		}
		if name == "" || name == "_" || name == "." {
			continue
		}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == name && bannedTime[sel.Sel.Name] {
				bad = append(bad, fmt.Sprintf("%s: uses time.%s; take `now time.Time` or a clock.Clock instead (architecture.md §9.4)", f.fset.Position(sel.Pos()), sel.Sel.Name))
			}
			return true
		})
	}
	return bad
}
